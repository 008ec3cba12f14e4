"""The pages a news item or an event links to, chosen by its editors: only the published,
public ones are shown, read in SQL that Django writes once per relation."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from baltmet import queries
from events.factories import EventPageFactory
from events.models import EventPage
from news.factories import NewsPageFactory
from news.models import NewsPage
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from partners.models import MetropolisPage, OrganisationPage
from tests.helpers import assert_in_order, hide_pages_titled, models_whose_sql_is_written
from workpackages.factories import WorkPackagePageFactory
from workpackages.models import WorkPackagePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    settings.PAGE_CACHE = False


def chosen(site_tree, name):
    """A metropolis, a partner, a work package and two events named after `name`."""
    city = MetropolisPageFactory(parent=site_tree.partners, title=f"{name} city")
    return {
        "related_metropolises": [city],
        "related_organisations": [OrganisationPageFactory(parent=city, title=f"{name} agency")],
        "related_work_packages": [WorkPackagePageFactory(title=f"{name} strategies")],
        "related_events": [
            EventPageFactory(
                parent=site_tree.events,
                title=f"{name} event {n}",
                start_date=dt.date(2008, 6, 1) - dt.timedelta(days=n),
            )
            for n in (1, 2)
        ],
    }


def news_choosing(site_tree, relations):
    news = NewsPageFactory(parent=site_tree.news, **relations)
    news.save_revision().publish()
    return news


def titles(relations):
    return [page.title for pages in relations.values() for page in pages]


def test_each_page_shows_its_own_chosen_pages_in_sql_written_once(client, site_tree, monkeypatch):
    first_relations = chosen(site_tree, "Riga")
    second_relations = chosen(site_tree, "Tallinn")
    first = news_choosing(site_tree, first_relations)
    second = news_choosing(site_tree, second_relations)
    assert client.get(first.url).status_code == 200
    written = models_whose_sql_is_written(monkeypatch)
    html = client.get(second.url).content.decode()

    for title in titles(second_relations):
        assert title in html
    for title in titles(first_relations):
        assert title not in html
    events = second_relations["related_events"]
    assert_in_order(html, [events[1].title, events[0].title])  # the earlier first
    assert not {MetropolisPage, OrganisationPage, WorkPackagePage, EventPage} & set(written)


def test_only_the_published_public_chosen_pages_are_shown(client, site_tree):
    relations = chosen(site_tree, "Riga")
    news = news_choosing(site_tree, relations)
    relations["related_metropolises"][0].unpublish()
    restricted = relations["related_work_packages"][0]
    PageViewRestriction.objects.create(page=restricted, restriction_type="groups").groups.add(
        Group.objects.get_or_create(name="Partners")[0]
    )

    html = client.get(news.url).content.decode()

    assert "Riga city" not in html and "Riga strategies" not in html
    assert "Riga agency" in html and "Riga event 1" in html


def test_a_relation_whose_manager_adds_values_is_read_through_it(client, site_tree, monkeypatch):
    """A value in a manager's condition (a date, say) would be frozen in SQL written once."""
    hide_pages_titled(monkeypatch, OrganisationPage, "Gone")
    queries.chosen_cards_sql.cache_clear()
    try:
        relations = chosen(site_tree, "Riga")
        news = news_choosing(site_tree, relations)
        assert queries.chosen_cards_sql(NewsPage, "related_organisations", ()) is None
        assert "Riga agency" in client.get(news.url).content.decode()
        OrganisationPage.objects.filter(title="Riga agency").update(title="Gone")
        assert "Gone" not in client.get(news.url).content.decode()
    finally:
        queries.chosen_cards_sql.cache_clear()
