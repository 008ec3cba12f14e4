"""Every page type renders at its URL with its own content; drafts are not found."""

import re

import pytest
from wagtail.models import PageViewRestriction

from baltmet.actionplan.factories import ActionFactory, ActionPlanPageFactory
from baltmet.actionplan.models import ActionPlanPage
from baltmet.benchmark.factories import BenchmarkPageFactory, BenchmarkValueFactory
from baltmet.benchmark.models import BenchmarkPage
from baltmet.contact.factories import ContactPageFactory
from baltmet.contact.models import ContactPage
from baltmet.factories import StandardPageFactory, paragraph
from baltmet.home.factories import HomePageKeyFigureFactory
from baltmet.home.models import HomePage
from baltmet.library.factories import LibraryEntryPageFactory, LibraryPageFactory
from baltmet.library.models import LibraryEntryPage, LibraryPage
from baltmet.models import StandardPage
from baltmet.projects.factories import RelatedProjectFactory, RelatedProjectsPageFactory
from baltmet.projects.models import RelatedProjectsPage
from events.factories import EventPageFactory, EventPresentationFactory
from events.models import EventIndexPage, EventPage
from news.factories import NewsPageFactory
from news.models import NewsIndexPage, NewsPage
from partners.factories import (
    MetropolisKeyFigureFactory,
    MetropolisPageFactory,
    OrganisationContactFactory,
    OrganisationPageFactory,
    PeoplePageFactory,
)
from partners.models import MetropolisPage, OrganisationPage, PartnersIndexPage, PeoplePage
from tests.fixtures import PAGE_FACTORIES
from workpackages.factories import WorkPackagePageFactory
from workpackages.models import WorkPackageIndexPage, WorkPackagePage

# Each builder makes a page of its type in the tree, and returns it with texts it must show.


def home_page(tree):
    figure = HomePageKeyFigureFactory(page=tree.home, statement="Figure statement one.")
    return tree.home, [tree.home.mission, figure.statement]


def standard_page(tree):
    page = StandardPageFactory(parent=tree.home, body=paragraph("Body text of the page."))
    return page, [page.intro, "Body text of the page."]


def partners_index(tree):
    metropolis = MetropolisPageFactory(parent=tree.partners)
    organisation = OrganisationPageFactory(parent=metropolis)
    return tree.partners, [metropolis.title, organisation.title]


def metropolis_page(tree):
    page = MetropolisPageFactory(parent=tree.partners)
    figure = MetropolisKeyFigureFactory(page=page, statement="Metropolis figure statement.")
    organisation = OrganisationPageFactory(parent=page)
    return page, [page.country, figure.statement, organisation.title]


def organisation_page(tree):
    page = OrganisationPageFactory(parent=MetropolisPageFactory(parent=tree.partners))
    contact = OrganisationContactFactory(page=page, name="Contact Person Example")
    return page, [contact.name, page.get_parent().title]


def work_package_index(tree):
    work_package = WorkPackagePageFactory(parent=tree.work_packages)
    return tree.work_packages, [work_package.title]


def work_package_page(tree):
    lead = OrganisationPageFactory(parent=MetropolisPageFactory(parent=tree.partners))
    page = WorkPackagePageFactory(parent=tree.work_packages, lead_organisation=lead)
    return page, [lead.title, page.headline]


def news_index(tree):
    news = NewsPageFactory(parent=tree.news)
    return tree.news, [news.title]


def news_page(tree):
    page = NewsPageFactory(parent=tree.news)
    return page, [page.intro]


def event_index(tree):
    event = EventPageFactory(parent=tree.events)
    return tree.events, [event.title]


def event_page(tree):
    page = EventPageFactory(parent=tree.events, city="Example City")
    presentation = EventPresentationFactory(page=page, speaker="Speaker Example")
    return page, [page.city, presentation.speaker]


def action_plan_page(tree):
    action = ActionFactory()
    event = EventPageFactory(parent=tree.events)
    event.action_plan_actions.set([action])
    event.save_revision().publish()
    page = ActionPlanPageFactory(parent=tree.home)
    return page, [action.text, event.title]


def related_projects_page(tree):
    project = RelatedProjectFactory()
    page = RelatedProjectsPageFactory(parent=tree.home)
    return page, [project.name, project.summary, project.source]


def people_page(tree):
    organisation = OrganisationPageFactory(parent=MetropolisPageFactory(parent=tree.partners))
    contact = OrganisationContactFactory(page=organisation, job_title="Head of Office")
    page = PeoplePageFactory(parent=tree.home)
    return page, [contact.name, contact.job_title, organisation.title]


def benchmark_page(tree):
    value = BenchmarkValueFactory()
    page = BenchmarkPageFactory(parent=tree.home)
    return page, [value.park.name, value.criterion.name, value.source.title]


def contact_page(tree):
    organisation = OrganisationPageFactory(parent=MetropolisPageFactory(parent=tree.partners))
    page = ContactPageFactory(parent=tree.home, intro="Write to the network co-ordinator.")
    return page, [page.intro, organisation.title, "Send the message"]


def library_page(tree):
    library = LibraryPageFactory(parent=tree.home)
    entry = LibraryEntryPageFactory(parent=library, year=2008)
    return library, [entry.title, entry.summary, "2008"]


def library_entry_page(tree):
    work_package = WorkPackagePageFactory(
        parent=tree.work_packages,
        lead_organisation=OrganisationPageFactory(
            parent=MetropolisPageFactory(parent=tree.partners)
        ),
    )
    entry = LibraryEntryPageFactory(
        parent=LibraryPageFactory(parent=tree.home), work_package=work_package, year=2007
    )
    return entry, [entry.title, entry.summary, work_package.title, "Analysis"]


BUILDERS = {
    HomePage: home_page,
    StandardPage: standard_page,
    ActionPlanPage: action_plan_page,
    RelatedProjectsPage: related_projects_page,
    PeoplePage: people_page,
    BenchmarkPage: benchmark_page,
    ContactPage: contact_page,
    LibraryPage: library_page,
    LibraryEntryPage: library_entry_page,
    PartnersIndexPage: partners_index,
    MetropolisPage: metropolis_page,
    OrganisationPage: organisation_page,
    WorkPackageIndexPage: work_package_index,
    WorkPackagePage: work_package_page,
    NewsIndexPage: news_index,
    NewsPage: news_page,
    EventIndexPage: event_index,
    EventPage: event_page,
}


def test_every_page_type_has_a_builder():
    assert set(BUILDERS) == set(PAGE_FACTORIES)


@pytest.mark.parametrize("model", BUILDERS, ids=lambda model: model.__name__)
def test_page_renders_with_its_content(client, site_tree, model):
    page, texts = BUILDERS[model](site_tree)

    response = client.get(page.url)

    assert response.status_code == 200
    assert response.context["page"] == page
    html = response.content.decode()
    for text in [page.title, *texts]:
        assert text in html, f"{text!r} is not on the {model.__name__}"


@pytest.mark.parametrize("model", BUILDERS, ids=lambda model: model.__name__)
def test_unpublished_page_is_not_found(client, site_tree, model):
    page, _ = BUILDERS[model](site_tree)
    page.unpublish()

    assert client.get(page.url).status_code == 404


def test_never_published_draft_is_not_found(client, site_tree):
    draft = NewsPageFactory(parent=site_tree.news, live=False)
    draft.save_revision()

    assert client.get(draft.url).status_code == 404


# Routing: a page is found by its URL path.


def test_a_page_is_found_by_its_url_path_whatever_its_depth(client, site_tree, settings):
    settings.PAGE_CACHE = False
    organisation = OrganisationPageFactory(parent=MetropolisPageFactory(parent=site_tree.partners))

    response = client.get(organisation.url)

    assert response.status_code == 200
    assert type(response.context["page"]) is OrganisationPage


def test_a_content_page_lists_its_published_subpages(client, site_tree, settings):
    settings.PAGE_CACHE = False
    about = StandardPageFactory(parent=site_tree.home, title="About the network")
    StandardPageFactory(parent=about, title="Action plan")
    StandardPageFactory(parent=about, title="Draft plan", live=False)
    closed = StandardPageFactory(parent=about, title="Partners only")
    PageViewRestriction.objects.create(page=closed, restriction_type="login")
    StandardPageFactory(parent=about, title="Archipelago of Innovation")

    html = client.get(about.url).content.decode()
    subpages = html.split('id="subpages-heading"', 1)[1].split("</nav>", 1)[0]

    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', subpages) == [
        (f"{about.url}action-plan/", "Action plan"),
        (f"{about.url}archipelago-of-innovation/", "Archipelago of Innovation"),
    ]
    # A page without published subpages has no such list.
    assert 'id="subpages-heading"' not in client.get(closed.url).content.decode()


def test_a_renamed_section_moves_the_addresses_below_it(client, site_tree):
    metropolis = MetropolisPageFactory(parent=site_tree.partners, slug="old-name")
    organisation = OrganisationPageFactory(parent=metropolis)
    old_url = organisation.url

    metropolis.slug = "new-name"
    metropolis.save_revision().publish()
    organisation.refresh_from_db()

    assert "/new-name/" in organisation.url
    assert client.get(organisation.url).status_code == 200
    assert client.get(old_url).status_code == 404


def test_a_moved_page_answers_at_its_new_address(client, site_tree):
    first = MetropolisPageFactory(parent=site_tree.partners)
    second = MetropolisPageFactory(parent=site_tree.partners)
    organisation = OrganisationPageFactory(parent=first)
    old_url = organisation.url

    organisation.move(second, pos="last-child")
    organisation.refresh_from_db()

    assert organisation.url != old_url
    assert client.get(organisation.url).status_code == 200
    # The old address is no page now: Wagtail's automatic redirect answers it.
    old = client.get(old_url)
    assert old.status_code == 301 and old["Location"] == organisation.url


@pytest.mark.parametrize("address", ["/no-such-page/", "/news/no-such-item/", "/news/x/y/z/"])
def test_an_address_that_is_no_page_is_not_found(client, site_tree, address):
    assert client.get(address).status_code == 404
