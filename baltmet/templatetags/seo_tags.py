"""What search engines and sharing need in the <head>: canonical URL, description, Open Graph
and Twitter card tags, and schema.org JSON-LD.

Everything comes from the page and its context, which the page has loaded already: the tag
adds no query, except a logo's rendition on an organisation page that has a logo. Page types
are told apart by their model label, so this core module imports no app above it.
"""

import html
import json
from urllib.parse import urljoin

from django import template
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page, Site

from baltmet.templatetags.baltmet_tags import navigation

register = template.Library()

SITE_NAME = "BaltMet Inno"
LOCALE = "en_GB"
DESCRIPTION_LENGTH = 160
SHARE_IMAGE = "img/share.png"  # 1200×630, committed under static/
SHARE_IMAGE_SIZE = (1200, 630)
LOGO_RENDITION = "max-1200x630"
# The fields that hold a page's lead text, in the order they are looked for.
SUMMARY_FIELDS = ("intro", "mission", "summary")

# Characters that could end the <script> element or start markup inside it.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data) -> str:
    """JSON for a <script type="application/ld+json"> block: no content can close it."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


def plain_text(value) -> str:
    """Text without HTML tags or entities, its white space collapsed."""
    return " ".join(html.unescape(strip_tags(str(value or ""))).split())


def page_description(page) -> str:
    """The search description, else the page's lead text, as plain text of ~160 characters."""
    text = plain_text(page.search_description)
    if not text:
        for field in SUMMARY_FIELDS:
            text = plain_text(getattr(page, field, ""))
            if text:
                break
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def _site_base(request) -> str:
    """The root URL of the current site (its hostname, as canonical URLs use it)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        return site.root_url + "/"
    return request.build_absolute_uri("/") if request is not None else ""


def _absolute(base: str, url: str) -> str:
    return urljoin(base, url) if base else url


def _logo(page, base):
    """The logo of an organisation page as share image data, or None."""
    if not getattr(page, "logo_id", None):
        return None
    logo = page.logo
    try:
        rendition = logo.get_rendition(LOGO_RENDITION)
    except Exception:  # A missing or unreadable file: share the default image instead.
        return None
    return {
        "url": _absolute(base, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(logo, "alt_text", "") or f"Logo of {page.title}",
    }


def _organisation_ref(organisation, request):
    return {
        "@type": "Organization",
        "name": organisation.title,
        "url": organisation.get_full_url(request),
    }


def _postal_address(locality, country):
    address = {"@type": "PostalAddress"}
    if locality:
        address["addressLocality"] = locality
    if country:
        address["addressCountry"] = country
    return address


def organisation_data(page, context, url, image):
    data = {"@context": "https://schema.org", "@type": "Organization", "name": page.title}
    if url:
        data["url"] = url
    if page.website:
        data["sameAs"] = [page.website]
    metropolis = context.get("metropolis")
    if metropolis is not None:
        data["address"] = _postal_address(metropolis.title, getattr(metropolis, "country", ""))
    if image is not None:
        data["logo"] = image["url"]
    return data


def event_data(page, context, url, request):
    if page.is_all_day:
        start, end = page.start_date.isoformat(), page.last_date.isoformat()
    else:
        start_instant, end_instant = page.local_instants()
        start = start_instant.isoformat()
        end = end_instant.isoformat() if page.end_time is not None else None
        if end is None and page.end_date:
            end = page.end_date.isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "startDate": start,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {
            "@type": "Place",
            "name": page.venue or page.city,
            "address": _postal_address(page.city, page.country),
        },
    }
    if end:
        data["endDate"] = end
    organisers = [_organisation_ref(o, request) for o in context.get("organising_partners") or ()]
    if page.other_organisers:
        organisers.append({"@type": "Organization", "name": page.other_organisers})
    if organisers:
        data["organizer"] = organisers
    if page.intro:
        data["description"] = plain_text(page.intro)
    if url:
        data["url"] = url
    return data


def news_data(page, url, base, share_image_url):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": page.date.isoformat(),
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "image": share_image_url,
    }
    if base:
        data["publisher"]["url"] = base
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if page.intro:
        data["description"] = plain_text(page.intro)
    if url:
        data["url"] = url
    return data


def breadcrumb_data(ancestors, page, url, request):
    items = []
    for position, ancestor in enumerate(ancestors, start=1):
        items.append(
            {
                "@type": "ListItem",
                "position": position,
                "name": "Home" if position == 1 else ancestor.title,
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
    base = _site_base(request)
    url = page.get_full_url(request) if page.path else None
    title = page.seo_title or page.title
    description = page_description(page)
    label = page._meta.label

    share_image_url = _absolute(base, static(SHARE_IMAGE))
    image = _logo(page, base) if label == "partners.OrganisationPage" else None
    large_image = image is None
    if image is None:
        width, height = SHARE_IMAGE_SIZE
        image = {"url": share_image_url, "width": width, "height": height, "alt": SITE_NAME}

    blocks = []
    if label == "partners.OrganisationPage":
        blocks.append(organisation_data(page, context, url, None if large_image else image))
    elif label == "events.EventPage":
        blocks.append(event_data(page, context, url, request))
    elif label == "news.NewsPage":
        blocks.append(news_data(page, url, base, share_image_url))
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
            "locale": LOCALE,
            "image": image,
            "twitter_card": "summary_large_image" if large_image else "summary",
        },
        "json_ld": [json_ld(block) for block in blocks],
    }
