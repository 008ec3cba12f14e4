"""Each page names the documents its content comes from; inferences are marked where visitors
see them; the former portal's news carry no publication date the sources do not give."""

import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

from baltmet.models import FigureSource
from baltmet.seeding.loader import load_seed_content
from events.models import EventPage
from news.models import NewsPage
from partners.models import OrganisationPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    load_seed_content()


def source_line(client, url) -> str:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    line = soup.select_one(".source-line--page")
    return line.get_text(" ", strip=True) if line else ""


def test_every_page_from_a_source_document_names_it(client, seeded):
    missing = []
    for page in Page.objects.live().filter(depth__gt=1).specific():
        expected = [source.title for source in page.sources.all()]
        if page.slug in ("accessibility", "privacy", "contact"):
            assert expected == []  # the portal's own pages, not from a document
            continue
        line = source_line(client, page.url)
        if not expected or not all(title in line for title in expected):
            missing.append(page.url)
    assert missing == []


def test_a_source_says_when_its_year_is_inferred_or_it_is_undated(client, seeded):
    assert "2007 (undated: year inferred from the document's contents)" in source_line(
        client, "/work-packages/cluster-development/"
    )
    assert "Bridge-BSR" in source_line(client, "/about/bridge-bsr/")
    assert source_line(client, "/about/bridge-bsr/").endswith("undated")
    assert "23 January 2008" in source_line(
        client, "/events/european-presidency-conference-stockholm-2008/"
    )


def test_an_edited_source_shows_at_once(client, seeded, settings):
    settings.PAGE_CACHE = False
    url = "/about/bridge-bsr/"
    source_line(client, url)  # read once, so the line is cached
    source = FigureSource.objects.get(title__startswith="Bridge-BSR")
    source.title = "Bridge-BSR project description"
    source.save()
    assert "Bridge-BSR project description" in source_line(client, url)


def test_inferred_types_and_dates_are_marked(client, seeded):
    organisation = OrganisationPage.objects.get(slug="wista-management")
    text = BeautifulSoup(client.get(organisation.url).content, "html.parser").get_text(" ")
    assert "Science park (inferred from the organisation's name)" in text
    meeting = EventPage.objects.get(slug="mayors-meeting-tallinn-2007")
    text = BeautifulSoup(client.get(meeting.url).content, "html.parser").get_text(" ")
    assert "The year is inferred" in text


def test_the_former_portals_news_show_no_publication_date(client, seeded):
    items = NewsPage.objects.live()
    assert items and all(item.from_former_portal for item in items)
    item = items.get(slug="seminar-at-open-days-in-brussels")
    soup = BeautifulSoup(client.get(item.url).content, "html.parser")
    meta = soup.select_one(".page-meta")
    assert meta.get_text(strip=True) == "From the former portal, undated"
    assert meta.find("time") is None
    data = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    article = next(d for d in data if d.get("@type") == "NewsArticle")
    assert "datePublished" not in article
    listing = client.get("/news/").content.decode()
    assert listing.count("From the former portal, undated") == items.count()
    assert not re.search(r'<time[^>]*datetime="2007-10-09"', listing)


def test_feeds_give_no_publication_date_for_them(client, seeded):
    rss = feedparser.parse(client.get("/news/feed/rss/").content)
    assert rss.entries and all("published" not in entry for entry in rss.entries)
    atom = feedparser.parse(client.get("/news/feed/atom/").content)
    assert atom.entries and all("updated" in entry for entry in atom.entries)


def test_a_news_item_with_a_publication_date_shows_it(client, seeded):
    item = NewsPage.objects.live().first()
    item.from_former_portal = False
    item.save_revision().publish()
    html = client.get(item.url).content.decode()
    assert f'datetime="{item.date:%Y-%m-%d}"' in html
