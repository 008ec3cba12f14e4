"""Pick the benchmark's URLs from the data set and count the SQL queries each one costs.

Run by bench/run.py in a subprocess with the served process's settings (production, page
cache off); prints JSON. Counting happens here, in the Django test client, because the served
process must not run with DEBUG (which is what records queries there).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings.production")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.data import (  # noqa: E402
    COMMON_WORD,
    RARE_WORD,
    SLUG_PREFIX,
)
from events.models import EventPage  # noqa: E402
from news.models import NewsIndexPage, NewsPage  # noqa: E402
from partners.models import MetropolisPage, OrganisationPage  # noqa: E402
from workpackages.models import WorkPackagePage  # noqa: E402


def middle(queryset):
    """The generated page in the middle of its kind: neither the newest nor the oldest."""
    pages = queryset.filter(slug__startswith=SLUG_PREFIX).order_by("slug")
    return pages[pages.count() // 2]


def benchmark_urls() -> list[tuple[str, str]]:
    news_pages = NewsPage.objects.live().count()
    last_page = -(-news_pages // NewsIndexPage.page_size)
    deep_page = min(200, last_page)
    return [
        ("home", "/"),
        ("news index", "/news/"),
        (f"news index p{deep_page}", f"/news/?page={deep_page}"),
        ("news page", middle(NewsPage.objects.live()).url),
        ("events index", "/events/"),
        ("event", middle(EventPage.objects.live()).url),
        ("metropolis", MetropolisPage.objects.live().order_by("path").first().url),
        ("organisation", middle(OrganisationPage.objects.live()).url),
        ("work package", WorkPackagePage.objects.live().order_by("number").first().url),
        ("search common", f"/search/?q={COMMON_WORD}"),
        ("search rare", f"/search/?q={RARE_WORD}"),
        ("news feed", "/news/feed/rss/"),
        ("calendar", "/events/calendar.ics"),
    ]


def main() -> None:
    client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
    results = []
    for label, url in benchmark_urls():
        client.get(url)  # the first request fills per-process caches (sites, renditions)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        results.append(
            {
                "label": label,
                "url": url,
                "status": response.status_code,
                "queries": len(captured.captured_queries),
            }
        )
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
