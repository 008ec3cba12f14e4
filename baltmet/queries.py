"""Query helpers every content app uses."""

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, HttpResponse
from modelcluster.queryset import FakeQuerySet
from wagtail.models import Collection, PageViewRestriction


@dataclass
class _Restrictions:
    paths: tuple[str, ...] | None = None  # read at the first listing of the request


_request_restrictions: ContextVar[_Restrictions | None] = ContextVar(
    "request_restrictions", default=None
)


class RestrictionsPerRequestMiddleware:
    """Lets `published()` read the restricted sections once per request.

    A page lists what is published in several queries (the home page in five). Each would
    otherwise test every row against the restrictions in a subquery, which costs PostgreSQL
    an anti-join and Django twice the time to write the query. Within a request the few
    restricted paths are read once (or come with the table of sites, baltmet/routing.py)
    and each listing excludes them by prefix. Restrictions changed by a request take effect
    from the next one, as with the page cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        paths = getattr(request, "_baltmet_restricted_paths", None)
        token = _request_restrictions.set(_Restrictions(paths))
        try:
            return self.get_response(request)
        finally:
            _request_restrictions.reset(token)


def restricted_paths() -> tuple[str, ...] | None:
    """The tree paths of the pages with a view restriction, read once per request; None
    outside a request (management commands), where `published()` checks in SQL."""
    restrictions = _request_restrictions.get()
    if restrictions is None:
        return None
    if restrictions.paths is None:
        paths = PageViewRestriction.objects.values_list("page__path", flat=True)
        restrictions.paths = tuple(sorted(set(paths)))
    return restrictions.paths


class ViewRestrictionsFromRequest:
    """For page models: Wagtail checks every page it serves for view restrictions, reading
    the page's ancestors and then their restrictions (two queries). When this request's read
    of the restricted sections found none anywhere, the usual case, none applies and nothing
    is read; otherwise Wagtail's own check runs, aliases and all."""

    def get_view_restrictions(self):
        if restricted_paths() == ():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# What a link to a page needs: its title, and the URL path Wagtail builds its address from.
LINK_FIELDS = ("title", "url_path")


def as_cards(pages, *also: str):
    """Only the columns a listing shows of each page: LINK_FIELDS, the fields its model
    names in `card_fields` (what its card or link in a list shows) and any `also` (e.g. a
    field of a related page it selects).

    Django writes every selected column into the SQL, and a page row has thirty of Wagtail's
    before its own: a listing of them costs twice the time to write. A template that reads
    another field costs a query per item, which the tests of query counts catch.
    """
    return pages.only(*LINK_FIELDS, *getattr(pages.model, "card_fields", ()), *also)


def published(pages):
    """Live pages outside any section with a view restriction, in the listing's own query.

    Wagtail's PageQuerySet.public() reads every restriction in a query of its own each time
    it is called (one per listing on a page). In a request the restricted paths are read
    once (see RestrictionsPerRequestMiddleware); elsewhere the check is a subquery.
    """
    paths = restricted_paths()
    if paths is None:
        restriction_above = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        return pages.live().exclude(Exists(restriction_above))
    below_restriction = Q()
    for path in paths:
        below_restriction |= Q(path__startswith=path)
    return pages.live().exclude(below_restriction) if paths else pages.live()


def published_for_search(pages):
    """`published(pages)` as a primary-key subquery: the same pages, in a form Wagtail's
    search backend can filter by (it refuses the Exists() of `published`)."""
    return pages.model.objects.filter(pk__in=published(pages).values("pk"))


def public_collections():
    """Collections whose images and documents are listed publicly (search, API): not a
    partner's own collection (its files may belong to drafts), without a view restriction,
    and not below either. A queryset to use as a subquery: it costs no query of its own."""
    private_above = Collection.objects.filter(
        Q(partner_access__isnull=False) | Q(view_restrictions__isnull=False),
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    return Collection.objects.exclude(Exists(private_above))


def published_pages(relation):
    """The live, public pages of a ParentalManyToManyField, for listing on a page.

    On a page read from the database the relation is a queryset; in a preview it holds the
    chosen pages in memory (modelcluster's FakeQuerySet), which SQL cannot filter by
    publication: its pages are looked up by id instead.
    """
    return published(_chosen_pages(relation))


def _chosen_pages(relation):
    pages = relation.all()
    if isinstance(pages, FakeQuerySet):
        pages = pages.model.objects.filter(pk__in=[page.pk for page in pages])
    return pages


def related_cards(page, relation: str, *ordering: str) -> list:
    """`published_pages()` of the page's relation as cards (`as_cards`), in a list, for the
    page to show.

    The chosen pages that are not published are read too, and dropped here. The page cache
    tags a response with every page it loads (baltmet/cache/tags.py): so publishing one of
    them again refreshes the pages that chose it. Dropped in SQL, they would leave no tag,
    and those pages would go on without it.

    Then the SQL depends only on the page's id: Django writes it once per relation and
    ordering (`chosen_cards_sql`), which took it longer than PostgreSQL takes to answer.
    """
    chosen = getattr(page, relation)
    paths = restricted_paths()
    if paths is None:  # outside a request: no page cache, and SQL checks the restrictions
        return list(_ordered(as_cards(published_pages(chosen)), ordering))
    sql = None
    if not isinstance(chosen.all(), FakeQuerySet):
        sql = chosen_cards_sql(type(page), relation, ordering)
    if sql is None:
        pages = _ordered(as_cards(_chosen_pages(chosen), "live", "path"), ordering)
    else:
        pages = chosen.model._default_manager.raw(sql, [page.pk])
    return [shown for shown in pages if shown.live and not shown.path.startswith(paths)]


def _ordered(pages, ordering: tuple[str, ...]):
    return pages.order_by(*ordering) if ordering else pages


NO_ID = -1  # the id of no row: SQL written with it names it only where the id goes


def sql_by_id(queryset) -> str | None:
    """The SQL of a queryset written for the id NO_ID, to run again with another id in its
    place (`raw(sql, [id])`). None if the id is not its only parameter: a manager's
    condition with a value of its own (a date, say) would be frozen in the SQL."""
    sql, params = queryset.query.sql_with_params()
    return sql if params == (NO_ID,) else None


@functools.cache
def chosen_cards_sql(model, relation: str, ordering: tuple[str, ...]) -> str | None:
    """The SQL of `related_cards()` for a relation of a page type, written once per process
    (`sql_by_id`); None: written for each request."""
    chosen = getattr(model(pk=NO_ID), relation)
    return sql_by_id(_ordered(as_cards(chosen.all(), "live", "path"), ordering))


def related_pages(page, relation_name: str):
    """Live, public pages that point at `page` through a reverse relation (e.g. the news
    of a work package). A page previewed before its first save has none yet."""
    if page.pk is None:
        return page._meta.get_field(relation_name).related_model.objects.none()
    return published(getattr(page, relation_name).all())
