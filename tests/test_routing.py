"""The sites Wagtail reads for every request come from the cache (baltmet/routing.py): the
same site as Wagtail would find, and never an outdated one."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from baltmet.cache.checks import caches_shared_by_the_processes
from baltmet.factories import StandardPageFactory
from baltmet.home.factories import HomePageFactory
from baltmet.models import SiteSettings
from baltmet.routing import choose_site, site_table

HOSTS = ["portal.example.org", "other.example.org", "unknown.example.org"]
PORTS = [80, 443, 8000]


def found_without_walking(client, url):
    """The page served at the address, checking it was found by its URL path: Wagtail's walk
    would read each level of the tree by slug."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert not [q for q in queries.captured_queries if '"wagtailcore_page"."slug" =' in q["sql"]]
    return response.context["page"]


def site_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, [q["sql"] for q in queries.captured_queries if "wagtailcore_site" in q["sql"]]


@pytest.mark.parametrize(
    "sites",
    [
        # (hostname, port, is_default_site) of each site besides the default "localhost:80"
        [],
        [("portal.example.org", 443, False)],
        [("portal.example.org", 443, False), ("portal.example.org", 8000, False)],
        [("other.example.org", 80, False), ("portal.example.org", 8000, False)],
    ],
)
@pytest.mark.parametrize("default_is_portal", [False, True])
def test_the_site_chosen_is_the_one_wagtail_chooses(home_page, sites, default_is_portal):
    if default_is_portal:
        Site.objects.filter(is_default_site=True).update(hostname="portal.example.org")
    for hostname, port, is_default in sites:
        Site.objects.create(
            hostname=hostname, port=port, is_default_site=is_default, root_page=home_page
        )
    table = site_table()

    for hostname, port in itertools.product(HOSTS, PORTS):
        try:
            expected = get_site_for_hostname(hostname, port).pk
        except Site.DoesNotExist:
            expected = None
        row = choose_site(table, hostname, port)
        assert (row and row["site"][0]) == expected, (hostname, port)


def test_a_page_request_reads_no_site_once_the_table_is_cached(client, site_tree, settings):
    settings.PAGE_CACHE = False
    page = StandardPageFactory(parent=site_tree.home)
    client.get(page.url)

    response, site_sql = site_queries(client, page.url)

    assert response.status_code == 200
    assert site_sql == []


def test_without_the_table_wagtail_finds_the_site_itself(client, site_tree, settings):
    settings.PAGE_CACHE = False
    settings.DATA_CACHE = False
    page = StandardPageFactory(parent=site_tree.home)

    response, site_sql = site_queries(client, page.url)

    assert response.status_code == 200
    assert len(site_sql) == 1


def test_a_new_site_answers_at_once(client, site_tree, settings):
    settings.PAGE_CACHE = False
    client.get("/")  # the table is cached with one site
    other_home = HomePageFactory(parent=Page.get_first_root_node(), title="Other network")
    Site.objects.create(hostname="other.example.org", port=80, root_page=other_home)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.org"]

    response = client.get("/", headers={"host": "other.example.org"})

    assert response.status_code == 200
    assert response.context["page"] == other_home


def test_a_site_given_another_root_page_serves_it_at_once(client, site_tree, settings):
    settings.PAGE_CACHE = False
    section = StandardPageFactory(parent=site_tree.home, title="Section as root")
    assert client.get("/").context["page"] == site_tree.home

    site = Site.objects.get(is_default_site=True)
    site.root_page = section
    site.save()

    assert client.get("/").context["page"].pk == section.pk


def test_a_renamed_root_page_keeps_serving_its_pages(client, site_tree, settings):
    settings.PAGE_CACHE = False
    page = StandardPageFactory(parent=site_tree.home, slug="about")
    assert client.get("/about/").status_code == 200

    site_tree.home.slug = "renamed-home"
    site_tree.home.save_revision().publish()

    # The root page's URL path changed (and every page's below it): the address did not.
    assert found_without_walking(client, "/about/").pk == page.pk


def test_a_moved_root_page_keeps_serving_its_pages(client, site_tree, settings):
    settings.PAGE_CACHE = False
    page = StandardPageFactory(parent=site_tree.home, slug="about")
    assert client.get("/about/").status_code == 200
    holder = HomePageFactory(parent=Page.get_first_root_node(), title="Holder")

    Page.objects.get(pk=site_tree.home.pk).move(holder, pos="last-child")

    assert found_without_walking(client, "/about/").pk == page.pk
    assert found_without_walking(client, "/").pk == site_tree.home.pk


def test_an_unpublished_root_page_is_not_served(client, site_tree, settings):
    settings.PAGE_CACHE = False
    assert client.get("/").status_code == 200

    site_tree.home.unpublish()

    assert client.get("/").status_code == 404


@pytest.mark.parametrize("address", ["/_util/login/", "/nested/page/that/is/missing/"])
def test_wagtail_urls_beside_pages_still_answer(client, site_tree, address):
    expected = 200 if address.startswith("/_util/") else 404
    assert client.get(address).status_code == expected


def test_changed_site_settings_show_at_once(client, site_tree, settings):
    settings.PAGE_CACHE = False
    site_settings = SiteSettings.objects.get()
    site_settings.footer_text = "First"
    site_settings.save()
    assert "First" in client.get("/").content.decode()

    site_settings.footer_text = "Second"
    site_settings.save()

    assert "Second" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Second" in client.get("/").content.decode()
    assert not [q for q in queries.captured_queries if "baltmet_sitesettings" in q["sql"]]


@pytest.mark.parametrize(
    "page_cache, data_cache, expected",
    [
        (True, True, {"page_cache.W001", "data_cache.W001"}),
        (False, True, {"data_cache.W001"}),
        (False, False, set()),
    ],
)
def test_the_caches_need_a_cache_every_process_shares(settings, page_cache, data_cache, expected):
    settings.PAGE_CACHE, settings.DATA_CACHE = page_cache, data_cache
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert {warning.id for warning in caches_shared_by_the_processes(None)} == expected

    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}
    assert caches_shared_by_the_processes(None) == []
