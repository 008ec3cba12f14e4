"""Site search at /search/: PostgreSQL full-text search over pages and documents."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Site,
)

from baltmet.factories import StandardPageFactory, paragraph
from baltmet.search import views
from baltmet.search.query import MAX_QUERY_LENGTH, MAX_WORDS, highlight, parse_query, stem
from events.factories import EventPageFactory
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory
from tests.helpers import assert_in_order, log_in

from .helpers import document, notes, result_titles, search, summary

pytestmark = pytest.mark.django_db


# Finding content


def test_finds_a_news_item_by_a_word_in_its_body(client, site_tree):
    NewsPageFactory(
        parent=site_tree.news,
        title="Network meeting",
        intro="The partners met.",
        body=paragraph("They agreed on a common biotechnology cluster strategy."),
    )
    NewsPageFactory(parent=site_tree.news, title="Other news")

    html = search(client, q="biotechnology")

    assert result_titles(html) == ["Network meeting"]
    assert summary(html) == "1 result for “biotechnology”."
    assert '<span class="search-result__type">News</span>' in html
    assert "a common <mark>biotechnology</mark> cluster strategy" in html


def test_a_title_match_ranks_before_matches_in_the_text(client, site_tree):
    NewsPageFactory(
        parent=site_tree.news,
        title="Annual report",
        body=paragraph("Nanotechnology here, nanotechnology there, more nanotechnology."),
    )
    StandardPageFactory(parent=site_tree.home, title="Nanotechnology")

    assert result_titles(search(client, q="nanotechnology")) == ["Nanotechnology", "Annual report"]


def test_every_word_must_match(client, site_tree):
    NewsPageFactory(parent=site_tree.news, title="Cluster policy in Helsinki")
    NewsPageFactory(parent=site_tree.news, title="Cluster policy in Oslo")

    assert result_titles(search(client, q="cluster Oslo")) == ["Cluster policy in Oslo"]


def test_english_word_forms_match(client, site_tree):
    NewsPageFactory(parent=site_tree.news, title="Innovations of the year")

    html = search(client, q="innovation")

    assert result_titles(html) == ["Innovations of the year"]


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Malmö", "Malmo"),
        ("Malmö", "MALMÖ"),
        ("Rīga", "Riga"),
        ("Riga", "Rīga"),
        ("St. Petersburg", "St Petersburg"),
        ("St. Petersburg", "Saint Petersburg"),
        ("Sankt-Peterburg", "St Petersburg"),
        ("Copenhagen", "København"),
        ("Warsaw", "Warszawa"),
        ("Helsinki", "Helsingfors"),
    ],
)
def test_visitors_need_not_type_accents_or_the_same_variant(client, site_tree, written, typed):
    MetropolisPageFactory(parent=site_tree.partners, title=written)
    MetropolisPageFactory(parent=site_tree.partners, title="Berlin")

    assert result_titles(search(client, q=typed)) == [written]


def test_finds_every_page_type(client, site_tree):
    metropolis = MetropolisPageFactory(parent=site_tree.partners, title="Zeeland Quasar")
    OrganisationPageFactory(parent=metropolis, title="Quasar Agency")
    NewsPageFactory(parent=site_tree.news, title="Quasar news")
    EventPageFactory(parent=site_tree.events, title="Quasar seminar", metropolis=metropolis)
    StandardPageFactory(parent=site_tree.home, title="About quasars")

    html = search(client, q="quasar")

    assert sorted(result_titles(html)) == [
        "About quasars",
        "Quasar Agency",
        "Quasar news",
        "Quasar seminar",
        "Zeeland Quasar",
    ]
    for label in ("Metropolis", "Partner", "News", "Event", "Page"):
        assert f'<span class="search-result__type">{label}</span>' in html


def test_results_load_only_what_they_show_of_each_page(client, site_tree, settings):
    settings.PAGE_CACHE = False
    EventPageFactory(parent=site_tree.events, title="Quasar seminar", intro="About quasars.")
    NewsPageFactory(
        parent=site_tree.news, title="Quasar news", intro="Quasars seen.", date=dt.date(2009, 3, 1)
    )

    with CaptureQueriesContext(connection) as queries:
        html = search(client, q="quasar")

    loads = [q["sql"] for q in queries.captured_queries if '"page_ptr_id" IN' in q["sql"]]
    assert len(loads) == 2
    for sql in loads:
        assert '"programme"' not in sql and '"latest_revision_id"' not in sql
        assert '"intro"' in sql and '"url_path"' in sql
    assert "<mark>Quasars</mark> seen." in html and "1 March 2009" in html


def test_finds_documents_by_their_description_and_links_to_the_file(client, site_tree):
    doc = document("Annual report 2008", description="Figures on hydrogen research.")

    html = search(client, q="hydrogen")

    assert result_titles(html) == ["Annual report 2008"]
    assert f'href="{doc.url}"' in html
    assert "Figures on <mark>hydrogen</mark> research." in html
    assert "· PDF" in html


def test_documents_in_a_restricted_collection_are_not_found(client, site_tree):
    private = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    inner = private.add_child(name="Minutes")
    document("Public hydrogen study")
    document("Private hydrogen memo", collection=private)
    document("Hydrogen minutes", collection=inner)

    assert result_titles(search(client, q="hydrogen")) == ["Public hydrogen study"]


def test_drafts_and_restricted_pages_are_not_found(client, site_tree):
    NewsPageFactory(parent=site_tree.news, title="Published zeppelin")
    NewsPageFactory(parent=site_tree.news, title="Draft zeppelin", live=False)
    members = StandardPageFactory(parent=site_tree.home, title="Members area")
    StandardPageFactory(parent=members, title="Zeppelin minutes")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    assert result_titles(search(client, q="zeppelin")) == ["Published zeppelin"]


def test_documents_in_a_partners_own_collection_are_not_listed(client, world):
    # Its files may belong to drafts; the API lists the same documents (public_collections).
    document("Shared hydrogen study")
    document("Riga's hydrogen draft", collection=world.riga.access.collection)

    assert result_titles(search(client, q="hydrogen")) == ["Shared hydrogen study"]


# Filters and pages of results


def test_filter_by_type_with_the_count_of_each(client, site_tree):
    for n in range(3):
        NewsPageFactory(parent=site_tree.news, title=f"Tram news {n}")
    EventPageFactory(parent=site_tree.events, title="Tram seminar")
    document("Tram study")

    html = search(client, q="tram")
    assert summary(html) == "5 results for “tram”."
    assert '>All <span class="search-types__count">(5)</span>' in html
    assert '>News <span class="search-types__count">(3)</span>' in html
    assert '>Events <span class="search-types__count">(1)</span>' in html
    assert '>Documents <span class="search-types__count">(1)</span>' in html
    assert "Partners <span" not in html  # types without results are not offered

    html = search(client, q="tram", type="events")
    assert result_titles(html) == ["Tram seminar"]
    assert summary(html) == "1 result for “tram” in events."
    assert 'href="?q=tram&amp;type=events" aria-current="page"' in html

    assert result_titles(search(client, q="tram", type="documents")) == ["Tram study"]
    assert result_titles(search(client, q="tram", type="pages")) == []


def test_an_unknown_type_shows_all_results_with_a_note(client, site_tree):
    NewsPageFactory(parent=site_tree.news, title="Ferry news")

    html = search(client, q="ferry", type="<script>")

    assert result_titles(html) == ["Ferry news"]
    assert notes(html) == ["There is no such type of result; showing all results instead."]
    assert "<script>" not in html.split("<main", 1)[1]


def test_results_are_paginated_and_page_links_keep_the_search(client, site_tree):
    for n in range(12):
        NewsPageFactory(parent=site_tree.news, title=f"Harbour news {n:02}")

    first = search(client, q="harbour", type="news")
    second = search(client, q="harbour", type="news", page=2)

    assert len(result_titles(first)) == 10
    assert len(result_titles(second)) == 2
    assert not set(result_titles(first)) & set(result_titles(second))
    assert 'href="?q=harbour&amp;type=news&amp;page=2"' in first
    assert '<ol class="search-results" start="11">' in second
    # A page number out of range or not a number shows a real page, never an error.
    assert result_titles(search(client, q="harbour", page=99)) == result_titles(second)
    assert result_titles(search(client, q="harbour", page="x")) == result_titles(first)


def test_more_matches_than_are_ranked_are_counted_by_type(client, site_tree, monkeypatch):
    monkeypatch.setattr(views, "MAX_RESULTS", 3)
    for n in range(4):
        NewsPageFactory(parent=site_tree.news, title=f"Ferry news {n}")
    EventPageFactory(parent=site_tree.events, title="Ferry seminar")
    for n in range(3):
        document(f"Ferry timetable {n}")

    html = search(client, q="ferry")

    assert summary(html) == "8 results for “ferry”."
    assert '>News <span class="search-types__count">(4)</span>' in html
    assert '>Documents <span class="search-types__count">(3)</span>' in html
    assert len(result_titles(html)) == 3
    assert "Only the first 3 results can be shown." in html
    html = search(client, q="ferry", type="events")
    assert result_titles(html) == ["Ferry seminar"]
    assert '>News <span class="search-types__count">(4)</span>' in html


def test_pages_and_documents_are_ranked_in_one_list(client, site_tree):
    document("Energy atlas", description="On solar power.")
    NewsPageFactory(parent=site_tree.news, title="Wind", body=paragraph("A word on solar."))
    NewsPageFactory(parent=site_tree.news, title="Solar parks")
    document("Solar maps")

    titles = result_titles(search(client, q="solar"))

    # Title matches first, whether of a page or a document, then matches in the text.
    assert set(titles[:2]) == {"Solar parks", "Solar maps"}
    assert set(titles[2:]) == {"Energy atlas", "Wind"}


# Promotions


def test_editors_promote_a_page_for_a_query(client, site_tree):
    promoted = StandardPageFactory(parent=site_tree.home, title="How to join the network")
    hidden = StandardPageFactory(parent=site_tree.home, title="Old page", live=False)
    NewsPageFactory(parent=site_tree.news, title="Membership news")
    query = Query.get("Membership")
    SearchPromotion.objects.create(query=query, page=promoted, description="Start here.")
    SearchPromotion.objects.create(query=query, page=hidden)

    html = search(client, q="membership")

    assert_in_order(html, ["Recommended", "How to join the network", "Start here.", "Membership"])
    assert "Old page" not in html
    assert "Recommended" not in search(client, q="news")


# Bad or odd input


def test_an_empty_search_explains_what_to_do(client, site_tree):
    html = search(client)
    assert "Type one or more words." in html
    assert result_titles(html) == []
    assert "Type one or more words." in search(client, q="   ")


def test_punctuation_alone_gets_a_message(client, site_tree):
    html = search(client, q="?!…&*")
    assert notes(html) == ["Type a word to search for: punctuation alone finds nothing."]


def test_a_very_long_search_is_shortened_with_a_note(client, site_tree):
    NewsPageFactory(parent=site_tree.news, title="Lighthouse news")

    html = search(client, q="lighthouse " + "x" * 5000)

    assert result_titles(html) == ["Lighthouse news"]
    assert notes(html) == [
        f"Your search was longer than {MAX_QUERY_LENGTH} characters; only its beginning was used."
    ]


@pytest.mark.parametrize(
    "q",
    [
        "\x00",
        "a\x00b",
        "' OR 1=1 --",
        "!!!&|:*()",
        "<script>alert(1)</script>",
        "a:* & !b",
        "%",
        "\\",
        "ﷺ" * 50,
        "🙂 Riga",
        "_",
        "a" * 400,
    ],
)
def test_odd_searches_get_a_page_not_an_error(client, site_tree, q):
    html = search(client, q=q)
    assert "<script>alert" not in html


def test_too_many_words_are_cut_with_a_note(client, site_tree):
    html = search(client, q=" ".join(f"w{n}" for n in range(MAX_WORDS + 5)))
    assert f"Only the first {MAX_WORDS} words were used." in notes(html)


def test_the_query_is_escaped_in_the_page(client, site_tree):
    html = search(client, q='"><img src=x onerror=alert(1)>')
    assert "<img src=x" not in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


# The page itself


def test_the_results_page_is_not_indexed_by_search_engines(client, site_tree):
    assert '<meta name="robots" content="noindex, follow">' in search(client, q="x")


def test_every_page_has_a_search_box_but_the_search_page(client, site_tree):
    page = client.get("/").content.decode()
    assert 'action="/search/"' in page and 'role="search"' in page
    html = search(client, q="x")
    assert html.count('role="search"') == 1  # the page's own form, not a second one


def test_queries_do_not_grow_with_the_number_of_results(client, site_tree, settings):
    settings.PAGE_CACHE = False  # what a search costs, not a cache hit

    def queries_for_search():
        client.get("/search/", {"q": "glacier"})  # warm the content type cache
        with CaptureQueriesContext(connection) as queries:
            search(client, q="glacier")
        return len(queries)

    for n in range(3):
        NewsPageFactory(parent=site_tree.news, title=f"Glacier news {n}")
    EventPageFactory(parent=site_tree.events, title="Glacier seminar")
    few = queries_for_search()
    for n in range(30):
        NewsPageFactory(parent=site_tree.news, title=f"More glacier news {n}")
        EventPageFactory(parent=site_tree.events, title=f"Glacier seminar {n}")
    many = queries_for_search()

    assert few == many
    assert many <= 15


def test_searches_filter_and_join_by_the_indexed_expressions(client, site_tree, settings):
    """Home migration 0004 indexes the expressions Wagtail's backend writes (`title || body`,
    `object_id = id::varchar(50)`). If the backend ever wrote them differently, the indexes
    would silently stop serving searches: this compares the two. The titles that may
    complete the last word are searched in the `autocomplete` column, which Wagtail's own
    GIN index serves."""
    settings.PAGE_CACHE = False  # the queries of a search, not a stored page
    NewsPageFactory(parent=site_tree.news, title="Glacier news")
    document("Glacier report")
    client.get("/search/", {"q": "glacier"})
    with CaptureQueriesContext(connection) as queries:
        search(client, q="glacier")  # few matches: counted from those read
        search(client, q="glacier", type="news")  # counted by type, and the documents
    searches = [q["sql"] for q in queries if "@@" in q["sql"]]
    entry = '"wagtailsearch_indexentry"'
    completions = [sql for sql in searches if f'{entry}."autocomplete" @@' in sql]
    assert len(completions) == 4  # titles of pages, then of documents, for each search
    matches = [sql for sql in searches if sql not in completions]
    assert len(matches) == 5  # pages, documents; news, counts by type, documents' count
    for sql in matches:
        assert f'({entry}."title" || {entry}."body") @@' in sql
    assert sum('= ("wagtailcore_page"."id")::varchar(50)' in sql for sql in searches) == 5
    assert sum('= ("baltmet_customdocument"."id")::varchar(50)' in sql for sql in searches) == 4

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname ~ '^baltmet_'")
        definitions = dict(cursor.fetchall())
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry'"
        )
        entry_indexes = [indexdef for (indexdef,) in cursor.fetchall()]
    assert "USING gin (((title || body)))" in definitions["baltmet_search_document"]
    assert any(indexdef.endswith("USING gin (autocomplete)") for indexdef in entry_indexes)
    for name, table in [
        ("baltmet_page_search_key", "wagtailcore_page"),
        ("baltmet_document_search_key", "baltmet_customdocument"),
    ]:
        assert f"{table} USING btree (((id)::character varying(50)))" in definitions[name]


# Through the page cache, every change shows at once


def test_results_show_every_change_at_once(client, site_tree):
    kept = NewsPageFactory(parent=site_tree.news, title="Glacier news")
    assert result_titles(search(client, q="glacier")) == ["Glacier news"]

    added = NewsPageFactory(parent=site_tree.news, title="Glacier seminar news", live=False)
    added.save_revision().publish()
    assert set(result_titles(search(client, q="glacier"))) == {"Glacier news", added.title}

    added.refresh_from_db()
    added.unpublish()
    assert result_titles(search(client, q="glacier")) == ["Glacier news"]

    document("Glacier report")
    assert set(result_titles(search(client, q="glacier"))) == {"Glacier news", "Glacier report"}

    PageViewRestriction.objects.create(page=kept, restriction_type="login")
    assert result_titles(search(client, q="glacier")) == ["Glacier report"]

    SearchPromotion.objects.create(query=Query.get("glacier"), page=added, description="Read")
    assert "Recommended" not in search(client, q="glacier")  # its page is not published
    added.refresh_from_db()
    added.save_revision().publish()
    assert_in_order(search(client, q="glacier"), ["Recommended", added.title, "Read"])


def test_results_link_pages_as_the_site_asked_links_them(client, site_tree, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.org"]
    NewsPageFactory(parent=site_tree.news, title="Glacier news", slug="glacier-news")
    Site.objects.create(hostname="news.example.org", port=80, root_page=site_tree.news)

    def result_links(host):
        response = client.get("/search/", {"q": "glacier"}, HTTP_HOST=host)
        return re.findall(r'<a href="([^"]*)"[^>]*>Glacier news', response.content.decode())

    assert result_links("localhost") == ["/news/glacier-news/"]
    assert result_links("news.example.org") == ["/glacier-news/"]
    assert result_links("localhost") == ["/news/glacier-news/"]


# The helpers


def test_parse_query_cleans_control_characters_and_spaces():
    parsed = parse_query("  Malmö\t\x00 St.  Petersburg ")
    assert parsed.text == "Malmö St. Petersburg"
    assert parsed.words == ["Malmö", "St", "Petersburg"]


def test_highlight_escapes_the_text_and_marks_whole_words():
    html = highlight("<b>Innovative</b> regions & innovation policy", [stem("innovation")])
    assert html == (
        "&lt;b&gt;<mark>Innovative</mark>&lt;/b&gt; regions &amp; <mark>innovation</mark> policy"
    )


def test_highlight_shows_the_part_of_a_long_text_around_the_first_match():
    text = " ".join(["filler"] * 100) + " the harbour strategy " + " ".join(["more"] * 100)
    html = highlight(text, [stem("harbour")], length=120)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>harbour</mark>" in html
    assert len(html) < 200


def test_moderators_manage_promotions_and_partner_editors_do_not(client, world):
    log_in(client, world.moderator)
    assert client.get("/admin/searchpicks/").status_code == 200
    assert client.get("/admin/searchpicks/add/").status_code == 200

    client.logout()
    log_in(client, world.editor)
    assert client.get("/admin/searchpicks/").status_code in (302, 403)


def test_snippets_keep_words_apart_and_leave_out_block_settings():
    from baltmet.search.query import stream_text

    class Stream:
        raw_data = [
            {"type": "heading", "value": {"text": "Aims", "level": "h2"}, "id": "a"},
            {"type": "paragraph", "value": "<ul><li>Parks</li><li>Ports &amp; harbours</li></ul>"},
        ]

    assert stream_text(Stream()) == "Aims Parks Ports & harbours"
