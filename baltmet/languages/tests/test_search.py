"""Search in each language: a translation's words are matched with its language's rules."""

import pytest
from wagtail.models import Locale

from baltmet.languages.models import TranslatedPageText
from baltmet.languages.search import matching_page_ids
from partners.factories import MetropolisPageFactory

pytestmark = pytest.mark.django_db


def translation_of(page, language: str, title: str, intro: str):
    translation = page.copy_for_translation(
        Locale.objects.get(language_code=language), copy_parents=True
    )
    translation.title, translation.intro = title, intro
    translation.save_revision().publish()
    return translation


@pytest.fixture
def berlin(site_tree):
    page = MetropolisPageFactory(parent=site_tree.partners, title="Berlin")
    page.intro = "<p>Berlin works with the other cities of the network.</p>"
    page.save_revision().publish()
    return page


def test_a_german_word_finds_its_inflections_in_a_german_page(berlin):
    german = translation_of(
        berlin, "de", "Berlin", "<p>Berlin arbeitet mit den anderen Städten des Netzwerks.</p>"
    )
    # "Städten" (dative plural) is found by the singular, with or without its umlaut.
    assert matching_page_ids("Stadt", "de") == [german.pk]
    assert matching_page_ids("stadte", "de") == [german.pk]
    assert matching_page_ids("Netzwerke", "de") == [german.pk]
    # English rules do not know the word; nor does another language's search.
    assert matching_page_ids("Stadt", "sv") == []
    assert matching_page_ids("Flughafen", "de") == []


def test_a_language_without_stemming_ignores_accents(berlin):
    latvian = translation_of(berlin, "lv", "Berlīne", "<p>Berlīne sadarbojas ar pilsētām.</p>")
    assert matching_page_ids("pilsetam", "lv") == [latvian.pk]
    assert matching_page_ids("Berlīne", "lv") == [latvian.pk]


def test_only_published_translations_are_searched(berlin):
    german = translation_of(berlin, "de", "Berlin", "<p>Die Städte.</p>")
    assert TranslatedPageText.objects.filter(page=german).exists()
    german.refresh_from_db()  # published from its revision, another instance
    german.unpublish()
    assert not TranslatedPageText.objects.filter(page=german).exists()
    assert matching_page_ids("Stadt", "de") == []
    # The English original is not a translation: never in this table.
    assert not TranslatedPageText.objects.filter(page=berlin).exists()


@pytest.mark.parametrize("words", ['"', "-", "or", "!!!", "a & b | c", "x" * 300])
def test_odd_input_is_no_error(berlin, words):
    translation_of(berlin, "de", "Berlin", "<p>Die Städte.</p>")
    assert isinstance(matching_page_ids(words, "de"), list)


def test_the_search_page_lists_the_languages_pages_first(client, berlin, site_tree):
    """/de/search/ finds the German translation by an inflection, before English pages, and
    never lists the English original of a page it found in German."""
    from partners.factories import MetropolisPageFactory as Metropolis

    german = translation_of(berlin, "de", "Berlin", "<p>Die Städte des Netzwerks.</p>")
    other = Metropolis(parent=site_tree.partners, title="Riga")
    other.intro = "<p>Riga and other Stadt words in English.</p>"
    other.save_revision().publish()

    html = client.get("/de/search/?q=Stadt").content.decode()
    assert german.url in html
    assert html.index(german.url) < html.index(other.url)
    assert f'href="{berlin.url}"' not in html
    # In English, the German page is not a result.
    english = client.get("/search/?q=Stadt").content.decode()
    assert other.url in english and german.url not in english


def test_index_translations_rebuilds_the_words(berlin):
    from django.core.management import call_command

    german = translation_of(berlin, "de", "Berlin", "<p>Die Städte.</p>")
    TranslatedPageText.objects.all().delete()
    assert matching_page_ids("Stadt", "de") == []
    call_command("index_translations", verbosity=0)
    assert matching_page_ids("Stadt", "de") == [german.pk]
    assert TranslatedPageText.objects.count() == 1


def test_a_type_inside_a_sentence_keeps_the_languages_capitals(client, berlin):
    """The summary names the result type with a string of its own: German nouns keep their
    capital ("in Metropolen"), where lowercasing the label gave "in metropolen"."""
    translation_of(berlin, "de", "Berlin", "<p>Die Städte.</p>")
    german = client.get("/de/search/?q=Stadt&type=metropolises").content.decode()
    assert "„Stadt“ in Metropolen." in german
    english = client.get("/search/?q=Berlin&type=metropolises").content.decode()
    assert "“Berlin” in metropolises." in english


def test_an_english_publication_costs_one_query_here(berlin, django_assert_num_queries):
    """An original is never in the table: indexing it reads its locale and stops."""
    from baltmet.languages.search import index_page

    berlin.refresh_from_db()
    with django_assert_num_queries(1):
        index_page(berlin)
