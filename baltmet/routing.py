"""The site a request is for, and the page its address names, without a query per step.

For every request Wagtail finds the site by its host name and port (one query, whose CASE
ordering takes Django longer to write than PostgreSQL to answer), loads the site's root page
as its own type (a second), then walks the tree one slug at a time (two per level). Every page
then reads the site's settings (the footer), its sections (the live children of the root page,
for the menu, the breadcrumbs and links to the section index pages) and the restricted
sections (baltmet/queries.py).

Every link to a page then needs the sites' root paths, which Wagtail reads from the cache
(a round trip to Redis) for each request.

These seldom change. The table of sites, with where each root page is in the tree, its
sections, each site's settings, the sites' root paths and the restricted sections' paths,
is kept in the cache and read once per request by `SitesFromCacheMiddleware`. It is kept as
the listings' facts are (baltmet/cache/facts.py), with the page cache's tags that every
change to a site, settings, restriction or page bumps, and computed again after any of
them. The server processes share it only through a shared cache (Redis):
settings.DATA_CACHE is off by default in production without REDIS_URL, and then each
request reads them itself.

`serve` then finds the page by its URL path: its id and type in one indexed lookup, then the
page, in SQL Django writes once per page type. Addresses that are no page's URL path take
Wagtail's walk, and its 404.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import SiteRootPath

from baltmet.cache.facts import Fact, remembered
from baltmet.cache.tags import PAGES, TREE
from baltmet.models import SiteSettings
from baltmet.queries import NO_ID, sql_by_id

# Sites, their settings and view restrictions bump `tree`; any change to a page, `pages`.
SITE_TABLE_TAGS = {TREE, PAGES}

SITE_FIELDS = tuple(field.attname for field in Site._meta.concrete_fields)
# What Wagtail reads of a site's root page while routing and what the navigation reads (its
# place in the tree); any other field is loaded when read, as with Page.objects.only().
# Model.from_db() takes them in the model's order of fields.
ROOT_PAGE_FIELDS = tuple(
    field.attname
    for field in Page._meta.concrete_fields
    if field.attname in {"id", "content_type_id", "path", "depth", "url_path", "live", "locale_id"}
)
SETTINGS_FIELDS = tuple(field.attname for field in SiteSettings._meta.concrete_fields)
# What the menu, the breadcrumbs and the links to the section index pages read of the live
# children of a site's root page (baltmet/templatetags/baltmet_tags.py).
SECTION_FIELDS = tuple(
    field.attname
    for field in Page._meta.concrete_fields
    if field.attname
    in {"id", "content_type_id", "path", "depth", "title", "url_path", "live", "show_in_menus"}
)

# Wagtail's order of preference (wagtail.models.sites.get_site_for_hostname).
MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT, MATCH_DEFAULT, MATCH_HOSTNAME = range(4)


def site_table() -> dict:
    """Every site's fields, its root page's place in the tree, the live children of the
    root page (its sections), its settings (None until they are first saved), the sites'
    root paths as Site.get_site_root_paths() gives them, and the restricted sections' tree
    paths: from the cache."""
    return remembered("sites", SITE_TABLE_TAGS, lambda: Fact(read_site_table()))


def read_site_table() -> dict:
    sites = Site.objects.select_related("root_page").order_by("pk")
    settings_by_site = {row.site_id: row for row in SiteSettings.objects.all()}
    restricted_paths = PageViewRestriction.objects.values_list("page__path", flat=True)
    return {
        "sites": [
            {
                "site": fields_of(site, SITE_FIELDS),
                "root": fields_of(site.root_page, ROOT_PAGE_FIELDS),
                "sections": list(
                    Page.objects.child_of(site.root_page)
                    .live()
                    .order_by("path")
                    .values_list(*SECTION_FIELDS)
                ),
                "settings": fields_of(settings_by_site.get(site.pk), SETTINGS_FIELDS),
            }
            for site in sites
        ],
        "root_paths": read_site_root_paths(),
        "restricted_paths": tuple(sorted(set(restricted_paths))),
    }


def read_site_root_paths() -> list[SiteRootPath]:
    """What Site.get_site_root_paths() reads without translations, in its order: the most
    specific root path first. Read here rather than from Wagtail's cache, which a request
    may have filled before the change that bumped the table was committed."""
    sites = Site.objects.select_related("root_page", "root_page__locale").order_by(
        "-root_page__url_path", "-is_default_site", "hostname"
    )
    return [
        SiteRootPath(
            site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code
        )
        for site in sites
    ]


def fields_of(instance, names: tuple[str, ...]) -> list | None:
    return None if instance is None else [getattr(instance, name) for name in names]


def choose_site(table: dict, hostname: str, port: int) -> dict | None:
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

    sites = table["sites"]
    candidates = [row for row in sites if row["site"][hostname_at] == hostname]
    candidates += [row for row in sites if row["site"][default_at] and row not in candidates]
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


def give_request_its_site(request: HttpRequest, table: dict) -> None:
    """The request's site, as Site.find_for_request() finds it, and its settings, built
    from the table where Wagtail looks for them first."""
    hostname = split_domain_port(request._get_raw_host())[0]
    row = choose_site(table, hostname, int(request.get_port()))
    if row is None:
        request._wagtail_site = None
        return
    site = Site.from_db(DEFAULT_DB_ALIAS, SITE_FIELDS, row["site"])
    site.root_page = Page.from_db(DEFAULT_DB_ALIAS, ROOT_PAGE_FIELDS, row["root"])
    request._wagtail_site = site
    request._baltmet_section_rows = row["sections"]
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # Where Page.get_url() looks first (Page._get_site_root_paths).
        request._wagtail_cached_site_root_paths = table["root_paths"]
    if row["settings"] is not None:
        site_settings = SiteSettings.from_db(DEFAULT_DB_ALIAS, SETTINGS_FIELDS, row["settings"])
        site_settings._request = request  # as SiteSettings.for_request() leaves it
        setattr(request, SiteSettings.get_cache_attr_name(), site_settings)


def site_sections(request: HttpRequest | None) -> list[Page] | None:
    """The live children of the request's site root, in tree order, as pages with
    SECTION_FIELDS; None when the request has no table of sites (DATA_CACHE off)."""
    rows = getattr(request, "_baltmet_section_rows", None)
    if rows is None:
        return None
    if not hasattr(request, "_baltmet_sections"):
        request._baltmet_sections = [
            Page.from_db(DEFAULT_DB_ALIAS, SECTION_FIELDS, row) for row in rows
        ]
    return request._baltmet_sections


class SitesFromCacheMiddleware:
    """Gives each request its site, the site's settings, its sections (`site_sections()`)
    and the restricted sections from the table in the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DATA_CACHE:
            table = site_table()
            give_request_its_site(request, table)
            request._baltmet_restricted_paths = table["restricted_paths"]
        return self.get_response(request)


@functools.cache
def select_by_pk(model: type[Page]) -> str | None:
    """The SQL Django writes to load a page of this type by its primary key, written once per
    process and type (`sql_by_id`): writing it took Django 0.4 ms of a page's 10. None: the
    type's pages are loaded through the ORM."""
    return sql_by_id(model._default_manager.filter(pk=NO_ID))


def page_at(url_path: str) -> Page | None:
    """The page with this URL path, as its own type. Its id and type are read in SQL written
    here (the ORM takes longer to write this lookup than PostgreSQL to answer it), then the
    page in the SQL Django wrote for its type (`select_by_pk`)."""
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
    sql = select_by_pk(model)
    if sql is None:
        return model._default_manager.filter(pk=found[0]).first()
    return next(iter(model._default_manager.raw(sql, [found[0]])), None)


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
