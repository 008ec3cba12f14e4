"""Canonical links, Open Graph and Twitter tags, and schema.org JSON-LD in every page's <head>."""

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from baltmet.factories import ImageFactory
from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from partners.factories import OrganisationPageFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta = {}
        self.canonical = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs["content"]


def render(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    parser = HeadParser()
    parser.feed(html)
    return html, parser


def json_ld_blocks(html) -> dict:
    blocks = [json.loads(text) for text in JSON_LD.findall(html)]
    return {block["@type"]: block for block in blocks}


def test_canonical_and_open_graph_tags_are_absolute(client, organisation):
    _, head = render(client, organisation)
    full_url = organisation.get_full_url()
    assert full_url.startswith("http")
    assert head.canonical == full_url
    assert head.meta["og:url"] == full_url
    assert head.meta["og:title"] == organisation.title
    assert head.meta["og:type"] == "website"
    assert head.meta["og:site_name"] == "BaltMet Inno"
    assert head.meta["og:locale"] == "en_GB"
    assert head.meta["og:description"] == organisation.intro
    assert head.meta["description"] == organisation.intro
    assert head.meta["twitter:title"] == organisation.title
    assert head.meta["og:image"].startswith("http")
    assert head.meta["og:image"].endswith("/img/share.png")
    assert head.meta["twitter:card"] == "summary_large_image"
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")


def test_search_description_wins_and_long_text_is_cut(client, site_tree):
    news = NewsPageFactory(parent=site_tree.news, intro="<b>Lead</b> " + "word " * 100)
    _, head = render(client, news)
    assert head.meta["og:type"] == "article"
    assert head.meta["description"].startswith("Lead word")
    assert len(head.meta["description"]) <= 160
    news.search_description = "What search engines show."
    news.save_revision().publish()
    _, head = render(client, news)
    assert head.meta["description"] == "What search engines show."


def test_home_page_uses_its_mission_and_has_no_breadcrumb_list(client, site_tree):
    html, head = render(client, site_tree.home)
    assert head.meta["description"] == site_tree.home.mission
    assert head.canonical == site_tree.home.get_full_url()
    assert "BreadcrumbList" not in json_ld_blocks(html)


def test_organisation_logo_is_the_share_image(client, metropolis):
    organisation = OrganisationPageFactory(parent=metropolis, logo=ImageFactory())
    html, head = render(client, organisation)
    assert head.meta["og:image"].startswith("http")
    assert "/img/share.png" not in head.meta["og:image"]
    assert head.meta["og:image:alt"] == organisation.logo.description
    assert head.meta["twitter:card"] == "summary"
    assert json_ld_blocks(html)["Organization"]["logo"] == head.meta["og:image"]


def test_organisation_json_ld(client, organisation, metropolis):
    html, _ = render(client, organisation)
    data = json_ld_blocks(html)["Organization"]
    assert data["@context"] == "https://schema.org"
    assert data["name"] == organisation.title
    assert data["url"] == organisation.get_full_url()
    assert data["sameAs"] == [organisation.website]
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": metropolis.title,
        "addressCountry": metropolis.country,
    }
    assert "logo" not in data


def test_timed_event_json_ld(client, site_tree, organisation):
    event = EventPageFactory(
        parent=site_tree.events,
        start_date=dt.date(2008, 1, 23),
        start_time=dt.time(9, 0),
        end_time=dt.time(17, 0),
        time_zone="Europe/Stockholm",
        other_organisers="The Swedish Institute",
    )
    event.organising_partners.set([organisation])
    event.save_revision().publish()
    html, _ = render(client, event)
    data = json_ld_blocks(html)["Event"]
    assert data["name"] == event.title
    assert data["startDate"] == "2008-01-23T09:00:00+01:00"
    assert data["endDate"] == "2008-01-23T17:00:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"] == {
        "@type": "Place",
        "name": event.venue,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": event.city,
            "addressCountry": event.country,
        },
    }
    assert data["organizer"] == [
        {"@type": "Organization", "name": organisation.title, "url": organisation.get_full_url()},
        {"@type": "Organization", "name": "The Swedish Institute"},
    ]
    assert data["description"] == event.intro
    assert data["url"] == event.get_full_url()


def test_all_day_event_json_ld(client, site_tree):
    event = EventPageFactory(
        parent=site_tree.events,
        start_date=dt.date(2007, 6, 13),
        end_date=dt.date(2007, 6, 15),
        start_time=None,
        end_time=None,
        venue="",
    )
    html, _ = render(client, event)
    data = json_ld_blocks(html)["Event"]
    assert (data["startDate"], data["endDate"]) == ("2007-06-13", "2007-06-15")
    assert data["location"]["name"] == event.city
    assert "organizer" not in data


def test_news_article_json_ld(client, site_tree):
    news = NewsPageFactory(parent=site_tree.news, date=dt.date(2008, 2, 1))
    news.save_revision().publish()
    news.refresh_from_db()
    html, head = render(client, news)
    data = json_ld_blocks(html)["NewsArticle"]
    assert data["headline"] == news.title
    assert data["datePublished"] == "2008-02-01"
    assert data["dateModified"] == news.last_published_at.isoformat()
    assert data["description"] == news.intro
    assert data["url"] == news.get_full_url()
    assert data["publisher"]["name"] == "BaltMet Inno"
    assert data["image"] == head.meta["og:image"]
    assert data["image"].startswith("http") and data["image"].endswith("/img/share.png")


def test_breadcrumb_list(client, site_tree, metropolis, organisation):
    html, _ = render(client, organisation)
    data = json_ld_blocks(html)["BreadcrumbList"]
    items = data["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3, 4]
    assert [item["name"] for item in items] == [
        "Home",
        site_tree.partners.title,
        metropolis.title,
        organisation.title,
    ]
    assert [item["item"] for item in items] == [
        site_tree.home.get_full_url(),
        site_tree.partners.get_full_url(),
        metropolis.get_full_url(),
        organisation.get_full_url(),
    ]
    assert all(item["item"].startswith("http") for item in items)


def test_title_cannot_break_out_of_the_json_ld_block(client, site_tree):
    title = "News </script><script>alert(1)</script> & more"
    news = NewsPageFactory(parent=site_tree.news, title=title, slug="breakout")
    html, _ = render(client, news)
    blocks = JSON_LD.findall(html)
    assert blocks
    for block in blocks:
        assert "</script><script>alert" not in block
        assert "<" not in block and ">" not in block
    head = html.split("</head>")[0]
    assert "<script>alert" not in head
    assert json_ld_blocks(html)["NewsArticle"]["headline"] == title


def test_default_share_image_is_committed():
    path = Path(settings.BASE_DIR) / "static" / "img" / "share.png"
    assert path.is_file()
    assert path.stat().st_size < 40 * 1024
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (1200, 630)
