"""What search engines and sharing need in the <head>: canonical URL, description, Open Graph
and Twitter card tags, and schema.org JSON-LD.

Everything comes from the page and its context, which the page has loaded already. Each page
type says what is its own (SeoMixin in baltmet/models/pages.py): its Open Graph type, its share
image and its schema.org item; this tag adds the breadcrumbs every page has.
"""

import json

from django import template
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from baltmet.structured_data import (
    SITE_NAME,
    SITE_SHARE_IMAGE,
    SITE_SHARE_IMAGE_SIZE,
    ShareImage,
    absolute,
    plain_text,
)
from baltmet.templatetags.baltmet_tags import navigation

register = template.Library()

LOCALE = "en_GB"
DESCRIPTION_LENGTH = 160
# The fields that hold a page's lead text, in the order they are looked for.
SUMMARY_FIELDS = ("intro", "mission", "summary", "headline")

# Characters that could end the <script> element or start markup inside it.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data) -> str:
    """JSON for a <script type="application/ld+json"> block: no content can close it."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


def page_description(page) -> str:
    """The search description, else the page's lead text, as plain text of ~160 characters."""
    text = plain_text(page.search_description)
    if not text:
        for field in SUMMARY_FIELDS:
            text = plain_text(getattr(page, field, ""))
            if text:
                break
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def site_url(request) -> str:
    """The root URL of the current site (its hostname, as canonical URLs use it)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        return site.root_url + "/"
    return request.build_absolute_uri("/") if request is not None else ""


def breadcrumb_data(ancestors, page, url, request):
    items = []
    for position, ancestor in enumerate(ancestors, start=1):
        items.append(
            {
                "@type": "ListItem",
                "position": position,
                "name": _("Home") if position == 1 else ancestor.title,
                "item": ancestor.get_full_url(request),
            }
        )
    last = {"@type": "ListItem", "position": len(items) + 1, "name": page.title}
    if url:
        last["item"] = url
    items.append(last)
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


@register.inclusion_tag("components/page_meta.html", takes_context=True)
def page_meta(context):
    """Canonical link, meta description, Open Graph, Twitter card and JSON-LD for the page."""
    page = context.get("page")
    if not isinstance(page, Page):
        return {"meta": None}
    request = context.get("request")
    languages = context.get("languages")
    base = site_url(request)
    url = page.get_full_url(request) if page.path else None
    title = page.seo_title or page.title
    description = page_description(page)

    own_image = getattr(page, "share_image", None)
    image = (
        own_image.absolute(base)
        if own_image is not None
        else ShareImage(absolute(base, static(SITE_SHARE_IMAGE)), *SITE_SHARE_IMAGE_SIZE, SITE_NAME)
    )
    blocks = []
    if hasattr(page, "structured_data") and (item := page.structured_data(context, url, base)):
        blocks.append(item)
    ancestors = navigation(context, page).ancestors
    if ancestors:
        blocks.append(breadcrumb_data(ancestors, page, url, request))

    return {
        "meta": {
            "url": url,
            "title": title,
            "description": description,
            "type": getattr(page, "og_type", "website"),
            "site_name": SITE_NAME,
            # The content's language (base.html reads the page's languages first).
            "locale": languages.open_graph_locale if languages else LOCALE,
            "image": image,
            "twitter_card": "summary" if own_image is not None else "summary_large_image",
        },
        "json_ld": [json_ld(block) for block in blocks],
    }
