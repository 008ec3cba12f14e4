"""Search in the visitor's language: pages translated into it, matched with its own rules.

Wagtail's search index reads every page with the English configuration. A German page's
"Städte" would not find "Stadt". The words of each published translation are kept in
TranslatedPageText, and matched here with the language's PostgreSQL configuration (stemming
where PostgreSQL has it, accents ignored: migrations/0002). The search page lists these
matches first, then the English pages not translated into the language (baltmet/search/).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q
from wagtail.models import Page

from baltmet.languages.models import TranslatedPageText

MAX_MATCHES = 500


def configuration(language: str) -> str:
    """The language's text search configuration (migrations/0002_search_configurations)."""
    return f"baltmet_{language}"


def index_page(page: Page) -> None:
    """Keep the words of `page` if it is a published translation, else forget them."""
    from baltmet.search.query import page_texts  # the search app's own reading of a page

    language = page.locale.language_code
    if language == settings.LANGUAGE_CODE:
        return  # an original: its words are never in the table (one query, the locale's)
    if not page.live or page.alias_of_id:
        TranslatedPageText.objects.filter(page=page).delete()
        return
    page = page.specific
    TranslatedPageText.objects.update_or_create(
        page=page,
        defaults={"language": language, "title": page.title, "text": "\n".join(page_texts(page))},
    )


def matching_page_ids(words: str, language: str) -> list[int]:
    """The ids of the translated pages in `language` that match `words`, the best first.

    `words` is the visitor's text; PostgreSQL's websearch syntax reads it (quotes, "or", a
    leading minus), and never fails on odd input. SQLite (make run) has no stemming: each
    word must appear as it is.
    """
    words = words.strip()
    if not words or language == settings.LANGUAGE_CODE:
        return []
    texts = TranslatedPageText.objects.filter(language=language)
    if connection.vendor != "postgresql":
        for word in words.split():
            texts = texts.filter(Q(title__icontains=word) | Q(text__icontains=word))
        return list(texts.order_by("title").values_list("page_id", flat=True)[:MAX_MATCHES])
    config = configuration(language)
    vector = SearchVector("title", weight="A", config=config) + SearchVector(
        "text", weight="B", config=config
    )
    query = SearchQuery(words, config=config, search_type="websearch")
    matches = (
        texts.annotate(document=vector, rank=SearchRank(F("document"), query))
        .filter(document=query)
        .order_by("-rank", "title")
    )
    return list(matches.values_list("page_id", flat=True)[:MAX_MATCHES])
