"""The benchmark's data generator (bench/data.py) builds a valid, servable, searchable site.

It writes pages in bulk, around Wagtail's and treebeard's own methods, so these tests check
what those methods would have guaranteed: a consistent tree, right URL paths, pages that
render, and a search index that finds them. They build the small scale; timings are measured
by `make bench`, never here.
"""

import sys

import pytest
from django.db import connection, transaction
from wagtail.models import Page

from baltmet.models import CustomDocument, CustomImage
from bench import build_data
from bench.data import (
    COMMON_WORD,
    MARKER_TABLE,
    RARE_WORD,
    SCALES,
    SLUG_PREFIX,
    BenchDataExists,
    build_bench_data,
)
from events.models import EventPage, EventPresentation
from news.models import NewsPage
from partners.models import OrganisationPage

SMALL = SCALES["small"]


def build() -> dict:
    return build_bench_data("small")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One build for the whole module (it takes seconds), rolled back at its end; each test
    runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        build()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def bench_data(built, db):
    pass


def generated(model):
    return model.objects.filter(slug__startswith=SLUG_PREFIX)


def test_it_builds_the_seed_content_and_the_generated_volume(bench_data):
    assert generated(OrganisationPage).count() == SMALL.organisations
    assert generated(NewsPage).count() == SMALL.news
    assert generated(EventPage).count() == SMALL.events
    assert CustomDocument.objects.filter(title__startswith="Generated").count() == SMALL.documents
    assert CustomImage.objects.filter(title__startswith="Generated").count() == SMALL.images
    # The seed content is there too, under the same indexes.
    assert NewsPage.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
    assert OrganisationPage.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
    # Relations and tags, so listings and filters have something to join.
    news = generated(NewsPage)
    assert news.filter(tagged_items__isnull=False).distinct().count() == SMALL.news
    assert news.filter(related_organisations__isnull=False).exists()
    assert EventPresentation.objects.filter(page__slug__startswith=SLUG_PREFIX).exists()


def test_the_page_tree_is_valid(bench_data):
    evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild = Page.find_problems()
    assert (evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild) == ([], [], [], [], [])
    pages = {page.path: page for page in Page.objects.all()}
    for path, page in pages.items():
        if page.depth == 1:
            continue
        parent = pages[path[: -Page.steplen]]
        assert page.url_path == f"{parent.url_path}{page.slug}/", page.slug
        assert page.live and page.content_type.model_class() is not Page
    # Every generated page is its own specific row, reachable through .specific.
    assert isinstance(Page.objects.get(slug=f"{SLUG_PREFIX}news-00010").specific, NewsPage)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/news/",
        "/news/?page=2",
        "/events/",
        "/partners/",
        "/events/calendar.ics",
        "/news/feed/rss/",
    ],
)
def test_listings_with_generated_content_are_served(bench_data, client, url):
    assert client.get(url).status_code == 200


def test_generated_pages_are_served(bench_data, client):
    # News 10 has a figure and a document, organisation 1 a logo: images and documents work.
    news = generated(NewsPage).get(slug=f"{SLUG_PREFIX}news-00010")
    organisation = generated(OrganisationPage).get(slug=f"{SLUG_PREFIX}organisation-001")
    event = generated(EventPage).order_by("slug").first()
    for page in (news, organisation, event, organisation.get_parent()):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()
    assert organisation.logo is not None
    assert "<img" in client.get(organisation.url).content.decode()


def test_search_finds_the_generated_pages(bench_data):
    rare = NewsPage.objects.live().search(RARE_WORD)
    assert [page.slug for page in rare] == [f"{SLUG_PREFIX}news-00007"]
    common = NewsPage.objects.live().search(COMMON_WORD)
    assert len(common) >= SMALL.news


def test_a_second_run_reuses_the_data_set(bench_data):
    pages = Page.objects.count()
    assert build()["reused"] is True
    assert Page.objects.count() == pages


def test_a_data_set_of_another_version_is_refused(bench_data):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MARKER_TABLE} SET version = 0")
    with pytest.raises(BenchDataExists, match="holds a benchmark data set"):
        build()


def test_the_script_refuses_a_database_not_named_for_benchmarks(bench_data, monkeypatch, capsys):
    """The test database is named test_...: without --any-database nothing is written."""
    pages = Page.objects.count()
    monkeypatch.setattr(sys, "argv", ["build_data.py", "--scale", "small", "--quiet"])
    assert build_data.main() == build_data.NOT_A_BENCH_DATABASE
    assert "Refusing to build" in capsys.readouterr().err
    assert Page.objects.count() == pages


def test_the_script_exits_with_3_for_another_data_set(bench_data, monkeypatch, capsys):
    """bench/run.py rebuilds the database when the script says 3."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MARKER_TABLE} SET version = 0")
    argv = ["build_data.py", "--scale", "small", "--quiet", "--any-database"]
    monkeypatch.setattr(sys, "argv", argv)
    assert build_data.main() == build_data.OTHER_DATA_SET == 3
    assert "holds a benchmark data set" in capsys.readouterr().err
