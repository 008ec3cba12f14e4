"""published() hides what Wagtail's public() hides, in the listing's own query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from baltmet.queries import published
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_tree(site_tree):
    open_city = MetropolisPageFactory(parent=site_tree.partners, title="Open city")
    closed_city = MetropolisPageFactory(parent=site_tree.partners, title="Closed city")
    pages = {
        "open news": NewsPageFactory(parent=site_tree.news),
        "private news": NewsPageFactory(parent=site_tree.news),
        "open organisation": OrganisationPageFactory(parent=open_city),
        "organisation in a private city": OrganisationPageFactory(parent=closed_city),
    }
    for page in (pages["private news"], closed_city):
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    return pages


def test_the_same_pages_as_wagtails_public(restricted_tree):
    expected = set(Page.objects.live().public().values_list("pk", flat=True))

    assert set(published(Page.objects.all()).values_list("pk", flat=True)) == expected
    listed = set(published(Page.objects.all()).values_list("pk", flat=True))
    assert restricted_tree["open news"].pk in listed
    assert restricted_tree["private news"].pk not in listed
    assert restricted_tree["open organisation"].pk in listed
    assert restricted_tree["organisation in a private city"].pk not in listed


def test_restricted_pages_leave_the_public_listings(client, site_tree, restricted_tree):
    news = client.get(site_tree.news.url).content.decode()
    partners = client.get(site_tree.partners.url).content.decode()

    assert restricted_tree["open news"].title in news
    assert restricted_tree["private news"].title not in news
    assert restricted_tree["open organisation"].title in partners
    assert restricted_tree["organisation in a private city"].title not in partners


def test_one_query_whatever_the_restrictions(restricted_tree):
    with CaptureQueriesContext(connection) as queries:
        list(published(Page.objects.all()))

    assert len(queries.captured_queries) == 1


def test_a_new_restriction_applies_from_the_next_request(client, site_tree, restricted_tree):
    news = restricted_tree["open news"]
    assert news.title in client.get(site_tree.news.url).content.decode()

    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    assert news.title not in client.get(site_tree.news.url).content.decode()


def test_a_lifted_restriction_applies_from_the_next_request(client, site_tree, restricted_tree):
    news = restricted_tree["private news"]
    assert news.title not in client.get(site_tree.news.url).content.decode()

    PageViewRestriction.objects.filter(page=news).delete()

    assert news.title in client.get(site_tree.news.url).content.decode()


@pytest.mark.parametrize(
    "name", ["private news", "organisation in a private city"], ids=["itself", "its section"]
)
def test_a_page_below_a_restriction_still_asks_for_the_password(client, restricted_tree, name):
    page = restricted_tree[name]
    response = client.get(page.url)

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert response.context["page"].pk == page.pk
    open_page = client.get(restricted_tree["open organisation"].url).content.decode()
    assert 'name="password"' not in open_page


def test_a_page_whose_alias_source_is_restricted_is_restricted_too(client, site_tree):
    source = NewsPageFactory(parent=site_tree.news, title="Source item")
    PageViewRestriction.objects.create(
        page=source, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    alias = source.create_alias(parent=site_tree.home, update_slug="alias")

    assert 'name="password"' in client.get(alias.url).content.decode()
