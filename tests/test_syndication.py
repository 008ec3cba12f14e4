"""Feeds, calendars, the sitemap and robots.txt, read as their clients read them."""

import datetime as dt
import xml.etree.ElementTree as ET
import zoneinfo

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar
from wagtail.models import Page, PageViewRestriction

from events import calendar as events_calendar_module
from events.factories import EventPageFactory
from news.factories import NewsPageFactory

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
NOW = dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC)


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.ics"')
    return Calendar.from_ical(response.content)


# News feeds ---------------------------------------------------------------------------------


@pytest.fixture
def news(site_tree):
    """Three published items on different days, a draft and an item in a private section."""
    for title, date in [
        ("Oldest", dt.date(2025, 1, 10)),
        ("Newest", dt.date(2025, 3, 1)),
        ("Middle", dt.date(2025, 2, 5)),
    ]:
        NewsPageFactory(parent=site_tree.news, title=title, date=date)
    NewsPageFactory(parent=site_tree.news, title="Draft", date=dt.date(2025, 4, 1), live=False)
    return site_tree


@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/"])
def test_news_feeds_list_the_published_items_newest_first(client, news, url):
    parsed = feed(client, url)

    assert parsed.feed.title == "BaltMet Inno news"
    assert parsed.feed.link == "http://testserver/news/"
    assert [entry.title for entry in parsed.entries] == ["Newest", "Middle", "Oldest"]
    newest = parsed.entries[0]
    assert newest.link == "http://testserver/news/newest/"
    assert newest.summary == "The lead of Newest."
    # The item's date at midnight in Helsinki (UTC+2 in March).
    assert newest.published_parsed[:6] == (2025, 2, 28, 22, 0, 0)


def news_queries(client, url, **headers) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content, sum("news_newspage" in q["sql"] for q in captured)


@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/"])
def test_news_feeds_are_cached_for_each_address_until_an_item_changes(client, news, url, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.org"]
    first, read = news_queries(client, url)
    assert read == 1
    assert news_queries(client, url) == (first, 0)  # from the page cache
    assert client.get(url)["Content-Type"].startswith("application/")
    assert client.get(url)["Last-Modified"] == "Fri, 28 Feb 2025 22:00:00 GMT"

    other, read = news_queries(client, url, HTTP_HOST="news.example.org")
    assert read == 1
    assert "http://news.example.org/news/newest/" in other.decode()

    NewsPageFactory(parent=news.news, title="Latest", date=dt.date(2025, 5, 1))
    assert feed(client, url).entries[0].title == "Latest"


@pytest.mark.parametrize(
    ("url", "self_link"),
    [
        ("/news/feed/rss/", "http://testserver/news/feed/rss/"),
        ("/news/feed/atom/", "http://testserver/news/feed/atom/"),
    ],
)
def test_news_feeds_link_to_themselves(client, news, url, self_link):
    parsed = feed(client, url)
    assert any(link.rel == "self" and link.href == self_link for link in parsed.feed.links)


def test_news_feed_hides_unpublished_and_private_items_and_keeps_twenty(client, site_tree):
    for day in range(1, 23):
        NewsPageFactory(parent=site_tree.news, date=dt.date(2025, 1, day))
    private = NewsPageFactory(parent=site_tree.news, title="Private", date=dt.date(2025, 2, 1))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    NewsPageFactory(parent=site_tree.news, title="Draft", date=dt.date(2025, 2, 1), live=False)

    entries = feed(client, "/news/feed/rss/").entries

    assert len(entries) == 20
    assert {"Private", "Draft"}.isdisjoint(entry.title for entry in entries)
    assert entries[0].published_parsed[:3] == (2025, 1, 21)  # 22 January 2025 in Helsinki


def test_every_page_announces_the_news_feeds(client, site_tree):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/news/feed/rss/"' in html
    assert 'href="/news/feed/atom/"' in html


# Upcoming events feed -----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_events_feed_lists_upcoming_events_soonest_first(client, site_tree):
    events = site_tree.events
    EventPageFactory(parent=events, title="Later", start_date=dt.date(2025, 9, 1))
    EventPageFactory(
        parent=events,
        title="Sooner",
        start_date=dt.date(2025, 6, 10),
        end_date=dt.date(2025, 6, 12),
        start_time=None,
        end_time=None,
    )
    EventPageFactory(parent=events, title="Over", start_date=dt.date(2025, 4, 1))
    EventPageFactory(parent=events, title="Draft", start_date=dt.date(2025, 7, 1), live=False)

    parsed = feed(client, "/events/feed/")

    assert parsed.feed.link == "http://testserver/events/"
    assert [entry.title for entry in parsed.entries] == ["Sooner", "Later"]
    assert parsed.entries[0].link == "http://testserver/events/sooner/"
    assert parsed.entries[0].summary.startswith("10–12 June 2025. ")
    assert "What Sooner is about." in parsed.entries[0].summary


# Calendars ----------------------------------------------------------------------------------


@pytest.fixture
def two_events(site_tree):
    all_day = EventPageFactory(
        parent=site_tree.events,
        title="Conference",
        start_date=dt.date(2025, 6, 10),
        end_date=dt.date(2025, 6, 12),
        start_time=None,
        end_time=None,
        time_zone="Europe/Riga",
        venue="Hall",
        city="Riga",
        country="Latvia",
    )
    timed = EventPageFactory(
        parent=site_tree.events,
        title="Seminar",
        start_date=dt.date(2025, 1, 15),
        start_time=dt.time(10, 0),
        end_time=dt.time(16, 0),
        time_zone="Europe/Berlin",
    )
    EventPageFactory(parent=site_tree.events, title="Draft", live=False)
    return all_day, timed


def vevents(cal: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


def test_the_subscribable_calendar_has_the_published_events(client, two_events):
    cal = calendar(client, "/events/calendar.ics")

    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    events = vevents(cal)
    assert sorted(events) == ["Conference", "Seminar"]

    conference = events["Conference"]
    assert conference.decoded("DTSTART") == dt.date(2025, 6, 10)
    assert conference.decoded("DTEND") == dt.date(2025, 6, 13)  # exclusive: the day after
    assert str(conference["LOCATION"]) == "Hall, Riga, Latvia"
    assert str(conference["DESCRIPTION"]) == "What Conference is about."
    assert str(conference["URL"]) == "http://testserver/events/conference/"
    assert "DTSTAMP" in conference

    seminar = events["Seminar"]
    assert seminar["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert seminar.decoded("DTSTART") == dt.datetime(
        2025, 1, 15, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")
    )
    assert seminar.decoded("DTEND").time() == dt.time(16, 0)
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_the_subscribable_calendar_holds_upcoming_then_latest_past_events(
    client, site_tree, monkeypatch, settings
):
    # The limit changes below, which the page cache cannot know.
    settings.PAGE_CACHE = False
    monkeypatch.setattr(events_calendar_module, "CALENDAR_EVENTS", 4)
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        for day, title in [(3, "Past 1"), (10, "Past 2"), (20, "Past 3")]:
            EventPageFactory(parent=site_tree.events, title=title, start_date=dt.date(2025, 2, day))
        for month, title in [(4, "Next 1"), (5, "Next 2"), (6, "Next 3")]:
            EventPageFactory(
                parent=site_tree.events, title=title, start_date=dt.date(2025, month, 1)
            )
        cal = calendar(client, "/events/calendar.ics")
        titles = [str(event["SUMMARY"]) for event in cal.walk("VEVENT")]
        assert titles == ["Past 3", "Next 1", "Next 2", "Next 3"]

        monkeypatch.setattr(events_calendar_module, "CALENDAR_EVENTS", 2)
        titles = [
            str(e["SUMMARY"]) for e in calendar(client, "/events/calendar.ics").walk("VEVENT")
        ]
        assert titles == ["Next 1", "Next 2"]  # the soonest, when upcoming ones fill it


def test_calendar_uids_are_stable_and_distinct(client, two_events):
    def uids():
        return [str(e["UID"]) for e in calendar(client, "/events/calendar.ics").walk("VEVENT")]

    first = uids()
    assert first == uids()
    assert len(set(first)) == 2
    one = calendar(client, f"/events/{two_events[1].pk}/calendar.ics")
    assert str(one.walk("VEVENT")[0]["UID"]) in first


def test_one_event_calendar(client, two_events):
    _, timed = two_events
    cal = calendar(client, f"/events/{timed.pk}/calendar.ics")
    assert list(vevents(cal)) == ["Seminar"]
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


@pytest.mark.parametrize(
    "which",
    ["unknown id", "id beyond any integer column", "draft event", "news page", "private event"],
)
def test_one_event_calendar_is_404_for_anything_but_a_published_event(client, site_tree, which):
    draft = EventPageFactory(parent=site_tree.events, live=False)
    private = EventPageFactory(parent=site_tree.events)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    page_id = {
        "unknown id": 999_999,
        "id beyond any integer column": 10**30,
        "draft event": draft.pk,
        "news page": NewsPageFactory(parent=site_tree.news).pk,
        "private event": private.pk,
    }[which]
    assert client.get(f"/events/{page_id}/calendar.ics").status_code == 404


def test_an_event_moved_to_the_same_instant_in_another_zone_shows_its_zone(
    client, two_events, settings
):
    settings.PAGE_CACHE = False  # changed in SQL below, which the page cache does not see
    _, seminar = two_events  # 10:00 in Berlin, 09:00 UTC
    client.get("/events/calendar.ics")
    # The same instant, and the same stamp: only the zone tells the entries apart.
    type(seminar).objects.filter(pk=seminar.pk).update(
        time_zone="Europe/Helsinki", start_time=dt.time(11, 0), end_time=dt.time(17, 0)
    )

    cal = calendar(client, "/events/calendar.ics")

    assert vevents(cal)["Seminar"]["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Helsinki"]


def test_an_event_never_stamped_by_publishing_is_stamped_now(client, two_events, settings):
    settings.PAGE_CACHE = False
    _, seminar = two_events
    type(seminar).objects.filter(pk=seminar.pk).update(last_published_at=None)

    seminars = []
    for moment in [NOW, NOW + dt.timedelta(hours=1)]:
        with time_machine.travel(moment, tick=False):
            seminars.append(vevents(calendar(client, "/events/calendar.ics"))["Seminar"])

    assert [seminar.decoded("DTSTAMP") for seminar in seminars] == [
        NOW,
        NOW + dt.timedelta(hours=1),
    ]


def test_event_pages_link_to_their_calendar_and_the_index_to_the_subscription(client, two_events):
    all_day, _ = two_events
    event_html = client.get(all_day.url).content.decode()
    assert f'href="/events/{all_day.pk}/calendar.ics"' in event_html
    index_html = client.get("/events/").content.decode()
    assert 'href="/events/calendar.ics"' in index_html
    assert 'type="application/rss+xml" title="BaltMet Inno upcoming events (RSS)"' in index_html


# Sitemap and robots.txt ---------------------------------------------------------------------

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_exactly_the_live_public_pages(client, two_events):
    conference, _ = two_events
    with time_machine.travel(NOW, tick=False):
        conference.save_revision().publish()
    NewsPageFactory(title="Private")
    PageViewRestriction.objects.create(
        page=Page.objects.get(title="Private"), restriction_type="login"
    )
    response = client.get("/sitemap.xml")
    assert response.status_code == 200

    root = ET.fromstring(response.content)
    urls = root.findall("sm:url", SITEMAP_NS)
    locations = sorted(url.find("sm:loc", SITEMAP_NS).text for url in urls)
    expected = sorted(
        page.get_full_url()
        for page in Page.objects.live().public().exclude(depth=1).specific()
        if page.title != "Private"
    )
    assert locations == expected
    assert not any(location.endswith("/events/draft/") for location in locations)
    lastmod = {
        url.find("sm:loc", SITEMAP_NS).text: url.find("sm:lastmod", SITEMAP_NS) for url in urls
    }
    assert lastmod[conference.get_full_url()].text == "2025-05-01"


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Disallow: /api/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# The subscribable calendar is kept as a fact (events.calendar.events_calendar)


def event_queries(client, url, **headers) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content, sum("events_eventpage" in q["sql"] for q in captured)


def test_the_calendar_is_cached_for_each_address_until_an_event_changes(
    client, two_events, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "events.example.org"]
    first, read = event_queries(client, "/events/calendar.ics")
    assert read > 0
    assert event_queries(client, "/events/calendar.ics") == (first, 0)

    other, read = event_queries(client, "/events/calendar.ics", HTTP_HOST="events.example.org")
    assert read > 0
    assert b"URL:http://events.example.org/events/conference/" in other
    assert b"URL:http://testserver/events/conference/" in first

    _, seminar = two_events
    seminar.title = "Seminar, renamed"
    seminar.save_revision().publish()
    assert "Seminar, renamed" in vevents(calendar(client, "/events/calendar.ics"))


def test_the_cached_calendar_lasts_until_the_next_event_starts_or_ends(
    client, two_events, monkeypatch
):
    monkeypatch.setattr(events_calendar_module, "CALENDAR_EVENTS", 1)  # the soonest upcoming
    _conference, seminar = two_events
    before_the_seminar_ends = seminar.ends_at - dt.timedelta(minutes=5)
    with time_machine.travel(before_the_seminar_ends, tick=False):
        response = client.get("/events/calendar.ics")
        assert response["X-Cache"] == "MISS"
        assert list(vevents(calendar(client, "/events/calendar.ics"))) == ["Seminar"]
        assert client.get("/events/calendar.ics")["X-Cache"] == "HIT"
    with time_machine.travel(seminar.ends_at + dt.timedelta(minutes=1), tick=False):
        assert list(vevents(calendar(client, "/events/calendar.ics"))) == ["Conference"]
