"""The notices the seed loader creates (accessibility statement, privacy notice, imprint):
in every footer, their placeholders marked, the privacy notice's periods from the settings,
and the footer's settings filled without overriding an administrator."""

import copy
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Page, Site

from baltmet import personal_data
from baltmet.models import SiteSettings, StandardPage
from baltmet.seeding.loader import DEFAULT_SEED_FILE, SeedLoader, read_seed_file
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

# In the footer's order.
NOTICES = {
    "privacy": "Privacy notice",
    "accessibility": "Accessibility statement",
    "imprint": "Imprint",
}
LABEL = "To be completed by the portal's administrator:"


@pytest.fixture
def seed_data():
    return read_seed_file(DEFAULT_SEED_FILE)


def load(data):
    return SeedLoader(copy.deepcopy(data)).run()


def site_settings() -> SiteSettings:
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def soup(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_the_three_notices_are_in_the_footer_of_every_page(client, seed_data):
    load(seed_data)
    notices = {page.slug: page for page in StandardPage.objects.filter(slug__in=NOTICES)}
    assert all(page.live and not page.show_in_menus for page in notices.values())
    expected = [(NOTICES[slug], notices[slug].url) for slug in NOTICES]

    missing = {}
    for page in Page.objects.live().filter(depth__gt=1).order_by("path"):
        footer = soup(client, page.url).find("footer")
        links = [
            (a.get_text(strip=True), a["href"]) for a in footer.select(".site-footer__links a")
        ]
        if links[:3] != expected:
            missing[page.url] = links[:3]
    assert missing == {}


def test_the_notices_mark_what_only_the_administrator_can_fill(client, seed_data):
    load(seed_data)

    for slug in NOTICES:
        main = soup(client, f"/{slug}/").find("main")
        placeholders = main.select("p.placeholder")
        assert placeholders, slug
        for box in placeholders:
            assert box.find("strong").get_text() == LABEL
            assert len(box.get_text(" ", strip=True)) > len(LABEL) + 10  # says what is missing
        # No e-mail address is invented: the publisher's contact is a placeholder.
        assert not re.search(r"[\w.]+@[\w-]+\.\w+", main.get_text(" "))


def test_the_privacy_notice_states_each_forms_period_from_the_settings(client, seed_data, settings):
    load(seed_data)
    settings.PAGE_CACHE = False  # each request renders, so a changed setting shows at once

    def periods():
        main = soup(client, "/privacy/").find("main")
        return {
            heading.get_text(strip=True): heading.find_next_sibling("dl")
            .find("dt", string="How long it is kept")
            .find_next_sibling("dd")
            .get_text(strip=True)
            for heading in main.select(".personal-data h3")
        }

    settings.CONTACT_MESSAGE_RETENTION_DAYS = 180
    assert periods() == {str(entry.form): entry.retention() for entry in personal_data.registry()}
    assert periods()["Contact form"] == "Deleted 180 days after it was sent."

    settings.CONTACT_MESSAGE_RETENTION_DAYS = 30

    assert periods()["Contact form"] == "Deleted 30 days after it was sent."


def test_the_administrators_dashboard_lists_the_notices_to_complete(seed_data, django_user_model):
    load(seed_data)
    administrator = django_user_model.objects.create_superuser("root", password="x" * 16)
    client = Client()
    log_in(client, administrator)

    panel = soup(client, "/admin/").find(id="pages-to-complete-section")

    edit_links = {a["href"] for a in panel.select(".portal-dashboard__list > li > a")}
    assert edit_links == {
        f"/admin/pages/{page.pk}/edit/" for page in StandardPage.objects.filter(slug__in=NOTICES)
    }


# --- The footer's settings -------------------------------------------------------------------


def test_a_notice_an_administrator_chose_is_kept(seed_data):
    load(seed_data)
    chosen = StandardPage.objects.get(slug="about")
    settings = site_settings()
    settings.imprint_page = chosen
    settings.save()

    load(seed_data)

    assert site_settings().imprint_page_id == chosen.pk


def test_an_edited_notice_is_not_overwritten(seed_data, django_user_model):
    load(seed_data)
    administrator = django_user_model.objects.create_superuser("root", password="x" * 16)
    imprint = StandardPage.objects.get(slug="imprint")
    imprint.body = [{"type": "paragraph", "value": "<p>Published by the publisher.</p>"}]
    imprint.save_revision(user=administrator).publish(user=administrator)
    changed = copy.deepcopy(seed_data)
    entry = next(page for page in changed["pages"] if page["slug"] == "imprint")
    entry["intro"] = "The loader's new lead."

    report = load(changed)

    imprint = StandardPage.objects.get(slug="imprint")
    assert [block.block_type for block in imprint.body] == ["paragraph"]
    assert imprint.intro != "The loader's new lead."
    assert any(
        re.fullmatch(r"\s*skipped  imprint  \(changed in the admin.*", line)
        for line in report.lines
    )


def test_a_deleted_notice_is_not_brought_back_and_its_setting_stays_empty(seed_data):
    load(seed_data)
    StandardPage.objects.get(slug="privacy").delete()

    report = load(seed_data)

    assert not Page.objects.filter(slug="privacy").exists()
    assert site_settings().privacy_page is None
    assert "not restored  privacy" in "\n".join(report.lines)


def test_a_moved_notice_stays_in_the_footer(seed_data):
    load(seed_data)
    imprint = StandardPage.objects.get(slug="imprint")
    imprint.move(StandardPage.objects.get(slug="about"), pos="last-child")
    settings = site_settings()
    settings.imprint_page = None  # cleared, to see the loader find it where it is
    settings.save()

    load(seed_data)

    assert site_settings().imprint_page_id == imprint.pk
