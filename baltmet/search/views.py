"""Site search (`/search/`): every public page and every public document, ranked together.

Wagtail's database search backend does the work (PostgreSQL full-text search in production,
SQLite FTS5 for `make run`). What this module adds is what visitors expect of a search box
(query.py makes the visitor's words into a search and writes the snippets):

- results of every type in one ranked list, with a filter by type and the count of each;
- title matches first: results are ordered by how many of the searched words their title
  holds, then by the search engine's relevance (`ranked`);
- the last word may be the beginning of a word: the longer words it begins in the titles of
  public pages and documents, found with Wagtail's `autocomplete()`, are searched for too
  (`title_completions`);
- editors' promoted results (wagtail.contrib.search_promotions) above the rest.

Ranking and counting read every match: for a word on every page, 13,000 of them and most of
a search's time. The page cache keeps each page of results until the next change.

A search reads the search engine's best MAX_RESULTS matches of pages and of documents (a
query each), and counts them from those unless there are more or a filter by type left some
out (then two more queries: pages by type, documents). With a last word of three letters or
more, it first reads the titles that may complete it (two queries: pages, documents).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from baltmet.languages.queries import untranslated_originals
from baltmet.languages.search import matching_page_ids
from baltmet.queries import public_collections, published_for_search
from events.models import EventPage
from news.models import NewsPage
from partners.models import MetropolisPage, OrganisationPage
from workpackages.models import WorkPackagePage

from .query import (
    BODY_FIELDS,
    SUMMARY_FIELDS,
    ParsedQuery,
    completions,
    excerpt,
    page_texts,
    parse_query,
)

RESULTS_PER_PAGE = 10
# Paging stops here: ranking reads the search engine's best matches of each kind (pages,
# documents), up to this many, to order them by their titles and merge them.
MAX_RESULTS = 500
# The titles whose words may complete the last word searched: the newest this many pages and
# as many documents that have a word beginning with it.
COMPLETION_TITLES = 50


@dataclass(frozen=True)
class ResultType:
    slug: str
    label: str  # the filter's label (plural)
    name: str  # one result's label (singular)
    # The plural inside a sentence ("3 results in events"): a string of its own, since
    # lowercasing the label would be wrong where nouns keep their capital (German).
    in_sentence: str
    model: type | None = None


PAGE_TYPES = [
    ResultType(
        "news",
        gettext_lazy("News"),
        pgettext_lazy("one search result", "News"),
        pgettext_lazy("result type, inside a sentence", "news"),
        NewsPage,
    ),
    ResultType(
        "events",
        gettext_lazy("Events"),
        gettext_lazy("Event"),
        pgettext_lazy("result type, inside a sentence", "events"),
        EventPage,
    ),
    ResultType(
        "partners",
        gettext_lazy("Partners"),
        gettext_lazy("Partner"),
        pgettext_lazy("result type, inside a sentence", "partners"),
        OrganisationPage,
    ),
    ResultType(
        "metropolises",
        gettext_lazy("Metropolises"),
        gettext_lazy("Metropolis"),
        pgettext_lazy("result type, inside a sentence", "metropolises"),
        MetropolisPage,
    ),
    ResultType(
        "work-packages",
        gettext_lazy("Work packages"),
        gettext_lazy("Work package"),
        pgettext_lazy("result type, inside a sentence", "work packages"),
        WorkPackagePage,
    ),
]
OTHER_PAGES = ResultType(
    "pages",
    gettext_lazy("Other pages"),
    gettext_lazy("Page"),
    pgettext_lazy("result type, inside a sentence", "other pages"),
)
DOCUMENTS = ResultType(
    "documents",
    gettext_lazy("Documents"),
    gettext_lazy("Document"),
    pgettext_lazy("result type, inside a sentence", "documents"),
)
RESULT_TYPES = {t.slug: t for t in [*PAGE_TYPES, OTHER_PAGES, DOCUMENTS]}


@dataclass
class Result:
    type: ResultType
    title: str
    url: str
    excerpt: SafeString
    date: date | None = None
    date_end: date | None = None
    file_extension: str = ""


class Hit(NamedTuple):
    """One ranked result: a page (with its type) or a document."""

    content_type_id: int | None  # None for a document
    pk: int


def hit_of(obj) -> Hit:
    return Hit(obj.content_type_id, obj.pk) if isinstance(obj, Page) else Hit(None, obj.pk)


def ranked(parsed: ParsedQuery, matches: list) -> list[Hit]:
    """Pages and documents in one list: the more of the searched words a title holds, the
    higher; among equals, by the search engine's score (a stable sort: then pages first, in
    the engine's order). So a title match comes before a match in the text, whatever the
    backend's weights (PostgreSQL's rank divides a title's weight by its length against the
    average title's; SQLite ranks with BM25) or how often a text repeats the words."""
    order = sorted(matches, key=lambda obj: (-parsed.title_score(obj.title), -obj.relevance))
    return [hit_of(obj) for obj in order[:MAX_RESULTS]]


def best_matches(items, query) -> list:
    """The search engine's best MAX_RESULTS matches, with their titles and scores only."""
    return list(items.search(query).annotate_score("relevance")[:MAX_RESULTS])


def translated_hits(parsed: ParsedQuery, result_type: ResultType | None) -> list[Hit]:
    """The pages translated into the visitor's language that match, the best first: matched
    with that language's rules (baltmet/languages/search.py), listed before the rest."""
    if result_type is DOCUMENTS:
        return []
    ids = matching_page_ids(parsed.text, translation.get_language())
    if not ids:
        return []
    pages = pages_of_type(published_for_search(Page.objects.filter(pk__in=ids)), result_type)
    content_types = dict(pages.values_list("pk", "content_type_id"))
    return [Hit(content_types[pk], pk) for pk in ids if pk in content_types]


def page_type_counts(content_type_counts: dict[int, int]) -> dict[str, int]:
    """Number of matching pages of each result type, from their number by content type."""
    counts = dict.fromkeys([*(t.slug for t in PAGE_TYPES), OTHER_PAGES.slug], 0)
    content_types = ContentType.objects.get_for_models(*(t.model for t in PAGE_TYPES))
    slug_by_content_type = {
        content_types[t.model].pk: t.slug for t in PAGE_TYPES if t.model in content_types
    }
    for content_type_id, count in content_type_counts.items():
        counts[slug_by_content_type.get(content_type_id, OTHER_PAGES.slug)] += count
    return counts


def result_counts(query, page_matches: list | None, document_matches: list | None) -> dict:
    """Number of matches of each type: from the matches read if they are all of them (of
    every page type, fewer than MAX_RESULTS), else counted (a query for pages, by type, and
    one for documents)."""
    if page_matches is not None and len(page_matches) < MAX_RESULTS:
        counts = page_type_counts(Counter(page.content_type_id for page in page_matches))
    else:
        counts = page_type_counts(public_pages().search(query).facet("content_type_id"))
    if document_matches is not None and len(document_matches) < MAX_RESULTS:
        counts[DOCUMENTS.slug] = len(document_matches)
    else:
        counts[DOCUMENTS.slug] = public_documents().search(query).count()
    return counts


def pages_of_type(pages, result_type: ResultType | None):
    if result_type is None:
        return pages
    if result_type is OTHER_PAGES:
        return pages.not_type(*(t.model for t in PAGE_TYPES))
    return pages.type(result_type.model)


# What a result shows of a page besides its title and link: the date of a news item (none
# for one of the former portal, undated) or an event, and the texts its snippet may come from.
DATE_FIELDS = ("date", "start_date", "end_date", "from_former_portal")


@functools.cache
def result_fields(model: type[Page]) -> tuple[str, ...]:
    """The fields of the page type that a result reads (only these are loaded: a page's row
    holds thirty of Wagtail's columns, and its other StreamFields, which no result shows)."""
    names = {field.name for field in model._meta.concrete_fields}
    return tuple(name for name in (*SUMMARY_FIELDS, *BODY_FIELDS, *DATE_FIELDS) if name in names)


def hit_objects(hits: list[Hit]) -> dict[Hit, object]:
    """The hits' pages as their own types and their documents: a query per type of page on
    the page of results, and one for the documents."""
    ids_by_content_type: dict[int | None, list[int]] = {}
    for hit in hits:
        ids_by_content_type.setdefault(hit.content_type_id, []).append(hit.pk)
    found = {}
    for content_type_id, ids in ids_by_content_type.items():
        if content_type_id is None:
            model = get_document_model()
        else:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            objects = model.objects
            if issubclass(model, Page):
                objects = objects.only("title", "url_path", *result_fields(model))
            for pk, obj in objects.in_bulk(ids).items():
                found[Hit(content_type_id, pk)] = obj
    return found


def to_results(request, hits: list[Hit], stems: list[str]) -> list[Result]:
    """Results for the hits on one page, with the pages' own fields for their snippets."""
    objects = hit_objects(hits)
    type_by_model = {t.model: t for t in PAGE_TYPES}
    results = []
    for hit in hits:
        obj = objects.get(hit)
        if obj is None:
            continue  # a model or object that has gone since the hits were ranked
        if isinstance(obj, Page):
            result = Result(
                type=type_by_model.get(type(obj), OTHER_PAGES),
                title=obj.title,
                url=obj.get_url(request),
                excerpt=excerpt(page_texts(obj), stems),
            )
            if isinstance(obj, NewsPage):
                result.date = None if obj.from_former_portal else obj.date
            elif isinstance(obj, EventPage):
                result.date, result.date_end = obj.start_date, obj.end_date
        else:
            result = Result(
                type=DOCUMENTS,
                title=obj.title,
                url=obj.url,
                excerpt=excerpt([obj.description] if obj.description else [], stems),
                file_extension=obj.file_extension.upper(),
            )
        results.append(result)
    return results


def promotions(query_text: str) -> list[SearchPromotion]:
    """The editors' picks for this exact query whose pages (if any) are public, in the
    editors' order."""
    picks = SearchPromotion.objects.filter(query__query_string=normalise_query_string(query_text))
    picks = list(picks.values_list("pk", "page_id"))
    page_ids = [page_id for _, page_id in picks if page_id]
    public_ids = set()
    if page_ids:
        public_ids = set(
            published_for_search(Page.objects.filter(pk__in=page_ids)).values_list("pk", flat=True)
        )
    ids = [pk for pk, page_id in picks if page_id is None or page_id in public_ids]
    if not ids:
        return []
    return list(SearchPromotion.objects.filter(pk__in=ids).select_related("page"))


def search(request):
    notes = []
    type_slug = request.GET.get("type", "")
    result_type = RESULT_TYPES.get(type_slug)
    if type_slug and result_type is None:
        notes.append(_("There is no such type of result; showing all results instead."))
    parsed = parse_query(request.GET.get("q", ""))
    notes += parsed.notes
    if parsed.text and not parsed.words:
        notes.append(_("Type a word to search for: punctuation alone finds nothing."))
    context = {"query_text": parsed.text, "result_type": result_type, "notes": notes}
    if parsed.words:
        context.update(run_search(request, parsed, result_type))
    return TemplateResponse(request, "search/search.html", context)


def total_of(counts: dict[str, int], result_type: ResultType | None) -> int:
    """The number of results shown: of the type asked for, or of all types."""
    return counts[result_type.slug] if result_type else sum(counts.values())


def run_search(request, parsed: ParsedQuery, result_type: ResultType | None) -> dict:
    parsed.completions = title_completions(parsed.prefix)
    query = parsed.search_query()
    page_matches = document_matches = None
    if result_type is not DOCUMENTS:
        pages = pages_of_type(public_pages(), result_type).only("title", "content_type")
        page_matches = best_matches(pages, query)
    if result_type is None or result_type is DOCUMENTS:
        document_matches = best_matches(public_documents().only("title"), query)
    counts = result_counts(query, page_matches if result_type is None else None, document_matches)
    translated = translated_hits(parsed, result_type)
    if translated:
        in_language = page_type_counts(Counter(hit.content_type_id for hit in translated))
        counts = {slug: count + in_language.get(slug, 0) for slug, count in counts.items()}
    total = total_of(counts, result_type)
    hits = translated + ranked(parsed, [*(page_matches or []), *(document_matches or [])])
    paginator = Paginator(hits, RESULTS_PER_PAGE)
    results_page = paginator.get_page(request.GET.get("page"))
    results_page.object_list = to_results(
        request, results_page.object_list, parsed.highlight_stems()
    )
    return {
        "searched": True,
        "results_page": results_page,
        "total": total,
        "capped": total > MAX_RESULTS,
        "type_counts": [(t, counts[t.slug]) for t in RESULT_TYPES.values()],
        "all_count": sum(counts.values()),
        "promotions": promotions(parsed.text) if results_page.number == 1 else [],
    }


def public_pages():
    """The public pages Wagtail's index searches: those in English, but for the ones
    translated into the visitor's language (`translated_hits` finds those)."""
    return published_for_search(untranslated_originals(Page.objects.all()))


def public_documents():
    return get_document_model().objects.filter(collection__in=public_collections())


def title_completions(prefix: str) -> list[str]:
    """The longer words that `prefix` begins in the titles of public pages and documents (a
    query for each; none without a prefix). Wagtail's autocomplete() matches the beginning
    of a title's words (its AutocompleteField, indexed without stemming); the newest titles
    are read, not the best ranked, which would rank every title that matches."""
    if not prefix:
        return []
    titles = []
    for items in (public_pages(), public_documents()):
        newest = items.order_by("-id").only("title")
        hits = newest.autocomplete(prefix, order_by_relevance=False)
        titles += [item.title for item in hits[:COMPLETION_TITLES]]
    return completions(prefix, titles)
