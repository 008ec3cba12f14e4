"""The "Source" line of a page: the documents its content comes from (`BasePage.sources`).

Every page shows it, so it is read from the cache, by the page's live revision: its sources
change when a new revision is published (they are part of the revision), and a source's own
words when the source is edited, which moves every key on (`VERSION_KEY`). A preview reads
the draft's own sources. (A page saved by code without a revision keeps its line until the
cache's timeout; the admin and the seed loader always publish a revision.)
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from baltmet.models import FigureSource

VERSION_KEY = "figure-sources-version"


def sources_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def page_sources(page, request=None) -> list[FigureSource]:
    """The page's source documents, oldest first."""
    if page.pk is None or not page.live or getattr(request, "is_preview", False):
        return list(page.sources.all())
    key = f"page-sources:{page.pk}:{page.live_revision_id}:{sources_version()}"
    sources = cache.get(key)
    if sources is None:
        sources = list(page.sources.all())
        cache.set(key, sources, settings.PAGE_CACHE_TIMEOUT)
    return sources


@receiver(post_save, sender=FigureSource)
@receiver(post_delete, sender=FigureSource)
def source_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (yet, or any more): start a new series
        cache.set(VERSION_KEY, sources_version() + 1, None)
