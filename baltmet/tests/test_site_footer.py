"""The footer every page shares (from Site settings) and the visitors' sitemap page."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction, Site

from baltmet.factories import StandardPageFactory
from baltmet.models import SiteSettings
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from tests.helpers import queries

pytestmark = pytest.mark.django_db


def footer(client, url="/"):
    html = client.get(url).content.decode()
    return BeautifulSoup(html, "html.parser").find("footer")


def settings_for_site() -> SiteSettings:
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


def test_the_eu_emblem_stands_beside_the_funding_statement_and_is_decorative(client, site_tree):
    funding = footer(client).select_one(".eu-funding")

    emblem = funding.find("img")
    assert emblem["src"].endswith("img/eu-emblem.svg")
    assert emblem["alt"] == ""  # the statement next to it says what it means
    assert (emblem["width"], emblem["height"]) == ("60", "40")  # the emblem's 3:2
    assert funding.get_text(" ", strip=True) == "Project part-financed by the European Union"


def test_the_footer_says_what_the_site_settings_say(client, site_tree):
    accessibility = StandardPageFactory(parent=site_tree.home, title="Accessibility statement")
    privacy = StandardPageFactory(parent=site_tree.home, title="Privacy notice")
    settings = settings_for_site()
    settings.contact_email = "office@example.org"
    settings.contact_address = "Street 1\n00100 Helsinki"
    settings.accessibility_page = accessibility
    settings.privacy_page = privacy
    settings.footer_links = [
        {"type": "link", "value": {"text": "Earlier portal", "url": "http://www.inno.baltmet.org/"}}
    ]
    settings.save()

    html = footer(client)

    address = html.find("address")
    assert address.get_text("|", strip=True) == "Street 1|00100 Helsinki"
    assert "office" in html.select_one(".site-footer__contact a")["href"].replace("&#", "")
    links = [(a.get_text(strip=True), a["href"]) for a in html.select(".site-footer__links a")]
    # The notices in a fixed order (privacy, accessibility, imprint), then the sitemap.
    assert links[:3] == [
        ("Privacy notice", privacy.url),
        ("Accessibility statement", accessibility.url),
        ("Sitemap", "/sitemap/"),
    ]
    assert ("Earlier portal", "http://www.inno.baltmet.org/") in links


def test_an_unpublished_notice_is_not_linked(client, site_tree):
    imprint = StandardPageFactory(parent=site_tree.home, title="Imprint")
    settings = settings_for_site()
    settings.imprint_page = imprint
    settings.save()
    assert "Imprint" in footer(client).get_text()

    imprint.unpublish()

    assert "Imprint" not in footer(client).get_text()


def test_without_contact_details_the_footer_has_no_empty_contact_block(client, site_tree):
    assert footer(client).select(".site-footer__contact") == []


def test_the_footers_notices_cost_one_query_whatever_their_number(client, site_tree, settings):
    settings.PAGE_CACHE = False  # what rendering costs, not a cache hit
    before = queries(client, "/")
    settings = settings_for_site()
    for field in ("privacy_page", "accessibility_page", "imprint_page"):
        setattr(settings, field, StandardPageFactory(parent=site_tree.home))
    settings.save()

    assert queries(client, "/") == before + 1


# --- The sitemap page -------------------------------------------------------------------------


def test_the_sitemap_lists_the_published_pages_as_a_tree(client, site_tree):
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga")
    OrganisationPageFactory(parent=riga, title="City of Riga")
    draft = MetropolisPageFactory(parent=site_tree.partners, title="Draft city")
    draft.unpublish()
    private = StandardPageFactory(parent=site_tree.home, title="Members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    StandardPageFactory(parent=private, title="Below members only")
    NewsPageFactory(parent=site_tree.news, title="A news item")

    response = client.get("/sitemap/")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    tree = page.select_one("ul.sitemap")
    nested = tree.find("a", string="Riga").find_parent("li").find("ul")
    assert [a.get_text() for a in nested.find_all("a")] == ["City of Riga"]
    text = tree.get_text(" ")
    assert "Partners" in text and "News" in text
    for hidden in ("Draft city", "Members only", "Below members only", "A news item"):
        assert hidden not in text
    assert page.find("h1").get_text() == "Sitemap"


def test_the_sitemap_answers_only_get_and_head(client, site_tree):
    assert client.post("/sitemap/").status_code == 405
    assert client.head("/sitemap/").status_code == 200
