"""Facts kept in the cache (baltmet/cache/facts.py) tag what reads them with what they were
computed from, and are computed again as soon as any of it changes."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baltmet.cache import store, tags
from baltmet.cache.facts import Fact, remembered
from news.factories import NewsPageFactory
from news.models import NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(site_tree):
    return NewsPageFactory(parent=site_tree.news, title="Cluster workshop in Riga")


def titles_of_news():
    return Fact([page.title for page in NewsPage.objects.live()])


def read(compute=titles_of_news):
    """The fact, as a response being rendered reads it: with the tags it collects."""
    with tags.collecting() as collector, CaptureQueriesContext(connection) as queries:
        value = remembered("news-titles", {"type:news.newspage"}, compute)
    return value, collector, len(queries.captured_queries)


def test_a_kept_fact_tags_its_reader_with_what_computing_it_loaded(news):
    computed, first, _ = read()
    kept, second, queries = read()

    assert kept == computed == ["Cluster workshop in Riga"]
    assert queries == 0
    assert f"page:{news.pk}" in first.tags
    assert f"page:{news.pk}" in second.tags


def test_a_change_to_what_it_loaded_computes_it_again(news):
    read()
    NewsPage.objects.filter(pk=news.pk).update(title="Cluster workshop in Tallinn")
    assert read()[0] == ["Cluster workshop in Riga"]  # no change was signalled

    store.bump({f"page:{news.pk}"})  # what publishing the page bumps, among others

    assert read()[0] == ["Cluster workshop in Tallinn"]


def test_a_fact_that_loads_what_the_cache_does_not_follow_is_not_kept(news):
    def with_a_group():
        list(Group.objects.all())
        return titles_of_news()

    Group.objects.get_or_create(name="Editors")
    value, collector, _ = read(with_a_group)
    _, again, queries = read(with_a_group)

    assert value == ["Cluster workshop in Riga"]
    assert "auth.group" in collector.refused and "auth.group" in again.refused
    assert queries > 1  # computed again
