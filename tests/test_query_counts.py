"""Pages cost a fixed number of queries, however many items they list.

Each case renders a page with a few items, adds more, and renders it again: the number of
SQL queries must not change, and must stay within the page's budget. (Timings are measured
by benchmarks, never here; query counts are deterministic.)
"""

import datetime as dt

import pytest

from baltmet.factories import StandardPageFactory
from events.factories import EventPageFactory, EventPresentationFactory
from news.factories import NewsPageFactory
from partners.factories import (
    MetropolisKeyFigureFactory,
    MetropolisPageFactory,
    OrganisationContactFactory,
    OrganisationPageFactory,
)
from tests.helpers import BUDGET, queries
from workpackages.factories import WorkPackagePageFactory


# Queries per page rendered, whatever the volume of content: the limit. Wagtail's
# routing takes a query per level of the address, and its view restriction check two; every
# page reads its menu and its breadcrumbs once each, and its site settings.
@pytest.fixture(autouse=True)
def without_page_cache(settings):
    """What rendering costs: with the page cache on, the second request would be a hit."""
    settings.PAGE_CACHE = False


def add_news(tree, count, **relations):
    for _ in range(count):
        news = NewsPageFactory(parent=tree.news)
        for name, pages in relations.items():
            getattr(news, name).set(pages)
        news.tags.add("clusters", "workshops")
        news.save_revision().publish()


def add_events(tree, count, metropolis=None, work_package=None):
    for index in range(count):
        event = EventPageFactory(
            parent=tree.events,
            start_date=dt.date(2007, 1, 1) + dt.timedelta(days=index * 40),
            metropolis=metropolis,
        )
        EventPresentationFactory(page=event)
        if work_package:
            event.related_work_packages.set([work_package])
            event.save_revision().publish()


@pytest.fixture
def network(site_tree):
    """Metropolises with organisations, a work package, and an event to hang things on."""
    metropolis = MetropolisPageFactory(parent=site_tree.partners)
    organisation = OrganisationPageFactory(parent=metropolis)
    work_package = WorkPackagePageFactory(
        parent=site_tree.work_packages, lead_organisation=organisation
    )
    event = EventPageFactory(parent=site_tree.events)
    return site_tree, metropolis, organisation, work_package, event


def grow_everything(network, count):
    tree, metropolis, organisation, work_package, event = network
    add_news(
        tree,
        count,
        related_metropolises=[metropolis],
        related_organisations=[organisation],
        related_work_packages=[work_package],
        related_events=[event],
    )
    add_events(tree, count, metropolis=metropolis, work_package=work_package)
    for _ in range(count):
        other_city = MetropolisPageFactory(parent=tree.partners)
        OrganisationPageFactory(parent=other_city)
        OrganisationPageFactory(parent=metropolis)
        OrganisationContactFactory(page=organisation)
        MetropolisKeyFigureFactory(page=metropolis)
        EventPresentationFactory(page=event)
        WorkPackagePageFactory(parent=tree.work_packages, lead_organisation=organisation)


PAGES = {
    "home page": lambda tree, m, o, wp, e: tree.home.url,
    "partners index": lambda tree, m, o, wp, e: tree.partners.url,
    "metropolis": lambda tree, m, o, wp, e: m.url,
    "organisation": lambda tree, m, o, wp, e: o.url,
    "work packages index": lambda tree, m, o, wp, e: tree.work_packages.url,
    "work package": lambda tree, m, o, wp, e: wp.url,
    "news index": lambda tree, m, o, wp, e: tree.news.url,
    "news index, page 2": lambda tree, m, o, wp, e: tree.news.url + "?page=2",
    "events index": lambda tree, m, o, wp, e: tree.events.url,
    "event": lambda tree, m, o, wp, e: e.url,
}


@pytest.mark.django_db
def test_every_page_costs_the_same_with_more_content(client, network):
    grow_everything(network, 13)  # enough for a second page of news
    urls = {name: url(*network) for name, url in PAGES.items()}
    news_item = network[0].news.get_children().last()
    urls["news item"] = news_item.url
    before = {name: queries(client, url) for name, url in urls.items()}

    grow_everything(network, 12)
    after = {name: queries(client, url) for name, url in urls.items()}

    assert after == before
    assert {name: n for name, n in after.items() if n > BUDGET} == {}


@pytest.mark.django_db
def test_a_content_page_costs_the_same_with_more_subpages(client, site_tree):
    about = StandardPageFactory(parent=site_tree.home)
    for _ in range(2):
        StandardPageFactory(parent=about)
    few = queries(client, about.url)
    for _ in range(20):
        StandardPageFactory(parent=about)
    many = queries(client, about.url)

    assert few == many
    assert many <= BUDGET
