"""A metropolis page: its fact box, its place on the map, and what the network did there."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from partners.models import MetropolisStatus
from tests.helpers import BUDGET, queries
from workpackages.factories import WorkPackagePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def riga(site_tree):
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga", country="Latvia")
    city = OrganisationPageFactory(parent=riga, title="City of Riga")
    WorkPackagePageFactory(parent=site_tree.work_packages, number=2, lead_organisation=city)
    return riga


def soup(client, page):
    return BeautifulSoup(client.get(page.url).content, "html.parser")


def facts(html) -> dict[str, str]:
    box = html.select_one(".fact-box")
    return {
        row.find("dt").get_text(strip=True): row.find("dd").get_text(" ", strip=True)
        for row in box.select(".fact-box__row")
    }


def test_the_fact_box_says_country_role_organisations_and_what_is_led_from_there(client, riga):
    found = facts(soup(client, riga))

    assert found["Country"] == "Latvia"
    assert found["Role in the project"] == "Partner city"
    assert found["Organisations"] == "City of Riga (Project partner)"
    assert found["Leads"].startswith("Work package 2:")


def test_an_observer_city_without_organisations_still_has_its_facts(client, site_tree):
    oslo = MetropolisPageFactory(
        parent=site_tree.partners, title="Oslo", status=MetropolisStatus.OBSERVER
    )

    found = facts(soup(client, oslo))

    assert found["Role in the project"] == "Observer"
    assert found["Organisations"] == "None listed yet"
    assert "Leads" not in found


def test_the_news_and_events_that_name_the_city_are_listed_newest_first(client, site_tree, riga):
    for day in (1, 3, 2):
        news = NewsPageFactory(
            parent=site_tree.news, title=f"News of day {day}", date=dt.date(2007, 10, day)
        )
        news.related_metropolises.add(riga)
        news.save_revision().publish()
    NewsPageFactory(parent=site_tree.news, title="News elsewhere")
    EventPageFactory(parent=site_tree.events, title="Seminar in Riga", metropolis=riga)
    EventPageFactory(parent=site_tree.events, title="Seminar elsewhere")

    html = soup(client, riga)

    news = html.find(id="metropolis-news-heading").find_parent("section")
    assert [a.get_text() for a in news.find_all("a")] == [
        "News of day 3",
        "News of day 2",
        "News of day 1",
    ]
    events = html.find(id="metropolis-events-heading").find_parent("section")
    assert [a.get_text() for a in events.find_all("a")] == ["Seminar in Riga"]


def test_without_news_or_events_the_page_has_no_empty_sections(client, riga):
    html = soup(client, riga)

    assert html.find(id="metropolis-news-heading") is None
    assert html.find(id="metropolis-events-heading") is None


def test_a_metropolis_page_stays_within_the_query_budget(client, site_tree, riga):
    for _ in range(6):
        news = NewsPageFactory(parent=site_tree.news)
        news.related_metropolises.add(riga)
        news.save_revision().publish()
        EventPageFactory(parent=site_tree.events, metropolis=riga)
        MetropolisPageFactory(parent=site_tree.partners)

    assert queries(client, riga.url) <= BUDGET
