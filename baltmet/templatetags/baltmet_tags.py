"""Template tags shared by every public template: navigation, e-mail protection, listings."""

from urllib.parse import urlsplit

from django import template
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.models import Page

from baltmet.languages import languages
from baltmet.navigation import Navigation
from baltmet.sources import page_sources

register = template.Library()


def _current_page(context):
    page = context.get("page")
    return page if isinstance(page, Page) else None


@register.inclusion_tag("navigation/main_menu.html", takes_context=True)
def main_menu(context):
    """The live children of the site root that are shown in menus.

    Each item says whether it is the current page (aria-current="page") or one of its
    ancestors (aria-current="true").
    """
    request = context.get("request")
    current = _current_page(context)
    current_path = (current.path or "") if current is not None else ""
    menu = navigation(context, current).menu
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
    tree = navigation(context, page)
    # The page's language, from its version the navigation read with its locale (none for a
    # draft's preview, whose words are those of the language it is edited in).
    read = next((each for each in tree.translations if each.pk == page.pk), None)
    page_lang = languages.lang_attribute(languages.text_language(read)) if read else ""
    return {"request": request, "ancestors": tree.ancestors, "page": page, "page_lang": page_lang}


def navigation(context, page) -> Navigation:
    """The page's menu and breadcrumbs: read once per page (BasePage.get_context puts them
    in its context for the breadcrumbs, the menu and the structured data), else here."""
    given = context.get("navigation")
    if given is not None and page is given.page:
        return given
    return Navigation.for_request(context.get("request"), page)


@register.simple_tag(takes_context=True)
def section_pages(context):
    """The live children of the site root (in the page's language's tree), by their model's
    name: `{% section_pages as sections %}{% if sections.newsindexpage %}...`."""
    tree = navigation(context, _current_page(context))
    if tree.root_path is None:
        return {}
    children = Page.objects.filter(depth=tree.root_depth + 1, path__startswith=tree.root_path)
    sections = {}
    # Sections in the menu come first: "About BaltMet Inno" is the standard page, not a notice
    # such as the accessibility statement.
    for child in children.live().order_by("-show_in_menus", "path"):
        sections.setdefault(child.specific_class._meta.model_name, child)
    return sections


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


# The widths a figure is offered in, and its formats: AVIF (the smallest), WebP, and JPEG
# for browsers that take neither. Sources come in this order; the browser takes the first
# type it supports.
FIGURE_WIDTHS = (480, 800, 1000)
FIGURE_FORMATS = ("avif", "webp", "jpeg")
FIGURE_SIZES = "(max-width: 52rem) 100vw, 48rem"


@register.simple_tag
def figure_picture(image, alt: str = ""):
    """A figure's <picture>: AVIF, WebP and JPEG at the widths of FIGURE_WIDTHS the image has.

    Wagtail never enlarges an image, so a 600-pixel upload asked for at 800 and 1,000 pixels
    gives two more 600-pixel renditions, and a srcset that names one width twice, which HTML
    forbids. Wider than the image, it is offered once at its own width instead.
    """
    widths = sorted({min(width, image.width) for width in FIGURE_WIDTHS})
    specs = [f"format-{fmt}|width-{width}" for fmt in FIGURE_FORMATS for width in widths]
    attrs = {"alt": alt, "loading": "lazy", "decoding": "async"}
    if len(widths) > 1:  # sizes goes with width descriptors only
        attrs["sizes"] = FIGURE_SIZES
    return mark_safe(Picture(get_renditions_or_not_found(image, specs), attrs).__html__())


@register.inclusion_tag("components/source_line.html", takes_context=True)
def source_line(context):
    """The "Source" line of the page: the documents its content comes from (one query)."""
    page = _current_page(context)
    if not hasattr(page, "sources"):
        return {"sources": []}
    return {"sources": page_sources(page, context.get("request"))}
