"""The home page's news and events, around a frozen clock."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baltmet.home.factories import HomePageKeyFigureFactory
from baltmet.home.models import HomePage
from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from tests.helpers import assert_in_order

NOW = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
NO_UPCOMING = "No upcoming events are scheduled."


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def news(site_tree):
    def make(title, date, **fields):
        return NewsPageFactory(parent=site_tree.news, title=title, date=date, **fields)

    return make


@pytest.fixture
def event(site_tree):
    def make(title, date, **fields):
        """An all-day event in Helsinki."""
        return EventPageFactory(
            parent=site_tree.events,
            title=title,
            start_date=date,
            start_time=None,
            end_time=None,
            **fields,
        )

    return make


def get_home(client, site_tree):
    with time_machine.travel(NOW, tick=False):
        response = client.get(site_tree.home.url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_latest_news_newest_first(client, site_tree, news):
    count = HomePage.latest_news_count
    oldest_first = [news(f"News of day {n}", days(-n)) for n in range(count + 2, 0, -1)]
    news("Draft news of today", TODAY, live=False)

    response, html = get_home(client, site_tree)

    newest = oldest_first[::-1][:count]
    assert list(response.context["latest_news"]) == newest
    assert_in_order(html, [item.title for item in newest])
    for item in oldest_first[: len(oldest_first) - count]:
        assert item.title not in html
    assert "Draft news of today" not in html


def test_upcoming_events_soonest_first(client, site_tree, event, settings):
    settings.PAGE_CACHE = False  # what rendering reads (storing reads the next event's end)
    count = HomePage.events_count
    # Made latest first, so that an order by creation would fail.
    upcoming = [event(f"Event in {n} days", days(n)) for n in range(count + 2, 0, -1)][::-1]
    running = event("Event running today", TODAY)
    past = [event(f"Event {n} days ago", days(-n)) for n in range(count + 2, 0, -1)][::-1]
    event("Draft event tomorrow", days(1)).unpublish()

    with CaptureQueriesContext(connection) as queries:
        response, html = get_home(client, site_tree)

    soonest = [running, *upcoming][:count]
    assert list(response.context["upcoming_events"]) == soonest
    # The past events are not shown, and not read.
    assert len([q for q in queries.captured_queries if "events_eventpage" in q["sql"]]) == 1
    assert response.context["recent_events"] == []
    assert past[0].title not in html
    assert_in_order(html, [e.title for e in soonest])
    assert NO_UPCOMING not in html
    assert "Draft event tomorrow" not in html


def test_without_upcoming_events_says_so_and_shows_recent_ones(client, site_tree, event):
    count = HomePage.events_count
    past = [event(f"Event {n} days ago", days(-n)) for n in range(count + 2, 0, -1)][::-1]
    event("Draft event tomorrow", days(1)).unpublish()
    event("Draft event yesterday", days(-1)).unpublish()

    response, html = get_home(client, site_tree)

    assert list(response.context["upcoming_events"]) == []
    assert list(response.context["recent_events"]) == past[:count]
    assert NO_UPCOMING in html
    assert_in_order(html, [e.title for e in past[:count]])
    for older in past[count:]:
        assert older.title not in html
    assert "Draft event" not in html


# Freshness ------------------------------------------------------------------------------


def test_a_published_news_item_and_event_show_at_once(client, site_tree, news, event, settings):
    settings.PAGE_CACHE = False
    news("Cluster workshop", days(-2))
    get_home(client, site_tree)

    news("Smart city seminar", days(-1))
    event("Conference", days(3))
    html = get_home(client, site_tree)[1]

    assert "Smart city seminar" in html and "Conference" in html
    assert NO_UPCOMING not in html


@pytest.mark.parametrize("page_cache", [False, True], ids=["uncached", "page cache"])
def test_an_upcoming_event_leaves_the_list_when_it_ends(
    client, site_tree, event, settings, page_cache
):
    settings.PAGE_CACHE = page_cache
    settings.PAGE_CACHE_TIMEOUT = 3600  # kept for longer than the event has left
    count = HomePage.events_count
    # 10:00 to 14:30 in Helsinki: it ends at 12:30 UTC, half an hour after NOW.
    today = EventPageFactory(
        parent=site_tree.events, title="Workshop today", start_date=TODAY, end_time=dt.time(14, 30)
    )
    later = [event(f"Event in {n} days", days(n)) for n in range(1, count + 1)]
    assert get_home(client, site_tree)[0].context["upcoming_events"] == [today, *later[:-1]]

    with time_machine.travel(NOW + dt.timedelta(minutes=31), tick=False):
        html = client.get(site_tree.home.url).content.decode()

    assert today.title not in html
    assert_in_order(html, [e.title for e in later])


def test_a_preview_shows_the_drafts_key_figures(rf, site_tree, settings):
    settings.PAGE_CACHE = False
    home = HomePage.objects.get(pk=site_tree.home.pk)
    HomePageKeyFigureFactory(page=home, measure="Population", value="1000000")
    request = rf.get("/")
    assert [f.measure for f in home.get_context(request)["key_figures"]] == ["Population"]

    home.key_figures = [HomePageKeyFigureFactory.build(measure="Students", value="500000")]
    request.is_preview = True

    assert [f.measure for f in home.get_context(request)["key_figures"]] == ["Students"]


def test_the_hero_says_what_the_network_is_and_leads_to_partners_work_and_events(client, site_tree):
    site_tree.home.tagline = "Eleven metropolises co-operating in innovation policy."
    site_tree.home.save_revision().publish()

    html = client.get(site_tree.home.url).content.decode()

    hero = html[html.index('<div class="hero">') : html.index('<div class="container">', 200)]
    assert "<h1" in hero and "Eleven metropolises co-operating in innovation policy." in hero
    calls = re.findall(r'<a class="button[^"]*" href="([^"]+)">([^<]+)</a>', hero)
    assert calls == [
        (site_tree.partners.url, "Meet the partners"),
        (site_tree.work_packages.url, "The work packages"),
        (site_tree.events.url, "Events"),
    ]
    # News and events come right after the opening, before the longer texts and figures.
    assert_in_order(
        html, ['class="hero"', 'id="news-heading"', 'id="events-heading"', 'id="about-heading"']
    )


def test_an_unpublished_section_loses_its_call_to_action(client, site_tree):
    site_tree.work_packages.unpublish()

    html = client.get(site_tree.home.url).content.decode()

    assert "The work packages" not in html
    assert "Meet the partners" in html
