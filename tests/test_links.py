"""A page's address is worked out once per process (baltmet/links.py), and is Wagtail's."""

import pytest
from django.test import RequestFactory
from django.urls import clear_script_prefix, set_script_prefix
from wagtail.models import Page, Site

from baltmet import links
from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory


@pytest.fixture
def pages(site_tree):
    metropolis = MetropolisPageFactory(parent=site_tree.partners)
    return [
        site_tree.home,
        site_tree.news,
        NewsPageFactory(parent=site_tree.news, slug="ümlaut-news"),
        EventPageFactory(parent=site_tree.events),
        metropolis,
        OrganisationPageFactory(parent=metropolis),
    ]


def wagtail_url_parts(page, request=None):
    return Page.get_url_parts(page, request)


def assert_parts_are_wagtail_s(pages, request=None):
    for page in pages:
        page = Page.objects.get(pk=page.pk).specific  # no root paths kept on the instance
        expected = wagtail_url_parts(page, request)
        assert page.get_url_parts(request) == expected, page.url_path


@pytest.mark.parametrize(
    "other_site",
    [
        None,
        # A second site whose root is a section: its pages belong to two sites.
        {"hostname": "news.example.org", "root": "news"},
        # A second host name for the same tree.
        {"hostname": "portal.example.org", "root": "home"},
    ],
)
def test_a_page_s_address_is_the_one_wagtail_builds(site_tree, pages, other_site):
    if other_site:
        Site.objects.create(
            hostname=other_site["hostname"],
            port=80,
            root_page=getattr(site_tree, other_site["root"]),
        )
    Site.clear_site_root_paths_cache()
    links.serve_path.cache_clear()

    assert_parts_are_wagtail_s(pages)
    for hostname in ["localhost", "news.example.org", "portal.example.org"]:
        assert_parts_are_wagtail_s(pages, RequestFactory().get("/", HTTP_HOST=hostname))


def test_an_address_follows_the_script_prefix(site_tree, pages):
    news = pages[2]
    assert news.get_url() == "/news/%C3%BCmlaut-news/"
    set_script_prefix("/portal/")
    try:
        assert news.get_url() == "/portal/news/%C3%BCmlaut-news/"
        assert_parts_are_wagtail_s(pages)
    finally:
        clear_script_prefix()
    assert news.get_url() == "/news/%C3%BCmlaut-news/"


def test_a_page_outside_every_site_has_no_address(site_tree):
    outside = NewsPageFactory(parent=Page.get_first_root_node())

    assert outside.get_url_parts() is None
    assert outside.get_url() is None


def test_without_wagtail_s_page_view_a_page_is_not_routable(site_tree, pages, settings):
    site_id = Site.objects.get(is_default_site=True).pk
    assert pages[2].get_url_parts() == (site_id, "http://localhost", "/news/%C3%BCmlaut-news/")

    settings.ROOT_URLCONF = "baltmet.ops.health"

    assert pages[2].get_url_parts() == (site_id, None, None)
    assert_parts_are_wagtail_s(pages)


def test_each_address_is_worked_out_once(site_tree, pages, monkeypatch):
    links.serve_path.cache_clear()
    reversed_paths = []
    reverse = links.reverse

    def counting_reverse(name, args, **kwargs):
        reversed_paths.append(args[0])
        return reverse(name, args=args, **kwargs)

    monkeypatch.setattr(links, "reverse", counting_reverse)
    news, event = pages[2], pages[3]

    addresses = [news.get_url(), event.get_url(), news.get_url(), event.get_full_url()]

    assert addresses == [news.url, event.url, news.url, "http://localhost" + event.url]
    assert reversed_paths == ["news/ümlaut-news/", event.url.lstrip("/")]
