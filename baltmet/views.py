"""robots.txt for crawlers, and the sitemap page for visitors."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_safe
from wagtail.models import Page, Site

from baltmet.queries import published

# The admin and Wagtail's password and login forms for private pages are not for crawlers.
# Search results (endless combinations of words, and marked noindex) and the JSON API (the
# same content as the pages) would only waste a crawler's time. Documents (the
# presentations' slides) stay crawlable: private ones are protected by Wagtail's own checks.
DISALLOWED = ("/admin/", "/_util/", "/search/", "/api/")


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@dataclass
class SitemapEntry:
    page: Page
    children: list[SitemapEntry] = field(default_factory=list)


# News items and events are many and dated: the sitemap links to their sections, which list
# them by year and filter them, rather than to each one.
DATED_PAGE_TYPES = ("news.NewsPage", "events.EventPage")


def sitemap_tree(root: Page) -> SitemapEntry:
    """The site's published pages as a tree, in menu order, read in one query."""
    dated = [apps.get_model(label) for label in DATED_PAGE_TYPES]
    pages = published(Page.objects.descendant_of(root, inclusive=True)).not_type(*dated)
    entries: dict[str, SitemapEntry] = {}
    top = SitemapEntry(root)
    for page in pages.order_by("path").only("title", "path", "depth", "url_path"):
        entry = SitemapEntry(page)
        parent = entries.get(page.path[: -Page.steplen])
        if page.pk == root.pk:
            top = entry
        elif parent is not None:  # a page below an unpublished one is left out with it
            parent.children.append(entry)
        entries[page.path] = entry
    return top


@require_safe
def html_sitemap(request):
    """Every published section and page for visitors, a nested list (sitemap.xml is for
    crawlers)."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this address.")
    return TemplateResponse(request, "sitemap.html", {"tree": sitemap_tree(site.root_page)})
