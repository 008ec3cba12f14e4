"""Add what the seed content lacks to the audit's database: an editor's odd-size picture, and
a page translated into German.

    python audit/content.py     (with the audit's settings; audit/run.py runs it)

The seed content has no images, so the figure markup (a <picture> with WebP and JPEG at
several widths, baltmet_tags.figure_picture) would go unchecked. This publishes one news
item under the news index with an uploaded 601×397 JPEG in a figure block of its body, as
an editor would, and prints the item's URL path on its last line. It is idempotent: a
second run finds the item by its slug and only prints the path.

The seed content's events are past, so none takes registrations: this publishes one open for
registration, whose form the audit checks.

The seeds are English, so no page has a translation: this publishes a German translation of
the Berlin metropolis page (its text copied from the English one, the audit's database only),
so the checks see a translated page with its switcher, hreflang links and the aliases
wagtail-localize makes of its parents.
"""

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "audit.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from baltmet.factories import ImageFactory, paragraph  # noqa: E402
from events.factories import EventPageFactory  # noqa: E402
from events.models import EventIndexPage, EventPage  # noqa: E402
from news.factories import NewsPageFactory  # noqa: E402
from news.models import NewsIndexPage, NewsPage  # noqa: E402
from partners.models import MetropolisPage  # noqa: E402

SLUG = "a-picture-of-an-odd-size"
WIDTH, HEIGHT = 601, 397


@transaction.atomic
def odd_size_picture_news() -> NewsPage:
    page = NewsPage.objects.filter(slug=SLUG).first()
    if page:
        print(f"News item with a {WIDTH}×{HEIGHT} picture: already there")
        return page
    image = ImageFactory(
        title="Harbour at dawn (601×397)",
        description="Cranes and ships in a harbour at dawn",
        credit="Partner editor",
        file__width=WIDTH,
        file__height=HEIGHT,
        file__color="steelblue",
        file__filename="harbour-at-dawn.jpg",
    )
    page = NewsPageFactory(
        parent=NewsIndexPage.objects.get(),
        title="A picture of an odd size",
        slug=SLUG,
        intro="An editor uploaded a photograph 601 pixels wide and 397 high.",
        body=[
            *paragraph("The picture below was uploaded as it came from the camera."),
            {
                "type": "figure",
                "value": {"image": image.pk, "caption": "The harbour at dawn", "credit": ""},
            },
            *paragraph("Text after the picture."),
        ],
    )
    # Published through a revision, as the admin does.
    page.save_revision().publish()
    print(f"News item with a {WIDTH}×{HEIGHT} picture: created")
    return page


@transaction.atomic
def german_berlin() -> None:
    berlin = MetropolisPage.objects.get(slug="berlin", locale__language_code="en")
    german = Locale.objects.get(language_code="de")
    if berlin.has_translation(german):
        print("Berlin in German: already there")
        return
    translation = berlin.copy_for_translation(german, copy_parents=True)
    translation.save_revision().publish()
    print("Berlin in German: created")


REGISTRATION_SLUG = "a-workshop-open-for-registration"


@transaction.atomic
def event_open_for_registration() -> None:
    """An upcoming event whose registration form (and its error state) the audit checks: the
    seed content's events are all past."""
    if EventPage.objects.filter(slug=REGISTRATION_SLUG).exists():
        print("Event open for registration: already there")
        return
    page = EventPageFactory(
        parent=EventIndexPage.objects.get(),
        title="A workshop open for registration",
        slug=REGISTRATION_SLUG,
        start_date=timezone.localdate() + dt.timedelta(days=60),
        registration_places=30,
        registration_closes_on=timezone.localdate() + dt.timedelta(days=50),
    )
    page.save_revision().publish()
    print("Event open for registration: created")


if __name__ == "__main__":
    german_berlin()
    event_open_for_registration()
    page = odd_size_picture_news()
    print(page.relative_url(page.get_site()))
