"""Filters of the news, events and partners listings.

Policy for bad parameters (documented in baltmet/filters.py): a filter whose value is unknown,
malformed or repeated is ignored with a visible notice, the others still apply, and the page
is a normal 200; a bad page number shows the first (or last) page, also with a notice.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
import time_machine
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from baltmet.filters import ListingSelect
from events.factories import EventPageFactory
from events.models import EventKind
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from partners.models import MetropolisStatus, OrganisationType, ProjectRole
from tests.helpers import BUDGET, option_values, publish, queries
from workpackages.factories import WorkPackagePageFactory

NOW = dt.datetime(2009, 6, 1, 12, tzinfo=dt.UTC)

# Every case of a bad query string; each must give the unfiltered listing with a notice.
BAD_FILTERS = {
    "letters for a year": "year=abc",
    "a year too big for any integer type": "year=99999999999",
    "a year with no news": "year=1999",
    "markup": "tag=%3Cscript%3Ealert(1)%3C/script%3E",
    "an unknown slug": "metropolis=atlantis",
    "a database id": "partner=1",
    "a NUL byte": "tag=innovation%00",
    "repeated": "year=2009&year=2008",
    "very long": "work_package=" + "x" * 5000,
    "invalid UTF-8": "tag=%FF%FE",
}
BAD_PAGES = {
    "negative": "page=-1",
    "zero": "page=0",
    "letters": "page=abc",
    "a fraction": "page=1.5",
    "huge": "page=" + "9" * 5000,
    "repeated": "page=1&page=2",
    "a NUL byte": "page=1%00",
}


def titles(response) -> list[str]:
    return [page.title for page in response.context["news_page"]]


def notices(response) -> list[str]:
    return response.context["notices"]


# News ----------------------------------------------------------------------------------------


@dataclass
class NewsWorld:
    url: str
    riga: object
    helsinki: object
    city_of_riga: object
    work_package: object


@pytest.fixture
def news_world(site_tree) -> NewsWorld:
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga")
    helsinki = MetropolisPageFactory(parent=site_tree.partners, title="Helsinki")
    draft_city = MetropolisPageFactory(parent=site_tree.partners, title="Draft City")
    draft_city.unpublish()
    city_of_riga = OrganisationPageFactory(parent=riga, title="City of Riga")
    work_package = WorkPackagePageFactory(
        parent=site_tree.work_packages, number=3, title="Cluster development"
    )

    def news(title, date, tags, **relations):
        page = NewsPageFactory(parent=site_tree.news, title=title, date=date)
        page.tags.add(*tags)
        return publish(page, **relations)

    news(
        "Riga joins the clusters",
        dt.date(2009, 3, 1),
        ["innovation", "clusters"],
        related_metropolises=[riga],
        related_organisations=[city_of_riga],
        related_work_packages=[work_package],
    )
    news("Helsinki open days", dt.date(2008, 5, 1), ["open days"], related_metropolises=[helsinki])
    news("Network founded", dt.date(2007, 1, 10), ["innovation"])
    draft = news("A draft", dt.date(2005, 1, 1), ["secret"], related_metropolises=[draft_city])
    draft.unpublish()
    return NewsWorld(site_tree.news.url, riga, helsinki, city_of_riga, work_package)


ALL_NEWS = ["Riga joins the clusters", "Helsinki open days", "Network founded"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ALL_NEWS),
        ("year=2008", ["Helsinki open days"]),
        ("tag=innovation", ["Riga joins the clusters", "Network founded"]),
        ("tag=open-days", ["Helsinki open days"]),
        ("metropolis=riga", ["Riga joins the clusters"]),
        ("metropolis=helsinki", ["Helsinki open days"]),
        ("partner=city-of-riga", ["Riga joins the clusters"]),
        ("work_package=cluster-development", ["Riga joins the clusters"]),
        # Empty values are what the form sends for "All ...": no filter.
        ("year=&tag=&metropolis=&partner=&work_package=", ALL_NEWS),
        # Combinations narrow down.
        ("tag=innovation&year=2007", ["Network founded"]),
        ("tag=innovation&metropolis=riga&year=2009", ["Riga joins the clusters"]),
        ("tag=innovation&metropolis=helsinki", []),
        # Parameters that are not filters are no business of the listing.
        ("utm_source=newsletter&year=2008", ["Helsinki open days"]),
    ],
)
def test_news_filters(client, news_world, query, expected):
    response = client.get(f"{news_world.url}?{query}")

    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["news_page"].paginator.count == len(expected)
    assert notices(response) == []


def test_news_filter_choices_come_from_published_news_only(client, news_world):
    html = client.get(news_world.url).content.decode()

    assert option_values(html, "year") == ["", "2009", "2008", "2007"]
    assert option_values(html, "tag") == ["", "clusters", "innovation", "open-days"]
    assert option_values(html, "metropolis") == ["", "helsinki", "riga"]
    assert option_values(html, "partner") == ["", "city-of-riga"]
    assert option_values(html, "work_package") == ["", "cluster-development"]
    assert "Work package 3: Cluster development" in html
    assert "secret" not in html and "Draft City" not in html and "2005" not in html


def test_an_unpublished_pages_slug_is_not_a_filter(client, news_world):
    response = client.get(f"{news_world.url}?metropolis=draft-city&tag=secret&year=2005")

    assert titles(response) == ALL_NEWS
    assert len(notices(response)) == 3


@pytest.mark.parametrize("query", BAD_FILTERS.values(), ids=BAD_FILTERS.keys())
def test_a_bad_filter_is_ignored_with_a_notice(client, news_world, query):
    response = client.get(f"{news_world.url}?{query}")

    assert response.status_code == 200
    assert titles(response) == ALL_NEWS
    html = response.content.decode()
    assert len(notices(response)) == 1
    assert notices(response)[0] in html
    assert "is ignored" in notices(response)[0]
    # What the address said is never shown back, escaped or not.
    assert "<script>" not in html and "&lt;script&gt;" not in html and "x" * 100 not in html
    assert "Clear filters" in html


def test_a_repeated_filter_says_so(client, news_world):
    response = client.get(f"{news_world.url}?year=2009&year=2008")

    assert notices(response) == [
        "The filter “Year” is ignored: it is given more than once in the address."
    ]


def test_a_bad_filter_leaves_the_good_ones_applied(client, news_world):
    response = client.get(f"{news_world.url}?tag=innovation&year=abc&metropolis=atlantis")

    assert titles(response) == ["Riga joins the clusters", "Network founded"]
    assert notices(response) == [
        "The filter “Year” is ignored: its value in the address is not one of the choices.",
        "The filter “Metropolis” is ignored: its value in the address is not one of the choices.",
    ]
    html = response.content.decode()
    # The form shows what applies, not what the address said.
    assert '<option value="innovation" selected>' in html
    assert '<option value="" selected>All years</option>' in html


@pytest.mark.parametrize("query", BAD_PAGES.values(), ids=BAD_PAGES.keys())
def test_a_bad_page_number_shows_the_first_page_with_a_notice(client, news_world, query):
    response = client.get(f"{news_world.url}?tag=innovation&{query}")

    assert response.status_code == 200
    assert response.context["news_page"].number == 1
    assert titles(response) == ["Riga joins the clusters", "Network founded"]
    assert len(notices(response)) == 1 and "this is page 1" in notices(response)[0]


def test_a_page_past_the_end_shows_the_last_page(client, site_tree):
    for day in range(1, 15):
        publish(NewsPageFactory(parent=site_tree.news, date=dt.date(2009, 1, day)))

    response = client.get(f"{site_tree.news.url}?page=7")

    assert response.context["news_page"].number == 2
    assert notices(response) == ["There is no page 7: this is page 2."]


def test_active_filters_are_shown_with_links_to_remove_them(client, news_world):
    response = client.get(f"{news_world.url}?year=2009&tag=innovation&utm_source=x")
    html = response.content.decode()

    assert "1 news item matches these filters." in html
    active = re.search(r'<ul class="filters__active".*?</ul>', html, re.S).group(0)
    assert "Year: 2009" in active and "Tag: innovation" in active
    assert f'href="{news_world.url}?tag=innovation"' in active  # removes the year
    assert f'href="{news_world.url}?year=2009"' in active  # removes the tag
    assert f'<a href="{news_world.url}">Clear filters</a>' in html


def test_an_empty_result_says_so_and_offers_all_news(client, news_world):
    html = client.get(f"{news_world.url}?tag=innovation&metropolis=helsinki").content.decode()

    assert "0 news items match these filters." in html
    assert "No news matches these filters." in html
    assert f'<a href="{news_world.url}">Show all news</a>' in html


def test_without_filters_there_is_no_filter_summary_to_clear(client, news_world):
    html = client.get(news_world.url).content.decode()

    assert "3 news items." in html
    assert "Clear filters" not in html and "filters__active" not in html


@pytest.mark.parametrize("kind", ["news", "events"])
def test_an_unfiltered_listing_is_counted_with_its_filter_choices(client, site_tree, kind):
    """The query for the year choices also counts the listing: pagination makes no COUNT of
    its own, and the count still leaves out drafts."""
    index = site_tree.news if kind == "news" else site_tree.events
    total = index.page_size + 2
    for day in range(1, total + 1):
        if kind == "news":
            publish(NewsPageFactory(parent=index, date=dt.date(2009, 1, day)))
        else:
            publish(EventPageFactory(parent=index, start_date=dt.date(2009, 1, day)))
    (NewsPageFactory if kind == "news" else EventPageFactory)(parent=index, live=False)

    client.get(index.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{index.url}?page=2")
    html = response.content.decode()

    assert "Page 2 of 2" in html
    assert re.search(rf"\b{total} (news items|events)\b", html)
    assert not [q for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    filtered = client.get(f"{index.url}?year=2009&page=2").content.decode()
    assert "Page 2 of 2" in filtered


def test_pagination_keeps_the_filters(client, site_tree):
    for day in range(1, 15):
        news = NewsPageFactory(parent=site_tree.news, date=dt.date(2009, 1, day))
        news.tags.add("clusters")
        publish(news)
    other = NewsPageFactory(parent=site_tree.news, title="Untagged", date=dt.date(2009, 2, 1))
    publish(other)
    url = site_tree.news.url

    first = client.get(f"{url}?tag=clusters&year=2009&unknown=1")
    links = re.findall(r'<nav class="pagination".*?</nav>', first.content.decode(), re.S)[0]
    hrefs = {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', links)}
    assert hrefs == {"?year=2009&tag=clusters&page=1", "?year=2009&tag=clusters&page=2"}

    second = client.get(f"{url}?year=2009&tag=clusters&page=2")
    assert second.context["news_page"].number == 2
    assert len(titles(second)) == 2 and "Untagged" not in titles(second)
    assert "Page 2 of 2" in second.content.decode()


def test_the_filter_form_is_accessible_and_works_without_javascript(client, news_world):
    html = client.get(news_world.url).content.decode()
    form = re.search(r'<form class="filters".*?</form>', html, re.S).group(0)

    assert 'method="get"' in form and f'action="{news_world.url}"' in form
    assert 'aria-labelledby="filters-heading"' in form and 'id="filters-heading"' in form
    assert '<button class="filters__submit" type="submit">Filter</button>' in form
    for name in ["year", "tag", "metropolis", "partner", "work_package"]:
        assert re.search(rf'<label for="id_{name}">[^<]+</label>', form), name
        assert f'id="id_{name}"' in form
    assert "<script" not in form and "style=" not in form
    parse_html(form)  # well-formed


def test_the_form_is_hidden_while_there_is_no_news(client, site_tree):
    html = client.get(site_tree.news.url).content.decode()

    assert "No news has been published yet." in html
    assert 'class="filters"' not in html


# Events --------------------------------------------------------------------------------------


@pytest.fixture
def events_world(site_tree):
    def event(title, start, **fields):
        return EventPageFactory(
            parent=site_tree.events, title=title, start_date=start, time_zone="UTC", **fields
        )

    event("Summit 2010", dt.date(2010, 3, 1), city="Riga", kind=EventKind.CONFERENCE)
    event("Seminar next week", dt.date(2009, 6, 8), city="Helsinki", kind=EventKind.SEMINAR)
    event("Spring workshop", dt.date(2009, 4, 1), city="St. Petersburg", kind=EventKind.WORKSHOP)
    event("Autumn seminar", dt.date(2008, 10, 1), city="St Petersburg", kind=EventKind.SEMINAR)
    event("Kick-off", dt.date(2007, 1, 15), city="Malmö", kind=EventKind.MEETING)
    event("Withdrawn", dt.date(2006, 1, 1), city="Oslo", kind=EventKind.MEETING).unpublish()
    return site_tree.events.url


def event_titles(response) -> list[str]:
    return [event.title for event in response.context["events_page"]]


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "",
            [
                "Seminar next week",
                "Summit 2010",
                "Spring workshop",
                "Autumn seminar",
                "Kick-off",
            ],
        ),
        ("when=upcoming", ["Seminar next week", "Summit 2010"]),
        ("when=past", ["Spring workshop", "Autumn seminar", "Kick-off"]),
        ("year=2009", ["Seminar next week", "Spring workshop"]),
        ("when=past&year=2009", ["Spring workshop"]),
        # Both spellings of St. Petersburg share the slug.
        ("city=st-petersburg", ["Spring workshop", "Autumn seminar"]),
        ("city=malmo", ["Kick-off"]),
        ("kind=seminar", ["Seminar next week", "Autumn seminar"]),
        ("when=upcoming&kind=seminar&city=helsinki&year=2009", ["Seminar next week"]),
        ("when=upcoming&kind=meeting", []),
    ],
)
def test_event_filters(client, events_world, query, expected):
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"{events_world}?{query}")

    assert response.status_code == 200
    assert event_titles(response) == expected
    assert response.context["notices"] == []


def test_event_filter_choices_come_from_published_events(client, events_world):
    with time_machine.travel(NOW, tick=False):
        html = client.get(events_world).content.decode()

    assert option_values(html, "when") == ["", "upcoming", "past"]
    assert option_values(html, "year") == ["", "2010", "2009", "2008", "2007"]
    assert option_values(html, "city") == ["", "helsinki", "malmo", "riga", "st-petersburg"]
    assert option_values(html, "kind") == ["", *EventKind.values]
    assert "Oslo" not in html and "2006" not in html


@pytest.mark.parametrize(
    "query",
    ["when=all", "when=later", "year=abc", "city=oslo", "kind=party", "when=past&when=upcoming"],
)
def test_a_bad_event_filter_is_ignored_with_a_notice(client, events_world, query):
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"{events_world}?{query}")

    assert response.status_code == 200
    assert len(event_titles(response)) == 5
    assert len(response.context["notices"]) == 1


def test_events_keep_their_two_groups_on_each_page(client, site_tree):
    for month in range(1, 13):
        EventPageFactory(parent=site_tree.events, start_date=dt.date(2009, month, 20))
    for year in range(1980, 2002):
        EventPageFactory(parent=site_tree.events, start_date=dt.date(year, 5, 1), kind="meeting")

    with time_machine.travel(NOW, tick=False):
        first = client.get(f"{site_tree.events.url}?year=&when=")
        second = client.get(f"{site_tree.events.url}?page=2")
        past_meetings = client.get(f"{site_tree.events.url}?when=past&kind=meeting")

    # Upcoming (June to December 2009) first, soonest first, then past events latest first.
    upcoming = first.context["upcoming_events"]
    assert [e.start_date.month for e in upcoming] == [6, 7, 8, 9, 10, 11, 12]
    past_years = list(first.context["past_events_by_year"])
    assert past_years == [2009, *range(2001, 1993, -1)]
    assert second.context["upcoming_events"] == []
    assert list(second.context["past_events_by_year"]) == list(range(1993, 1979, -1))
    html = second.content.decode()
    assert 'id="upcoming-heading"' not in html and 'id="past-heading"' in html
    # Past meetings only: no upcoming section, and the filters in the pagination links.
    assert past_meetings.context["events_page"].paginator.count == 22
    html = past_meetings.content.decode()
    assert 'id="upcoming-heading"' not in html
    assert 'href="?when=past&amp;kind=meeting&amp;page=2" rel="next"' in html


def test_upcoming_filter_with_no_result_says_so(client, events_world):
    with time_machine.travel(NOW, tick=False):
        html = client.get(f"{events_world}?when=upcoming&kind=meeting").content.decode()

    assert "0 events match these filters." in html
    assert "No upcoming event matches these filters." in html


# Partners ------------------------------------------------------------------------------------


@pytest.fixture
def partners_world(site_tree):
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga")
    oslo = MetropolisPageFactory(
        parent=site_tree.partners, title="Oslo", status=MetropolisStatus.OBSERVER
    )
    hidden = MetropolisPageFactory(parent=site_tree.partners, title="Hidden City")

    def organisation(parent, title, kind, role):
        return OrganisationPageFactory(
            parent=parent, title=title, organisation_type=kind, project_role=role
        )

    organisation(riga, "City of Riga", OrganisationType.CITY, ProjectRole.LEAD_PARTNER)
    organisation(riga, "Riga University", OrganisationType.UNIVERSITY, ProjectRole.PARTNER)
    organisation(oslo, "Oslo Science Park", OrganisationType.SCIENCE_PARK, ProjectRole.OBSERVER)
    organisation(hidden, "Hidden Agency", OrganisationType.DEVELOPMENT_AGENCY, ProjectRole.PARTNER)
    hidden.unpublish()
    return site_tree.partners.url


def organisation_titles(response) -> list[str]:
    return [organisation.title for organisation in response.context["organisations"]]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["City of Riga", "Riga University", "Oslo Science Park"]),
        ("city=riga", ["City of Riga", "Riga University"]),
        ("city=oslo", ["Oslo Science Park"]),
        ("type=university", ["Riga University"]),
        ("role=lead_partner", ["City of Riga"]),
        ("city=riga&role=partner&type=university", ["Riga University"]),
        ("city=oslo&type=city", []),
    ],
)
def test_partner_filters(client, partners_world, query, expected):
    response = client.get(f"{partners_world}?{query}")

    assert response.status_code == 200
    assert organisation_titles(response) == expected
    assert response.context["notices"] == []


def test_partner_filter_choices(client, partners_world):
    html = client.get(partners_world).content.decode()

    assert option_values(html, "city") == ["", "oslo", "riga"]
    assert option_values(html, "type") == ["", *OrganisationType.values]
    assert option_values(html, "role") == ["", *ProjectRole.values]
    assert "Hidden" not in html
    # The filters return to the organisations, not the top of the page.
    assert f'action="{partners_world}#organisations"' in html


@pytest.mark.parametrize(
    "query", ["city=hidden-city", "type=CITY", "role=%00", "city=riga&city=oslo", "page=-1"]
)
def test_a_bad_partner_filter_is_ignored_with_a_notice(client, partners_world, query):
    response = client.get(f"{partners_world}?{query}")

    assert response.status_code == 200
    assert len(organisation_titles(response)) == 3
    assert len(response.context["notices"]) == 1


def test_partner_pagination_keeps_filters(client, partners_world, site_tree):
    riga = site_tree.partners.get_children().get(slug="riga")
    for number in range(30):
        OrganisationPageFactory(parent=riga, title=f"Agency {number:02}")

    response = client.get(f"{partners_world}?city=riga&type=development_agency&page=2")

    assert response.context["organisations_page"].number == 2
    assert len(organisation_titles(response)) == 6
    html = response.content.decode()
    assert 'href="?city=riga&amp;type=development_agency&amp;page=1#organisations"' in html


# Query counts --------------------------------------------------------------------------------


def test_filtered_listings_cost_the_same_with_more_content(client, site_tree, settings):
    settings.PAGE_CACHE = False  # what rendering costs, not a cache hit
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga")
    work_package = WorkPackagePageFactory(parent=site_tree.work_packages)

    def grow(count):
        for index in range(count):
            city = MetropolisPageFactory(parent=site_tree.partners)
            partner = OrganisationPageFactory(parent=city)
            OrganisationPageFactory(parent=riga)
            news = NewsPageFactory(parent=site_tree.news, date=dt.date(2000 + index, 1, 1))
            news.tags.add(f"tag {index}", "innovation")
            publish(
                news,
                related_metropolises=[riga, city],
                related_organisations=[partner],
                related_work_packages=[work_package],
            )
            EventPageFactory(
                parent=site_tree.events,
                start_date=dt.date(2000 + index, 2, 1),
                city=f"Town {index}",
                metropolis=city,
            )

    urls = [
        f"{site_tree.news.url}?tag=innovation&metropolis=riga&year=abc",
        f"{site_tree.news.url}?tag=innovation&page=2",
        f"{site_tree.events.url}?when=past&kind=seminar",
        f"{site_tree.events.url}?page=2",
        f"{site_tree.partners.url}?city=riga&type=development_agency",
        f"{site_tree.partners.url}?page=2",
    ]
    grow(25)
    before = {url: queries(client, url) for url in urls}
    grow(25)
    after = {url: queries(client, url) for url in urls}

    assert after == before
    assert {url: count for url, count in after.items() if count > BUDGET} == {}


def test_a_valid_address_is_shown_by_the_form_it_filled(client, news_world):
    response = client.get(f"{news_world.url}?year=2009&tag=innovation")

    filters = response.context["filters"]
    assert filters.display_form is filters.form
    html = response.content.decode()
    assert '<option value="innovation" selected>' in html
    assert '<option value="2009" selected>' in html


@pytest.mark.parametrize("value", ["", "riga", "<b>&\"'", "missing"])
def test_the_listing_select_writes_what_djangos_select_writes(value):
    """The listings' selects are written in Python: the HTML must be Django's, escaped."""
    choices = [("", "All metropolises"), ("riga", "Riga"), ("<b>&\"'", 'Malmö <&> "quoted"')]
    attrs = {"id": "id_metropolis", "aria-invalid": "true", "required": True}
    django_select = forms.Select(choices=choices).render("metropolis", value, attrs)
    listing_select = ListingSelect(choices=choices).render("metropolis", value, attrs)
    assert parse_html(listing_select) == parse_html(django_select)
    assert "<b>" not in listing_select
