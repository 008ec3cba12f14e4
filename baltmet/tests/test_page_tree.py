"""Where each page type may go: the whole parent/child table, and one of each singleton."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from baltmet.actionplan.models import ActionPlanPage
from baltmet.benchmark.models import BenchmarkPage
from baltmet.contact.models import ContactPage
from baltmet.home.models import HomePage
from baltmet.library.models import LibraryEntryPage, LibraryPage
from baltmet.models import StandardPage
from baltmet.projects.models import RelatedProjectsPage
from events.models import EventIndexPage, EventPage
from news.models import NewsIndexPage, NewsPage
from partners.models import MetropolisPage, OrganisationPage, PartnersIndexPage, PeoplePage
from tests.fixtures import PAGE_FACTORIES
from workpackages.models import WorkPackageIndexPage, WorkPackagePage

# parent type -> the page types of our apps that may be created under it
ALLOWED_CHILDREN = {
    Page: {HomePage},
    HomePage: {
        StandardPage,
        ActionPlanPage,
        RelatedProjectsPage,
        PeoplePage,
        PartnersIndexPage,
        WorkPackageIndexPage,
        NewsIndexPage,
        EventIndexPage,
        LibraryPage,
        BenchmarkPage,
        ContactPage,
    },
    StandardPage: {StandardPage, ActionPlanPage, RelatedProjectsPage, PeoplePage, BenchmarkPage},
    ActionPlanPage: set(),
    BenchmarkPage: set(),
    ContactPage: set(),
    LibraryPage: {LibraryEntryPage},
    LibraryEntryPage: set(),
    RelatedProjectsPage: set(),
    PeoplePage: set(),
    PartnersIndexPage: {MetropolisPage},
    MetropolisPage: {OrganisationPage},
    OrganisationPage: set(),
    WorkPackageIndexPage: {WorkPackagePage},
    WorkPackagePage: set(),
    NewsIndexPage: {NewsPage},
    NewsPage: set(),
    EventIndexPage: {EventPage},
    EventPage: set(),
}

# child type -> the page types it may be created under
ALLOWED_PARENTS = {
    HomePage: {Page},
    StandardPage: {HomePage, StandardPage},
    ActionPlanPage: {HomePage, StandardPage},
    RelatedProjectsPage: {HomePage, StandardPage},
    PeoplePage: {HomePage, StandardPage},
    BenchmarkPage: {HomePage, StandardPage},
    LibraryPage: {HomePage},
    LibraryEntryPage: {LibraryPage},
    ContactPage: {HomePage},
    PartnersIndexPage: {HomePage},
    MetropolisPage: {PartnersIndexPage},
    OrganisationPage: {MetropolisPage},
    WorkPackageIndexPage: {HomePage},
    WorkPackagePage: {WorkPackageIndexPage},
    NewsIndexPage: {HomePage},
    NewsPage: {NewsIndexPage},
    EventIndexPage: {HomePage},
    EventPage: {EventIndexPage},
}

SINGLETONS = [
    HomePage,
    ActionPlanPage,
    RelatedProjectsPage,
    PeoplePage,
    BenchmarkPage,
    LibraryPage,
    ContactPage,
    PartnersIndexPage,
    WorkPackageIndexPage,
    NewsIndexPage,
    EventIndexPage,
]


def name(model) -> str:
    return model.__name__


class PageTreeRulesTest(WagtailPageTestCase):
    def test_tables_cover_every_page_type(self):
        self.assertEqual(set(ALLOWED_PARENTS), set(PAGE_FACTORIES))
        self.assertEqual(set(ALLOWED_CHILDREN) - {Page}, set(PAGE_FACTORIES))

    def test_each_parent_and_child_pair(self):
        for parent, allowed in ALLOWED_CHILDREN.items():
            for child in PAGE_FACTORIES:
                with self.subTest(parent=name(parent), child=name(child)):
                    if child in allowed:
                        self.assertCanCreateAt(parent, child)
                    else:
                        self.assertCanNotCreateAt(parent, child)

    def test_allowed_subpage_types(self):
        for parent, allowed in ALLOWED_CHILDREN.items():
            if parent is Page:
                continue  # A plain Page accepts any page type that names no parents.
            with self.subTest(parent=name(parent)):
                self.assertAllowedSubpageTypes(parent, allowed)

    def test_allowed_parent_page_types(self):
        for child, parents in ALLOWED_PARENTS.items():
            with self.subTest(child=name(child)):
                self.assertAllowedParentPageTypes(child, parents)


@pytest.mark.parametrize("model", SINGLETONS, ids=name)
def test_only_one_of_each_singleton(site_tree, model):
    existing = model.objects.first() or PAGE_FACTORIES[model]()
    parent = existing.get_parent()

    assert model.max_count == 1
    assert not model.can_create_at(parent)

    existing.delete()
    assert model.can_create_at(parent)


def test_many_pages_of_the_other_types_may_be_created(site_tree, organisation):
    parents = {
        StandardPage: site_tree.home,
        MetropolisPage: site_tree.partners,
        OrganisationPage: organisation.get_parent(),
        WorkPackagePage: site_tree.work_packages,
        NewsPage: site_tree.news,
        EventPage: site_tree.events,
    }
    for model, parent in parents.items():
        PAGE_FACTORIES[model](parent=parent)
        assert model.max_count is None
        assert model.can_create_at(parent), name(model)
