"""The news listing's filter choices and count are cached (news/filters.py) until the page
cache's generation changes: every change they are computed from shows at once. The events
listing moves an event to the past when it ends, without an edit."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from events.factories import EventPageFactory
from events.models import EventIndexPage
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from tests.helpers import option_values, publish


@pytest.fixture(autouse=True, params=[False, True], ids=["uncached", "page cache"])
def page_cache(request, settings):
    # Rendered for each request, only the choices come from the cache; then whole pages too.
    settings.PAGE_CACHE = request.param


@pytest.fixture
def riga(site_tree):
    return MetropolisPageFactory(parent=site_tree.partners, title="Riga")


@pytest.fixture
def riga_news(site_tree, riga):
    page = NewsPageFactory(parent=site_tree.news, title="Riga news", date=dt.date(2009, 3, 1))
    page.tags.add("clusters")
    return publish(page, related_metropolises=[riga])


def listing(client, url):
    return client.get(url).content.decode()


def choice_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured.captured_queries if "EXTRACT(YEAR" in q["sql"]]


def test_the_news_choices_are_computed_once_until_a_change(client, site_tree, riga_news, settings):
    settings.PAGE_CACHE = False
    assert len(choice_queries(client, site_tree.news.url)) == 1

    assert len(choice_queries(client, site_tree.news.url)) == 0
    filtered = f"{site_tree.news.url}?year=2009"
    assert len(choice_queries(client, filtered)) == 0  # the same choices

    publish(riga_news)
    assert len(choice_queries(client, site_tree.news.url)) == 1


def test_a_published_item_adds_its_year_tag_and_count_at_once(client, site_tree, riga_news):
    assert option_values(listing(client, site_tree.news.url), "year") == ["", "2009"]

    later = NewsPageFactory(parent=site_tree.news, title="Later", date=dt.date(2011, 1, 1))
    later.tags.add("open days")
    publish(later)

    html = listing(client, site_tree.news.url)
    assert option_values(html, "year") == ["", "2011", "2009"]
    assert option_values(html, "tag") == ["", "clusters", "open-days"]
    assert "2 news items" in html


def test_an_unpublished_item_takes_its_choices_away_at_once(client, site_tree, riga_news):
    assert option_values(listing(client, site_tree.news.url), "metropolis") == ["", "riga"]

    riga_news.unpublish()

    assert 'value="riga"' not in listing(client, site_tree.news.url)


def test_a_renamed_related_page_is_offered_by_its_new_name(client, site_tree, riga, riga_news):
    assert ">Riga<" in listing(client, site_tree.news.url)

    riga.title = "Rīga"
    riga.save_revision().publish()

    assert ">Rīga<" in listing(client, site_tree.news.url)


def test_a_new_related_partner_is_offered_once_the_item_is_published(
    client, site_tree, riga, riga_news
):
    assert option_values(listing(client, site_tree.news.url), "partner") == [""]
    city = OrganisationPageFactory(parent=riga, title="City of Riga")

    publish(riga_news, related_organisations=[city])

    assert option_values(listing(client, site_tree.news.url), "partner") == ["", "city-of-riga"]


def test_a_renamed_tag_is_offered_by_its_new_name(client, site_tree, riga_news):
    assert ">clusters<" in listing(client, site_tree.news.url)

    tag = Tag.objects.get(slug="clusters")
    tag.name = "Clusters and networks"
    tag.save()

    assert ">Clusters and networks<" in listing(client, site_tree.news.url)


def test_a_restricted_item_leaves_the_choices_and_the_count(client, site_tree, riga_news):
    NewsPageFactory(parent=site_tree.news, date=dt.date(2010, 1, 1)).save_revision().publish()
    assert option_values(listing(client, site_tree.news.url), "year") == ["", "2010", "2009"]

    PageViewRestriction.objects.create(
        page=riga_news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    html = listing(client, site_tree.news.url)
    assert option_values(html, "year") == ["", "2010"]
    assert "1 news item" in html


# Events ----------------------------------------------------------------------------------


def event_titles(response, group: str) -> list[str]:
    if group == "upcoming":
        return [event.title for event in response.context["upcoming_events"]]
    return [
        event.title
        for events in response.context["past_events_by_year"].values()
        for event in events
    ]


def test_a_published_event_adds_its_city_at_once(client, site_tree):
    start = dt.date.today() + dt.timedelta(days=30)
    EventPageFactory(parent=site_tree.events, city="Riga", start_date=start)
    assert option_values(listing(client, site_tree.events.url), "city") == ["", "riga"]

    EventPageFactory(parent=site_tree.events, city="Tallinn", start_date=start)

    html = listing(client, site_tree.events.url)
    assert option_values(html, "city") == ["", "riga", "tallinn"]
    assert "2 events" in html


def test_an_event_that_ends_moves_to_the_past_when_it_ends(client, site_tree, monkeypatch):
    # One event per page: the count of upcoming events decides which page shows which event.
    monkeypatch.setattr(EventIndexPage, "page_size", 1)
    now = dt.datetime(2030, 5, 1, 12, 35, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        for title, day, start, end in [
            ("Seminar under way", now.date(), dt.time(12, 30), dt.time(12, 40)),
            ("Conference next week", now.date() + dt.timedelta(days=7), None, None),
        ]:
            EventPageFactory(
                parent=site_tree.events,
                title=title,
                start_date=day,
                start_time=start,
                end_time=end,
                time_zone="UTC",
            )
        first_page = client.get(site_tree.events.url)
        assert event_titles(first_page, "upcoming") == ["Seminar under way"]

    # No edit, and well within PAGE_CACHE_TIMEOUT: only time has passed.
    with time_machine.travel(now + dt.timedelta(minutes=6), tick=False):
        first_page = client.get(site_tree.events.url)
        second_page = client.get(f"{site_tree.events.url}?page=2")
    assert event_titles(first_page, "upcoming") == ["Conference next week"]
    assert event_titles(second_page, "past") == ["Seminar under way"]


def test_a_listing_page_shows_every_change_at_once(client, site_tree, riga_news):
    assert "Riga news" in listing(client, site_tree.news.url)

    riga_news.title = "Riga harbour news"
    riga_news.save_revision().publish()
    assert "Riga harbour news" in listing(client, site_tree.news.url)

    NewsPageFactory(parent=site_tree.news, title="Tallinn news", date=dt.date(2010, 1, 1))
    assert "Tallinn news" in listing(client, site_tree.news.url)

    riga_news.unpublish()
    html = listing(client, site_tree.news.url)
    assert "Riga harbour news" not in html and "Tallinn news" in html


def test_an_item_moved_onto_the_first_page_shows_there_at_once(client, site_tree):
    for day in range(1, 13):
        NewsPageFactory(parent=site_tree.news, date=dt.date(2010, 1, day))
    old = NewsPageFactory(parent=site_tree.news, title="Old news", date=dt.date(2009, 1, 1))
    assert "Old news" not in listing(client, site_tree.news.url)  # on page 2

    old.date = dt.date(2011, 1, 1)
    old.save_revision().publish()

    assert "Old news" in listing(client, site_tree.news.url)
