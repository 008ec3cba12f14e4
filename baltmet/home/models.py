from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, Revision
from wagtail.search import index

from baltmet.blocks import ContentBlocks
from baltmet.cache.facts import Fact, remembered
from baltmet.cache.tags import page_tag
from baltmet.links import ServePathReversedOnce
from baltmet.models import KeyFigure
from baltmet.queries import ViewRestrictionsFromRequest, as_cards, published
from baltmet.rows import BuiltFromRows
from events.models import EventPage, past, upcoming
from news.models import NewsPage
from partners.models import MetropolisPage
from workpackages.models import WorkPackagePage


class HomePage(ServePathReversedOnce, BuiltFromRows, ViewRestrictionsFromRequest, Page):
    """The front page: the mission, the key figures and what is new in the network."""

    mission = models.TextField(help_text="The network's mission, in a paragraph.")
    body = StreamField(
        ContentBlocks(), blank=True, help_text="More about the network, under the mission."
    )
    key_figures_heading = models.CharField(
        max_length=120, default="Baltic Metropolises – Pool of Potentials"
    )
    key_figures_note = models.TextField(
        blank=True, help_text="A note under the figures, e.g. which cities they cover."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("mission"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("key_figures_heading"),
                FieldPanel("key_figures_note"),
                InlinePanel("key_figures", label="Key figure"),
            ],
            heading="Key figures",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("mission"), index.SearchField("body")]
    api_fields = [APIField("mission"), APIField("body"), APIField("key_figures")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "baltmet.StandardPage",
        "partners.PartnersIndexPage",
        "workpackages.WorkPackageIndexPage",
        "news.NewsIndexPage",
        "events.EventIndexPage",
    ]
    max_count = 1
    template = "pages/home_page.html"

    latest_news_count = 3
    events_count = 3

    class Meta:
        verbose_name = "home page"

    def latest_news(self):
        return as_cards(published(NewsPage.objects.descendant_of(self))).order_by("-date", "-pk")[
            : self.latest_news_count
        ]

    def events_around(self, now):
        """Upcoming events, and the latest past ones: the page shows them, and reads them,
        only when none is upcoming."""
        events = as_cards(published(EventPage.objects.descendant_of(self)))
        return (
            upcoming(events, now)[: self.events_count],
            past(events, now)[: self.events_count],
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # The draft's own key figures, which are not the published page's.
            context.update(self.listings(timezone.now()).value)
        else:
            context.update(
                remembered(
                    f"home:{self.pk}",
                    {f"descendants:{self.pk}", page_tag(self.pk)},
                    lambda: self.listings(timezone.now()),
                )
            )
        return context

    def listings(self, now) -> Fact:
        """What the page shows from the whole site, read in five queries: kept as a fact
        (baltmet/cache/facts.py) until a page below this one or the page itself changes,
        or until the first upcoming event shown ends."""
        upcoming_events, recent_events = self.events_around(now)
        upcoming_events = list(upcoming_events)
        shown = {
            "latest_news": list(self.latest_news()),
            "upcoming_events": upcoming_events,
            "recent_events": [] if upcoming_events else list(recent_events),
            "key_figures": list(self.key_figures.select_related("source")),
            "work_packages": list(
                as_cards(
                    published(WorkPackagePage.objects.descendant_of(self)),
                    "lead_organisation__title",
                )
                .select_related("lead_organisation")
                .order_by("number")
            ),
            "metropolises": list(
                as_cards(published(MetropolisPage.objects.descendant_of(self))).order_by("title")
            ),
        }
        if not upcoming_events:
            return Fact(shown)
        first_end = min(event.ends_at for event in upcoming_events)
        return Fact(shown, valid_for=(first_end - now).total_seconds())


class HomePageKeyFigure(KeyFigure):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="key_figures")


class SeedRecord(models.Model):
    """What the seed loader last wrote to a page, so it never overwrites an editor's work.

    A page whose latest revision is not the one recorded here has been edited since.
    """

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="seed_record")
    key = models.CharField(max_length=255, unique=True, help_text="The entry's key in the file.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the entry as loaded.")
    revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key
