"""What a page shows with it (the pages its editors chose, its inline items, the news about
it): only what is published and public, in a fixed number of queries, and every change at
once, rendered each time and through the page cache."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from events.factories import EventPageFactory, EventPresentationFactory
from events.models import EventPage
from news.factories import NewsPageFactory
from news.models import NewsPage
from partners.factories import (
    MetropolisKeyFigureFactory,
    MetropolisPageFactory,
    OrganisationContactFactory,
    OrganisationPageFactory,
)
from partners.models import MetropolisPage, OrganisationPage
from tests.helpers import assert_in_order
from workpackages.factories import WorkPackageDeliverableFactory, WorkPackagePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[False, True], ids=["uncached", "page cache"])
def page_cache(request, settings):
    settings.PAGE_CACHE = request.param


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


def test_each_page_shows_its_own_chosen_pages(client, site_tree):
    first_relations = chosen(site_tree, "Riga")
    second_relations = chosen(site_tree, "Tallinn")
    first = news_choosing(site_tree, first_relations)
    second = news_choosing(site_tree, second_relations)
    assert client.get(first.url).status_code == 200
    html = client.get(second.url).content.decode()

    for title in titles(second_relations):
        assert title in html
    for title in titles(first_relations):
        assert title not in html
    events = second_relations["related_events"]
    assert_in_order(html, [events[1].title, events[0].title])  # the earlier first


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


# A news item's tags and chosen pages


def choice_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"] for q in queries if "news_newspage_related" in q["sql"] or "taggit" in q["sql"]
    ]


def test_a_news_item_reads_its_choices_in_five_queries(client, site_tree):
    news = news_choosing(site_tree, chosen(site_tree, "Riga"))
    news.tags.add("harbour")
    news.save_revision().publish()

    assert len(choice_queries(client, news.url)) == 5  # its tags and four relations


def test_chosen_pages_show_every_change_at_once(client, site_tree):
    relations = chosen(site_tree, "Riga")
    news = news_choosing(site_tree, relations)
    assert "Riga city" in client.get(news.url).content.decode()

    city = relations["related_metropolises"][0]
    city.title = "Rīga city"
    city.save_revision().publish()
    assert "Rīga city" in client.get(news.url).content.decode()

    relations["related_events"][0].unpublish()
    html = client.get(news.url).content.decode()
    assert "Riga event 1" not in html and "Riga event 2" in html

    news.related_events = [relations["related_events"][1]]
    news.related_work_packages = []
    news.save_revision().publish()
    html = client.get(news.url).content.decode()
    assert "Riga strategies" not in html and "Riga event 2" in html

    PageViewRestriction.objects.create(
        page=relations["related_organisations"][0], restriction_type="login"
    )
    assert "Riga agency" not in client.get(news.url).content.decode()


def test_a_preview_shows_the_draft_s_choices(rf, site_tree):
    relations = chosen(site_tree, "Riga")
    news = NewsPage.objects.get(pk=news_choosing(site_tree, relations).pk)
    request = rf.get("/")
    assert [p.title for p in news.get_context(request)["related_metropolises"]] == ["Riga city"]

    news.related_metropolises = []
    request.is_preview = True

    assert news.get_context(request)["related_metropolises"] == []


# An event's presentations, chosen pages and news


def queries_reading(client, url, tables: tuple[str, ...]) -> list[str]:
    """The queries of a request for the page at `url` that read one of `tables`."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


@pytest.fixture
def event_with_all(site_tree):
    city = MetropolisPageFactory(parent=site_tree.partners, title="Riga city")
    event = EventPageFactory(
        parent=site_tree.events,
        title="Harbour conference",
        organising_partners=[OrganisationPageFactory(parent=city, title="Riga agency")],
        related_work_packages=[WorkPackagePageFactory(title="Riga strategies")],
    )
    EventPresentationFactory(page=event, title="Ports of the future")
    event.save_revision().publish()
    return event


def test_an_event_shows_news_about_it_and_its_changes_at_once(client, site_tree, event_with_all):
    html = client.get(event_with_all.url).content.decode()
    assert "Ports of the future" in html and "Riga agency" in html

    news = news_choosing(site_tree, {"related_events": [event_with_all]})
    assert news.title in client.get(event_with_all.url).content.decode()

    news.unpublish()
    assert news.title not in client.get(event_with_all.url).content.decode()

    event = EventPage.objects.get(pk=event_with_all.pk)
    presentation = event.presentations.first()
    presentation.title = "Ports tomorrow"
    event.presentations = [presentation]
    event.save_revision().publish()
    assert "Ports tomorrow" in client.get(event_with_all.url).content.decode()


# A work package's deliverables, news and events


@pytest.fixture
def work_package_with_all(site_tree):
    work_package = WorkPackagePageFactory(parent=site_tree.work_packages)
    WorkPackageDeliverableFactory(page=work_package, title="Strategy paper")
    EventPageFactory(
        parent=site_tree.events, title="Strategy workshop", related_work_packages=[work_package]
    )
    return work_package


def test_a_work_package_shows_news_about_it_and_its_changes_at_once(
    client, site_tree, work_package_with_all
):
    url = work_package_with_all.url
    html = client.get(url).content.decode()
    assert "Strategy paper" in html and "Strategy workshop" in html

    news = news_choosing(site_tree, {"related_work_packages": [work_package_with_all]})
    assert news.title in client.get(url).content.decode()
    news.unpublish()
    assert news.title not in client.get(url).content.decode()

    event = EventPage.objects.get(title="Strategy workshop")
    event.title = "Strategy summit"
    event.save_revision().publish()
    assert "Strategy summit" in client.get(url).content.decode()

    document = work_package_with_all.deliverables.get().document
    document.file_size = 2048
    document.save()
    assert "2.0\xa0KB" in client.get(url).content.decode()


# An organisation's metropolis, contacts and work packages


@pytest.fixture
def organisation_with_all(site_tree):
    city = MetropolisPageFactory(parent=site_tree.partners, title="Riga city")
    organisation = OrganisationPageFactory(parent=city, title="Riga agency")
    OrganisationContactFactory(page=organisation, name="Anna Contact")
    WorkPackagePageFactory(
        parent=site_tree.work_packages, title="Riga strategies", lead_organisation=organisation
    )
    return OrganisationPage.objects.get(pk=organisation.pk)


def test_an_organisation_shows_its_changes_and_its_work_packages_at_once(
    client, site_tree, organisation_with_all
):
    url = organisation_with_all.url
    html = client.get(url).content.decode()
    assert "Riga city" in html and "Anna Contact" in html and "Riga strategies" in html

    WorkPackagePageFactory(
        parent=site_tree.work_packages, title="Riga pilots", lead_organisation=organisation_with_all
    )
    assert "Riga pilots" in client.get(url).content.decode()

    city = MetropolisPage.objects.get(title="Riga city")
    city.title = "Rīga"
    city.save_revision().publish()
    assert "Rīga" in client.get(url).content.decode()

    contact = organisation_with_all.contacts.get()
    contact.name = "Anna Renamed"
    organisation_with_all.contacts = [contact]
    organisation_with_all.save_revision().publish()
    assert "Anna Renamed" in client.get(url).content.decode()


# A metropolis's organisations and key figures


@pytest.fixture
def metropolis_with_all(site_tree):
    city = MetropolisPageFactory(parent=site_tree.partners, title="Riga city")
    OrganisationPageFactory(parent=city, title="Riga agency")
    MetropolisKeyFigureFactory(page=city, measure="Inhabitants", source__title="Brochure")
    return MetropolisPage.objects.get(pk=city.pk)


def test_a_metropolis_shows_its_organisations_and_figures_changed_at_once(
    client, metropolis_with_all
):
    url = metropolis_with_all.url
    html = client.get(url).content.decode()
    assert "Riga agency" in html and "Inhabitants" in html and "Brochure" in html

    OrganisationPageFactory(parent=metropolis_with_all, title="Riga university")
    assert "Riga university" in client.get(url).content.decode()

    source = metropolis_with_all.key_figures.get().source
    source.title = "Pool of Potentials"
    source.save()
    assert "Pool of Potentials" in client.get(url).content.decode()


# What each of them reads with it, and the news about it, in queries of its own

SHOWN_WITH_IT = {
    "event": (
        "event_with_all",
        "related_events",
        (
            "events_eventpresentation",
            "events_eventpage_organising_partners",
            "events_eventpage_related_work_packages",
            "news_newspage_related_events",
        ),
        4,
    ),
    "work package": (
        "work_package_with_all",
        "related_work_packages",
        ("workpackages_workpackagedeliverable", "_related_work_packages"),
        3,
    ),
    "metropolis": (
        "metropolis_with_all",
        None,
        ("partners_organisationpage", "partners_metropoliskeyfigure"),
        3,  # the organisations, the figures, and the work packages led by the organisations
    ),
    "organisation": (
        "organisation_with_all",
        None,
        ("partners_organisationcontact", "partners_metropolispage", "workpackages_"),
        4,  # Wagtail's routing reads the metropolis too
    ),
}


@pytest.mark.parametrize("kind", SHOWN_WITH_IT)
def test_a_page_reads_what_it_shows_with_it_in_a_few_queries(request, client, site_tree, kind):
    fixture, news_relation, tables, queries = SHOWN_WITH_IT[kind]
    page = request.getfixturevalue(fixture)
    if news_relation:
        news_choosing(site_tree, {news_relation: [page]})

    assert len(queries_reading(client, page.url, tables)) == queries


# A preview shows the draft's own, held in memory

PREVIEWED = {
    "event": ("event_with_all", "presentations", "title", ["Ports of the future"]),
    "work package": ("work_package_with_all", "deliverables", "title", ["Strategy paper"]),
    "organisation": ("organisation_with_all", "contacts", "name", ["Anna Contact"]),
    "metropolis": ("metropolis_with_all", "key_figures", "measure", ["Inhabitants"]),
}


@pytest.mark.parametrize("kind", PREVIEWED)
def test_a_preview_shows_the_draft_s_own(request, rf, kind):
    fixture, relation, attribute, published = PREVIEWED[kind]
    saved = request.getfixturevalue(fixture)
    page = type(saved).objects.get(pk=saved.pk)
    http_request = rf.get("/")

    def shown() -> list:
        return [getattr(item, attribute) for item in page.get_context(http_request)[relation]]

    assert shown() == published
    setattr(page, relation, [])
    http_request.is_preview = True
    assert shown() == []
