"""The site a request is for, and the page its address names, without a query per step.

For every request Wagtail finds the site by its host name and port (one query, whose CASE
ordering takes Django longer to write than PostgreSQL to answer), loads the site's root page
as its own type (a second), then walks the tree one slug at a time (two per level).

The sites seldom change. Their table, with where each root page is in the tree, is kept in the
cache and read once per request by `SitesFromCacheMiddleware`. It is dropped when a site is
saved or deleted, when a site's root page is saved or deleted, and when any page moves. The
server processes share it only through a shared cache (Redis): settings.SITES_IN_CACHE is off
by default in production without REDIS_URL, and then Wagtail looks each site up itself.

`serve` then finds the page by its URL path: its id and type in one indexed lookup, then the
page. Addresses that are no page's URL path take Wagtail's walk, and its 404.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

SITES_CACHE_KEY = "baltmet:sites:v1"

SITE_FIELDS = tuple(field.attname for field in Site._meta.concrete_fields)
# What Wagtail reads of a site's root page while routing and what the navigation reads (its
# place in the tree); any other field is loaded when read, as with Page.objects.only().
# Model.from_db() takes them in the model's order of fields.
ROOT_PAGE_FIELDS = tuple(
    field.attname
    for field in Page._meta.concrete_fields
    if field.attname in {"id", "content_type_id", "path", "depth", "url_path", "live", "locale_id"}
)
ROOT_ID_AT = ROOT_PAGE_FIELDS.index("id")

# Wagtail's order of preference (wagtail.models.sites.get_site_for_hostname).
MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT, MATCH_DEFAULT, MATCH_HOSTNAME = range(4)


def site_table() -> list[dict]:
    """Every site's fields and its root page's place in the tree, from the cache."""
    table = cache.get(SITES_CACHE_KEY)
    if table is None:
        sites = Site.objects.select_related("root_page").order_by("pk")
        table = [
            {
                "site": [getattr(site, name) for name in SITE_FIELDS],
                "root": [getattr(site.root_page, name) for name in ROOT_PAGE_FIELDS],
            }
            for site in sites
        ]
        cache.set(SITES_CACHE_KEY, table, timeout=None)
    return table


def forget_sites() -> None:
    cache.delete(SITES_CACHE_KEY)


def choose_site(table: list[dict], hostname: str, port: int) -> dict | None:
    """The row Wagtail's get_site_for_hostname() would choose for this host and port."""
    hostname_at, port_at = SITE_FIELDS.index("hostname"), SITE_FIELDS.index("port")
    default_at = SITE_FIELDS.index("is_default_site")

    def match(row: dict) -> int:
        fields = row["site"]
        if fields[hostname_at] == hostname and fields[port_at] == port:
            return MATCH_HOSTNAME_PORT
        if fields[hostname_at] == hostname and fields[default_at]:
            return MATCH_HOSTNAME_DEFAULT
        return MATCH_DEFAULT if fields[default_at] else MATCH_HOSTNAME

    candidates = [row for row in table if row["site"][hostname_at] == hostname]
    candidates += [row for row in table if row["site"][default_at] and row not in candidates]
    candidates.sort(key=match)
    if not candidates:
        return None
    best = match(candidates[0])
    if len(candidates) == 1 or best in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return candidates[0]
    if best == MATCH_DEFAULT:
        # The default site, unless exactly one other site has this host name.
        return candidates[len(candidates) == 2]
    return None  # several sites on this host name, on other ports, and no default


def site_for_request(request: HttpRequest) -> Site | None:
    """The request's site, as Site.find_for_request() finds it, built from the table."""
    hostname = split_domain_port(request._get_raw_host())[0]
    row = choose_site(site_table(), hostname, int(request.get_port()))
    if row is None:
        return None
    site = Site.from_db(DEFAULT_DB_ALIAS, SITE_FIELDS, row["site"])
    site.root_page = Page.from_db(DEFAULT_DB_ALIAS, ROOT_PAGE_FIELDS, row["root"])
    return site


class SitesFromCacheMiddleware:
    """Gives each request its site from the table in the cache (Wagtail keeps the site of a
    request in request._wagtail_site, and looks for it there first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITES_IN_CACHE:
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


def page_at(url_path: str) -> Page | None:
    """The page with this URL path, as its own type. Its id and type are read in SQL written
    here (the ORM takes longer to write this lookup than PostgreSQL to answer it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, content_type_id FROM wagtailcore_page WHERE url_path = %s LIMIT 1",
            [url_path],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    model = ContentType.objects.get_for_id(found[1]).model_class()
    if model is None:  # the page type's code is gone
        return None
    return model._default_manager.filter(pk=found[0]).first()


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, given the page when the address is a page's URL path."""
    site = Site.find_for_request(request)
    # With translations on, Wagtail routes through the root page of the active language.
    if (
        site is not None
        and not hasattr(request, "_wagtail_route_for_request")
        and not getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    ):
        page = page_at(site.root_page.url_path + path)
        # A page type that routes the rest of the address itself takes Wagtail's walk.
        if page is not None and type(page).route is Page.route:
            try:
                request._wagtail_route_for_request = page.route(request, [])
            except Http404:  # not live
                request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)


def site_changed(sender, instance, **kwargs) -> None:
    forget_sites()


def page_saved_or_deleted(sender, instance, **kwargs) -> None:
    if not isinstance(instance, Page):
        return
    table = cache.get(SITES_CACHE_KEY)
    root_ids = {row["root"][ROOT_ID_AT] for row in table or ()}
    if instance.pk in root_ids:
        forget_sites()


def page_moved(sender, instance, **kwargs) -> None:
    # A move changes the tree paths of the page and everything below it, a root page perhaps.
    forget_sites()


def connect() -> None:
    """Called once, from the app's ready()."""
    post_save.connect(site_changed, sender=Site, dispatch_uid="sites_in_cache_site_saved")
    post_delete.connect(site_changed, sender=Site, dispatch_uid="sites_in_cache_site_deleted")
    post_save.connect(page_saved_or_deleted, dispatch_uid="sites_in_cache_page_saved")
    post_delete.connect(page_saved_or_deleted, dispatch_uid="sites_in_cache_page_deleted")
    post_page_move.connect(page_moved, dispatch_uid="sites_in_cache_page_moved")
