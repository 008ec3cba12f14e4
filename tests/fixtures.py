"""A small site tree: the default site's root is a HomePage with one index of each kind.

PAGE_FACTORIES is the registry of page factories: baltmet/tests/test_factories.py checks that every
page type of our apps is in it, and the tree and rendering tests build pages through it.
"""

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import Page, Site

from baltmet.actionplan.factories import ActionPlanPageFactory
from baltmet.actionplan.models import ActionPlanPage
from baltmet.benchmark.factories import BenchmarkPageFactory
from baltmet.benchmark.models import BenchmarkPage
from baltmet.contact.factories import ContactPageFactory
from baltmet.contact.models import ContactPage
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
    ContactPage: ContactPageFactory,
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


@dataclass
class MailCatcher:
    """What a real SMTP server on a loopback port received: each mail as sent."""

    host: str
    port: int
    received: list[EmailMessage] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler interface
        mail = message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.received.append(mail)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """The mails once `count` have arrived; fails the test after `timeout` seconds."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.received) >= count, timeout):
                pytest.fail(f"{count} mail(s) expected, {len(self.received)} arrived.")
            return list(self.received)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, and the portal's SMTP backend
    pointed at it without TLS: the mails the code sends arrive there, as they would at a
    mail server in production."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port (aiosmtpd checks its own by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    catcher = MailCatcher("127.0.0.1", port)
    controller = Controller(catcher, hostname=catcher.host, port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = catcher.host
    settings.EMAIL_PORT = catcher.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield catcher
    finally:
        controller.stop()
