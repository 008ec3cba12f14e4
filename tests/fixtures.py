"""A small site tree: the default site's root is a HomePage with one index of each kind.

PAGE_FACTORIES is the registry of page factories: baltmet/tests/test_factories.py checks that every
page type of our apps is in it, and the tree and rendering tests build pages through it.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import Page, Site

from baltmet.actionplan.factories import ActionPlanPageFactory
from baltmet.actionplan.models import ActionPlanPage
from baltmet.benchmark.factories import BenchmarkPageFactory
from baltmet.benchmark.models import BenchmarkPage
from baltmet.factories import StandardPageFactory
from baltmet.home.factories import HomePageFactory
from baltmet.home.models import HomePage
from baltmet.library.factories import LibraryEntryPageFactory, LibraryPageFactory
from baltmet.library.models import LibraryEntryPage, LibraryPage
from baltmet.models import SiteSettings, StandardPage
from baltmet.projects.factories import RelatedProjectsPageFactory
from baltmet.projects.models import RelatedProjectsPage
from baltmet.roles.groups import MODERATORS, set_up_roles
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventIndexPage, EventPage
from news.factories import NewsIndexPageFactory, NewsPageFactory
from news.models import NewsIndexPage, NewsPage
from partners.factories import (
    MetropolisPageFactory,
    OrganisationContactFactory,
    OrganisationPageFactory,
    PartnersIndexPageFactory,
    PeoplePageFactory,
)
from partners.models import MetropolisPage, OrganisationPage, PartnersIndexPage, PeoplePage
from workpackages.factories import WorkPackageIndexPageFactory, WorkPackagePageFactory
from workpackages.models import WorkPackageIndexPage, WorkPackagePage

PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    StandardPage: StandardPageFactory,
    ActionPlanPage: ActionPlanPageFactory,
    RelatedProjectsPage: RelatedProjectsPageFactory,
    PeoplePage: PeoplePageFactory,
    BenchmarkPage: BenchmarkPageFactory,
    LibraryPage: LibraryPageFactory,
    LibraryEntryPage: LibraryEntryPageFactory,
    PartnersIndexPage: PartnersIndexPageFactory,
    MetropolisPage: MetropolisPageFactory,
    OrganisationPage: OrganisationPageFactory,
    WorkPackageIndexPage: WorkPackageIndexPageFactory,
    WorkPackagePage: WorkPackagePageFactory,
    NewsIndexPage: NewsIndexPageFactory,
    NewsPage: NewsPageFactory,
    EventIndexPage: EventIndexPageFactory,
    EventPage: EventPageFactory,
}


@dataclass
class SiteTree:
    home: HomePage
    partners: PartnersIndexPage
    work_packages: WorkPackageIndexPage
    news: NewsIndexPage
    events: EventIndexPage


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (the page cache is on, as in production): a
    page stored by one test must not answer another's request for the same address."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db) -> HomePage:
    """A HomePage as the root of the default site, in place of Wagtail's welcome page."""
    site = Site.objects.get(is_default_site=True)
    welcome_page = site.root_page
    home = HomePageFactory(parent=Page.get_first_root_node(), title="Network home")
    site.root_page = home
    site.save()
    welcome_page.delete()
    # As the site's first request would: its settings are created then, which changes the
    # page cache's generation.
    SiteSettings.for_site(site)
    return home


@pytest.fixture
def site_tree(home_page) -> SiteTree:
    return SiteTree(
        home=home_page,
        partners=PartnersIndexPageFactory(parent=home_page),
        work_packages=WorkPackageIndexPageFactory(parent=home_page),
        news=NewsIndexPageFactory(parent=home_page),
        events=EventIndexPageFactory(parent=home_page),
    )


@pytest.fixture
def metropolis(site_tree) -> MetropolisPage:
    return MetropolisPageFactory(parent=site_tree.partners)


@pytest.fixture
def organisation(metropolis) -> OrganisationPage:
    return OrganisationPageFactory(parent=metropolis)


@dataclass
class World:
    riga: OrganisationPage
    helsinki: OrganisationPage
    news_index: NewsIndexPage
    events_index: EventIndexPage
    editor: object
    other_editor: object
    moderator: object
    administrator: object


@pytest.fixture
def world(site_tree, django_user_model):
    """Two partner organisations in two cities, with the roles set up as in production."""

    def organisation(city, name):
        page = OrganisationPageFactory(
            parent=MetropolisPageFactory(parent=site_tree.partners, title=city), title=name
        )
        OrganisationContactFactory(page=page)
        return page

    riga = organisation("Riga", "City of Riga")
    helsinki = organisation("Helsinki", "City of Helsinki")
    set_up_roles()

    def user(name, group=None, **flags):
        account = django_user_model.objects.create_user(
            name, email=f"{name}@example.org", password="a-long-password-1", **flags
        )
        if group:
            account.groups.add(group)
        return account

    return World(
        riga=riga,
        helsinki=helsinki,
        news_index=NewsIndexPage.objects.get(),
        events_index=site_tree.events,
        editor=user("riga-editor", riga.access.group),
        other_editor=user("helsinki-editor", helsinki.access.group),
        moderator=user("moderator", Group.objects.get(name=MODERATORS)),
        administrator=user("administrator", is_superuser=True, is_staff=True),
    )
