"""Template tags shared by every public template: navigation, e-mail protection, listings."""

import datetime as dt
from urllib.parse import urlsplit

from django import template
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from baltmet.dates import format_day
from baltmet.queries import LINK_FIELDS
from baltmet.routing import site_sections

register = template.Library()

# The section index pages under the home page, by the name templates use for them.
INDEX_PAGE_MODELS = {
    "partners": "partners.PartnersIndexPage",
    "work_packages": "workpackages.WorkPackageIndexPage",
    "news": "news.NewsIndexPage",
    "events": "events.EventIndexPage",
}


def _current_page(context):
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _site_root(request):
    """The current site's root page, or None (no request, or no site matches it)."""
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page if site is not None else None


def _navigation(request, page) -> tuple[list, list]:
    """The menu (live children of the site root shown in menus) and the page's breadcrumb
    ancestors (live, from the site root down, never the tree root).

    The site root and its children come with the table of sites (baltmet/routing.py); only
    ancestors deeper than those are read, in one query. Without the table, one query reads
    them all. Every public page shows both, and the structured data in the <head> repeats
    the breadcrumbs: the result is kept on the request, per page.
    """
    has_path = page is not None and bool(page.path) and page.depth is not None
    key = (page.pk, page.path) if has_path else None
    store = getattr(request, "_baltmet_navigation", None) if request is not None else None
    if store is not None and key in store:
        return store[key]
    root = _site_root(request)
    ancestor_paths = set()
    is_root = root is not None and has_path and page.pk is not None and page.pk == root.pk
    if has_path and page.depth > 1 and not is_root:
        steplen = Page.steplen
        ancestor_paths = {page.path[:end] for end in range(2 * steplen, len(page.path), steplen)}
        if root is not None:
            ancestor_paths = {path for path in ancestor_paths if path.startswith(root.path)}
    sections = site_sections(request) if root is not None else None
    if sections is None:
        menu, ancestors = _navigation_from_database(root, ancestor_paths)
    else:
        menu = [section for section in sections if section.show_in_menus]
        ancestors = _ancestors_below_sections(root, sections, ancestor_paths)
    if request is not None:
        if store is None:
            store = request._baltmet_navigation = {}
        store[key] = (menu, ancestors)
    return menu, ancestors


NAVIGATION_FIELDS = (*LINK_FIELDS, "path", "depth", "show_in_menus")


def _navigation_from_database(root, ancestor_paths: set[str]) -> tuple[list, list]:
    wanted = Q(path__in=ancestor_paths)
    if root is not None:
        wanted |= Q(depth=root.depth + 1, path__startswith=root.path, show_in_menus=True)
    pages = Page.objects.live().filter(wanted).only(*NAVIGATION_FIELDS)
    rows = list(pages.order_by("path")) if wanted else []
    ancestors = [row for row in rows if row.path in ancestor_paths]
    menu = [
        row
        for row in rows
        if root is not None
        and row.show_in_menus
        and row.depth == root.depth + 1
        and row.path.startswith(root.path)
    ]
    return menu, ancestors


def _ancestors_below_sections(root, sections: list, ancestor_paths: set[str]) -> list:
    """The live ancestors, the site root and its sections taken from the table of sites."""
    known = {section.path: section for section in sections}
    if root.live:
        known[root.path] = root
    section_path_length = len(root.path) + Page.steplen
    deeper = {path for path in ancestor_paths if len(path) > section_path_length}
    if deeper:
        pages = Page.objects.live().filter(path__in=deeper).only(*NAVIGATION_FIELDS)
        known.update((row.path, row) for row in pages)
    return [known[path] for path in sorted(ancestor_paths) if path in known]


@register.inclusion_tag("navigation/main_menu.html", takes_context=True)
def main_menu(context):
    """The live children of the site root that are shown in menus.

    Each item says whether it is the current page (aria-current="page") or one of its
    ancestors (aria-current="true").
    """
    request = context.get("request")
    current = _current_page(context)
    current_path = (current.path or "") if current is not None else ""
    menu, _ = _navigation(request, current)
    items = [
        {
            "page": child,
            "is_current": current is not None and child.pk == current.pk,
            "is_ancestor": bool(current_path)
            and current_path != child.path
            and current_path.startswith(child.path),
        }
        for child in menu
    ]
    return {"request": request, "menu_items": items}


@register.inclusion_tag("navigation/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """The live ancestors of the page from the site root down (never the tree root).

    Nothing is shown on the site root itself, or when there is no page (e.g. a 404).
    """
    request = context.get("request")
    page = page if page is not None else _current_page(context)
    return {"request": request, "ancestors": breadcrumb_ancestors(request, page), "page": page}


def breadcrumb_ancestors(request, page) -> list:
    """The live ancestors of the page from the site root down, as the breadcrumbs show them
    (empty for the site root, the tree root or no page)."""
    if page is None or not page.path or page.depth is None or page.depth <= 1:
        return []
    return _navigation(request, page)[1]


@register.simple_tag(takes_context=True)
def index_pages(context):
    """The section index pages under the site root: from the table of sites, or in one query.

    Returns a dict with the keys 'partners', 'work_packages', 'news' and 'events', each the
    live index page or missing: `{% index_pages as index %}{% if index.news %}...`.
    """
    root = _site_root(context.get("request"))
    if root is None:
        return {}
    names_by_type = {}
    for name, label in INDEX_PAGE_MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names_by_type[ContentType.objects.get_for_model(model).pk] = name
    children = site_sections(context.get("request"))
    if children is None:
        children = (
            Page.objects.child_of(root)
            .live()
            .filter(content_type_id__in=list(names_by_type))
            .order_by("path")
        )
    found = {}
    for child in children:
        if child.content_type_id in names_by_type:
            found.setdefault(names_by_type[child.content_type_id], child)
    return found


def _entities(text: str) -> str:
    return "".join(f"&#{ord(character)};" for character in text)


@register.filter
def protect_email(value, label=None):
    """A mailto link written entirely as numeric character references.

    Browsers and screen readers show the address normally; simple harvesters that look for
    "@" in the source do not find it. `label` replaces the visible text if given:
    `{{ contact.email|protect_email:"Write to us" }}`. Anything that is not a valid e-mail
    address comes back as escaped plain text (and nothing at all for an empty value).
    """
    if value is None:
        return ""
    address = str(value).strip()
    if not address:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        return conditional_escape(value)
    text = _entities(str(label)) if label else _entities(address)
    return mark_safe(f'<a href="{_entities("mailto:" + address)}">{text}</a>')


@register.filter
def display_url(value):
    """A web address as people say it: without the scheme, 'www.' kept, no trailing slash."""
    if not value:
        return ""
    parts = urlsplit(str(value))
    if not parts.netloc:
        return str(value)
    path = parts.path.rstrip("/")
    return f"{parts.netloc}{path}{'?' + parts.query if parts.query else ''}"


class FigureGroup:
    """One source with its figures, shaped like a `{% regroup %}` entry."""

    def __init__(self, source):
        self.grouper = source
        self.list = []

    @property
    def source(self):
        return self.grouper

    @property
    def figures(self):
        return self.list


@register.filter
def group_by_source(figures):
    """Key figures grouped by their (preloaded) source, in the order the figures come.

    Unlike `{% regroup %}` this keeps one group per source even when the editor has mixed
    the figures of several sources.
    """
    groups = {}
    for figure in figures or ():
        group = groups.get(figure.source_id)
        if group is None:
            group = groups[figure.source_id] = FigureGroup(figure.source)
        group.list.append(figure)
    return list(groups.values())


@register.filter
def page_links(page_obj, on_each_side=2):
    """The page numbers to link to, with gaps, for a Django Paginator page.

    Each entry is a dict: {"number": 3, "is_current": False, "is_gap": False}; a gap has
    "is_gap": True and no number.
    """
    if page_obj is None:
        return []
    links = []
    numbers = page_obj.paginator.get_elided_page_range(
        page_obj.number, on_each_side=int(on_each_side), on_ends=1
    )
    for number in numbers:
        if isinstance(number, int):
            links.append(
                {"number": number, "is_current": number == page_obj.number, "is_gap": False}
            )
        else:
            links.append({"number": None, "is_current": False, "is_gap": True})
    return links


@register.filter
def embed_object(value):
    """The cached oEmbed object for an EmbedBlock value, or None if it cannot be embedded.

    Templates use it to write the provider's HTML in a wrapper of their own: Wagtail's
    default wrapper sets its aspect ratio with an inline style attribute.
    """
    url = getattr(value, "url", value)
    if not url:
        return None
    from wagtail.embeds import embeds
    from wagtail.embeds.exceptions import EmbedException

    try:
        embed = embeds.get_embed(
            url, getattr(value, "max_width", None), getattr(value, "max_height", None)
        )
    except EmbedException:
        return None
    return embed if embed.html else None


@register.filter
def where(items, attribute):
    """The items whose attribute is true: `metropolises|where:"is_partner_city"`."""
    return [item for item in items or () if getattr(item, attribute, None)]


@register.filter
def where_not(items, attribute):
    """The items whose attribute is false: `metropolises|where_not:"is_partner_city"`."""
    return [item for item in items or () if not getattr(item, attribute, None)]


@register.filter
def calendar_date(value, format_string: str) -> str:
    """A calendar date as `date` writes it, e.g. `{{ news.date|calendar_date:"j F Y" }}`,
    formatted once per distinct date (baltmet/dates.py). Anything else goes to `date`."""
    if type(value) is not dt.date:
        return date_filter(value, format_string)
    return format_day(value, format_string)
