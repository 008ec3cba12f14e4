"""The sites Wagtail reads for every request come from the cache (baltmet/routing.py): the
same site as Wagtail would find, and never an outdated one."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from baltmet import routing
from baltmet.cache import store
from baltmet.cache.checks import caches_shared_by_the_processes
from baltmet.factories import StandardPageFactory
from baltmet.home.factories import HomePageFactory
from baltmet.models import SiteSettings
from baltmet.routing import choose_site, site_table
from news.factories import NewsPageFactory
from news.models import NewsPage
from tests.helpers import hide_pages_titled, models_whose_sql_is_written

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
    Site.clear_site_root_paths_cache()
    assert table["root_paths"] == Site.get_site_root_paths()


def test_a_page_request_reads_no_site_once_the_table_is_cached(client, site_tree, settings):
    settings.PAGE_CACHE = False
    page = StandardPageFactory(parent=site_tree.home)
    client.get(page.url)

    response, site_sql = site_queries(client, page.url)

    assert response.status_code == 200
    assert site_sql == []


def test_links_to_pages_take_the_root_paths_from_the_table(
    client, site_tree, settings, monkeypatch
):
    settings.PAGE_CACHE = False
    page = StandardPageFactory(parent=site_tree.home, slug="about", show_in_menus=True)
    client.get(page.url)

    def not_read():
        raise AssertionError("Wagtail read the root paths itself")

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(not_read))
    response = client.get(page.url)

    assert response.status_code == 200
    assert 'href="/about/"' in response.content.decode()


def test_a_page_is_loaded_in_sql_written_once_for_its_type(
    client, site_tree, settings, monkeypatch
):
    settings.PAGE_CACHE = False
    first = NewsPageFactory(parent=site_tree.news, title="First news")
    second = NewsPageFactory(parent=site_tree.news, title="Second news", intro="Its intro.")
    client.get(first.url)
    written = models_whose_sql_is_written(monkeypatch)
    response = client.get(second.url)

    page = response.context["page"]
    assert type(page) is NewsPage and page.pk == second.pk
    assert [page.title, page.intro, list(page.body.raw_data)] == [
        second.title,
        second.intro,
        list(second.body.raw_data),
    ]
    assert NewsPage not in written  # other queries (tags, related pages) are written as ever


def test_a_page_type_whose_manager_adds_values_is_loaded_through_it(site_tree, monkeypatch):
    """A value in a manager's condition (a date, say) would be frozen in SQL written once."""
    news = NewsPageFactory(parent=site_tree.news)
    hide_pages_titled(monkeypatch, NewsPage, "Gone")
    routing.select_by_pk.cache_clear()
    try:
        assert routing.select_by_pk(NewsPage) is None
        assert routing.page_at(news.url_path) == news
        NewsPage.objects.filter(pk=news.pk).update(title="Gone")
        assert routing.page_at(news.url_path) is None  # the manager's condition applies
    finally:
        routing.select_by_pk.cache_clear()


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
    page = StandardPageFactory(parent=site_tree.home, slug="about", show_in_menus=True)
    assert client.get("/about/").status_code == 200

    site_tree.home.slug = "renamed-home"
    site_tree.home.save_revision().publish()

    # The root page's URL path changed (and every page's below it): the address did not.
    assert found_without_walking(client, "/about/").pk == page.pk
    assert page.specific_class.objects.get(pk=page.pk).get_url() == "/about/"
    assert 'href="/about/"' in client.get("/about/").content.decode()


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


def menu_of(response) -> list[str]:
    html = response.content.decode()
    if 'aria-label="Main"' not in html:
        return []
    menu = html.split('aria-label="Main"')[1].split("</nav>")[0]
    return re.findall(r'class="main-nav__link" href="[^"]*"[^>]*>([^<]*)</a>', menu)


def test_the_menu_and_the_section_links_come_with_the_table(client, site_tree, settings):
    settings.PAGE_CACHE = False
    site_tree.news.show_in_menus = True
    site_tree.news.save_revision().publish()
    news = NewsPageFactory(parent=site_tree.news)
    client.get("/")

    for url in ("/", news.url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert menu_of(response) == [site_tree.news.title], url
        # The menu's query selects by depth below the root; the section links', by type.
        conditions = [q["sql"].partition(" WHERE ")[2] for q in queries.captured_queries]
        assert [where for where in conditions if '"depth" =' in where] == [], url
        assert [where for where in conditions if '"content_type_id" IN' in where] == [], url
        crumbs = response.content.decode().split('aria-label="Breadcrumb"')[-1]
        assert url == "/" or f'href="{site_tree.news.url}"' in crumbs
    assert f'href="{site_tree.news.url}">All news</a>' in client.get("/").content.decode()


def test_a_change_to_a_section_shows_in_the_menu_at_once(client, site_tree, settings):
    settings.PAGE_CACHE = False
    assert menu_of(client.get("/")) == []
    section = StandardPageFactory(parent=site_tree.home, title="About", show_in_menus=True)
    assert menu_of(client.get("/")) == ["About"]

    section.title = "About the network"
    section.save_revision().publish()
    assert menu_of(client.get("/")) == ["About the network"]

    section.show_in_menus = False
    section.save_revision().publish()
    assert menu_of(client.get("/")) == []

    section.show_in_menus = True
    section.save_revision().publish()
    section.unpublish()
    assert menu_of(client.get("/")) == []


def test_a_table_stored_by_other_code_is_not_read(client, site_tree, settings, monkeypatch):
    """After a deployment the cache still holds what the previous code stored: a table of
    another layout must not be read (here, the previous code's table has no site)."""
    settings.PAGE_CACHE = False
    monkeypatch.setattr(store, "code_version", lambda: "previous-release")
    monkeypatch.setattr(routing, "read_site_table", lambda: {"sites": [], "restricted_paths": ()})
    assert client.get("/").status_code == 404
    monkeypatch.undo()

    assert client.get("/").status_code == 200


def test_the_code_version_follows_the_code_not_the_checkout(tmp_path):
    for checkout in ("a", "b"):
        (tmp_path / checkout / "app").mkdir(parents=True)
        (tmp_path / checkout / "app" / "models.py").write_text("FIELDS = ('id',)\n")

    def version(checkout):
        base = tmp_path / checkout
        return store.digest_of_files(base, [base / "app"], [base / "manifest.json"], "5.2")

    assert version("a") == version("b")
    (tmp_path / "b" / "app" / "models.py").write_text("FIELDS = ('id', 'title')\n")
    assert version("a") != version("b")
    (tmp_path / "a" / "manifest.json").write_text("{}")
    assert version("a") != store.digest_of_files(
        tmp_path / "a", [tmp_path / "a" / "app"], [], "5.2"
    )


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
