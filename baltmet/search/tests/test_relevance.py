"""Site search: which results come first, and the last word taken as the beginning of a word."""

import re

import pytest

from baltmet.factories import StandardPageFactory, paragraph
from baltmet.search.query import MAX_COMPLETIONS, completions, parse_query
from baltmet.seeding.loader import load_seed_content
from news.factories import NewsPageFactory
from partners.factories import MetropolisPageFactory, OrganisationPageFactory

from .helpers import document, notes, result_titles, search, summary

pytestmark = pytest.mark.django_db


def all_result_titles(client, q: str) -> list[str]:
    """The titles of every result, page after page."""
    titles, page = [], 1
    while True:
        html = search(client, q=q, page=page)
        titles += result_titles(html)
        if f"page={page + 1}" not in html:
            return titles
        page += 1


# Title matches first


def test_on_the_seed_content_pages_named_after_innovation_come_first(client):
    load_seed_content()

    titles = all_result_titles(client, "innovation")

    named = [n for n, title in enumerate(titles) if re.search(r"\binnovation", title, re.I)]
    assert named == list(range(len(named)))  # every title match before every text match
    assert {titles[n] for n in named} >= {
        "The Baltic Sea Archipelago of Innovation",
        "European Presidency Conference on Innovation and Clusters",
        "Boosting Innovation through Metropolitan Partnership",
        "Innovation competencies and entrepreneurial skills",
        "Complementary Innovation Strategies in the Baltic Metropolitan Areas",
    }
    assert len(titles) > len(named)  # and pages that only say it in their text follow


def test_a_long_title_naming_the_word_ranks_before_a_text_that_repeats_it(client, site_tree):
    # PostgreSQL's rank divides a title's weight by its length against the average title's
    # (most are short, as here): on its own, it puts this title below a text that repeats
    # the word.
    for n in range(30):
        StandardPageFactory(parent=site_tree.home, title="Minutes", slug=f"minutes-{n}")
    long_title = (
        "Nanotechnology in the Baltic Sea Region: materials, sensors, coatings, membranes, "
        "catalysts, batteries, photonics, textiles, packaging, imaging, metrology, polymers, "
        "ceramics, films, fibres, foams, gels, inks, glass, paint, wires, chips, dyes and tools"
    )
    NewsPageFactory(
        parent=site_tree.news,
        title=long_title,
        intro="<p>The programme of the day.</p>",
        body=paragraph("Speakers to be announced."),
    )
    NewsPageFactory(
        parent=site_tree.news,
        title="Annual report",
        intro="<p>Nanotechnology, nanotechnology and more nanotechnology.</p>",
        body=paragraph(" ".join(["Our nanotechnology cluster grew."] * 20)),
    )

    assert result_titles(search(client, q="nanotechnology")) == [long_title, "Annual report"]


def test_titles_holding_more_of_the_words_come_first(client, site_tree):
    NewsPageFactory(
        parent=site_tree.news,
        title="Annual report",
        body=paragraph("Tram strategy. " * 10),
    )
    NewsPageFactory(parent=site_tree.news, title="Tram news", body=paragraph("A strategy."))
    NewsPageFactory(parent=site_tree.news, title="The tram strategy", body=paragraph("Adopted."))

    # All words in the title, then one of them, then none (stop words do not count).
    titles = result_titles(search(client, q="the tram strategy"))
    assert titles == ["The tram strategy", "Tram news", "Annual report"]


def test_a_document_named_after_the_word_ranks_before_a_page_that_mentions_it(client, site_tree):
    NewsPageFactory(parent=site_tree.news, title="Annual report", body=paragraph("Hydrogen. " * 30))
    document("Hydrogen atlas")

    assert result_titles(search(client, q="hydrogen")) == ["Hydrogen atlas", "Annual report"]


# The last word as the beginning of a word


def test_on_the_seed_content_the_beginning_of_a_name_finds_it(client):
    load_seed_content()

    html = search(client, q="Culmin")
    titles = result_titles(html)
    assert titles[0] == "Culminatum Ltd Oy"  # the project coordinator
    assert "Helsinki" in titles  # its metropolis, whose text names it
    assert "<mark>Culminatum</mark>" in html

    html = search(client, q="Helsin")
    assert result_titles(html)[0] == "Helsinki"
    assert "<mark>Helsinki</mark>" in html

    # Only the last word: the words before it are whole words.
    assert "Helsinki" in result_titles(search(client, q="Helsinki Culmin"))
    assert result_titles(search(client, q="Culmin Helsinki")) == []


def test_only_the_last_word_is_the_beginning_of_a_word(client, site_tree):
    NewsPageFactory(
        parent=site_tree.news,
        title="Tramway plans in Gdansk",
        intro="<p>The city council approved the tramway.</p>",
    )

    assert result_titles(search(client, q="Gdansk Tram")) == ["Tramway plans in Gdansk"]
    assert result_titles(search(client, q="Tram Gdansk")) == []
    assert result_titles(search(client, q="Gda Tramway")) == []
    html = search(client, q="council tramw")
    assert "The city <mark>council</mark> approved the <mark>tramway</mark>." in html


def test_the_beginning_of_a_word_finds_it_in_texts_and_documents_too(client, site_tree):
    metropolis = MetropolisPageFactory(parent=site_tree.partners, title="Helsinki")
    OrganisationPageFactory(parent=metropolis, title="Culminatum Ltd Oy")
    NewsPageFactory(
        parent=site_tree.news,
        title="Coordinator named",
        body=paragraph("Culminatum will coordinate the project."),
    )
    document("Culminatum annual report")
    NewsPageFactory(parent=site_tree.news, title="Other news")

    html = search(client, q="culmin")

    titles = result_titles(html)
    assert set(titles[:2]) == {"Culminatum Ltd Oy", "Culminatum annual report"}
    assert titles[2:] == ["Coordinator named"]
    assert summary(html) == "3 results for “culmin”."
    assert "<mark>Culminatum</mark> will coordinate the project." in html
    assert '>Documents <span class="search-types__count">(1)</span>' in html


def test_variants_and_accents_still_work_with_the_last_word(client, site_tree):
    MetropolisPageFactory(parent=site_tree.partners, title="Malmö")
    MetropolisPageFactory(parent=site_tree.partners, title="St. Petersburg")
    MetropolisPageFactory(parent=site_tree.partners, title="Berlin")

    assert result_titles(search(client, q="Malmo")) == ["Malmö"]
    assert result_titles(search(client, q="Malm")) == ["Malmö"]
    assert result_titles(search(client, q="Saint Petersb")) == ["St. Petersburg"]


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("C", []),  # one letter stands for no word: it is a word of its own
        ("Cu", []),  # nor two
        ("Cul", ["Culminatum Ltd Oy"]),
        ("Culmin.", ["Culminatum Ltd Oy"]),
        ("¿Culmin?!", ["Culminatum Ltd Oy"]),
        ("Culmin-", ["Culminatum Ltd Oy"]),
        ("CULMIN", ["Culminatum Ltd Oy"]),
        ("Culmin" + "x" * 94, []),
        ("c" * 100, []),
        ("Culmin_", ["Culminatum Ltd Oy"]),
        ("Culmin'", ["Culminatum Ltd Oy"]),
        ("Culmin:*", ["Culminatum Ltd Oy"]),
        ("Culmin\\", ["Culminatum Ltd Oy"]),
        ("ﷺ" * 50, []),
    ],
)
def test_odd_beginnings_of_words_get_a_page_with_sensible_results(client, site_tree, q, found):
    metropolis = MetropolisPageFactory(parent=site_tree.partners, title="Helsinki")
    OrganisationPageFactory(parent=metropolis, title="Culminatum Ltd Oy")
    NewsPageFactory(parent=site_tree.news, title="Cycling news")

    assert result_titles(search(client, q=q)) == found


def test_a_stop_word_at_the_end_is_a_whole_word(client, site_tree):
    NewsPageFactory(parent=site_tree.news, title="Innovation theory")

    # "the" is ignored, not read as the beginning of "theory".
    html = search(client, q="innovation the")
    assert result_titles(html) == ["Innovation theory"]
    assert "<mark>theory</mark>" not in html
    assert notes(html) == []


# The helpers


def test_completions_are_the_commonest_longer_words_the_prefix_begins():
    titles = ["Culminatum Ltd Oy", "Culminatum's report", "The culmination", "Culmin", "Other"]
    assert completions("Culmin", titles) == ["culminatum", "culmination"]
    many = [f"word{n} word{n}" for n in range(MAX_COMPLETIONS + 5)] + ["word3"]
    assert completions("wor", many)[:1] == ["word3"]
    assert len(completions("wor", many)) == MAX_COMPLETIONS


def test_only_a_last_word_of_three_letters_or_more_and_not_a_stop_word_is_a_prefix():
    assert parse_query("Helsinki Culmin").prefix == "Culmin"
    assert parse_query("Culmin Hel").prefix == "Hel"
    assert parse_query("Culmin He").prefix == ""
    assert parse_query("innovation the").prefix == ""
    assert parse_query("").prefix == ""


def test_the_title_score_counts_the_searched_words_a_title_holds():
    parsed = parse_query("the tram strategy")
    assert parsed.title_score("The tram strategy") == 2  # "the" does not count
    assert parsed.title_score("Trams and strategies") == 2
    assert parsed.title_score("Tram news") == 1
    assert parsed.title_score("Annual report") == 0
    assert parse_query("Saint Petersb").title_score("St. Petersburg") == 2
