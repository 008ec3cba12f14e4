"""robots.txt: crawl everything public, and find it through the sitemap."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

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
