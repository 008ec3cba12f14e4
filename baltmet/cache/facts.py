"""Facts computed from much content and shown by every request of a listing: the choices of
its filters (the years, tags and partners its items have) and how many items it holds.

Computing them reads every published item of the listing (15 ms for 10,000 news items), the
rest of the page a constant few. They are kept in the cache with the tags of what they are
computed from, exactly as a stored page is (baltmet/cache/store.py), and computed again
after any change that bumps one of the tags. With settings.DATA_CACHE off, every request
computes them.

A fact may hold model instances (the home page's listings). What computing it loads tags it
as it tags a page (baltmet/cache/tags.py): the fact is kept with those tags too, and a
response that reads the fact depends on them as if it had loaded the instances itself.
"""

import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from wagtail.models import Site

from baltmet.cache import store
from baltmet.cache import tags as cache_tags

PREFIX = "facts"


def address_asked(request) -> str:
    """The site, scheme and host a request asked for: part of the name of a fact whose value
    holds absolute links (a feed, a calendar). The host is one of ALLOWED_HOSTS."""
    site = Site.find_for_request(request)
    return f"{site.pk if site else ''}:{request.scheme}://{request.get_host()}"


@dataclass
class Fact:
    value: Any
    # Seconds until the value changes by itself, without any edit (an event ends); None if
    # only an edit changes it.
    valid_for: float | None = None


def remembered(
    name: str, tags: Iterable[str], compute: Callable[[], Fact], *, variant_of: str = ""
) -> Any:
    """compute().value, or what it was before if no tag has changed since (and the time it
    was valid for has not passed).

    `variant_of`: facts whose names come from what visitors type (a search's words) name
    their kind here. Like a page's query-string variants, at most PAGE_CACHE_MAX_VARIANTS of
    a kind are kept per PAGE_CACHE_TIMEOUT; the others are computed for each request."""
    if not settings.DATA_CACHE:
        return compute().value
    # Code that computes another layout of the fact stores it under another key.
    key = f"{PREFIX}:{store.code_version()}:{name}"
    entry = store.fetch(key)
    if entry is not None:
        cache_tags.depend_on(*entry["loaded"])
        return entry["value"]
    # Read before computing: if content changes meanwhile, what was computed is not kept.
    epoch = store.current_epoch()
    with cache_tags.collecting() as loaded:
        fact = compute()
    cache_tags.depend_on(*loaded.tags)
    if loaded.refused:
        cache_tags.do_not_cache(loaded.refused)
        return fact.value
    timeout = settings.PAGE_CACHE_TIMEOUT
    if fact.valid_for is not None:
        timeout = min(timeout, int(fact.valid_for))  # 0: not kept at all
    if variant_of and not store.within_variant_budget(f"{PREFIX}:{variant_of}"):
        return fact.value
    # Stored as a page is, without a body. Its size budgets the process-local copies.
    size = len(pickle.dumps(fact.value, pickle.HIGHEST_PROTOCOL))
    entry = {"value": fact.value, "loaded": frozenset(loaded.tags), "content": b"", "size": size}
    store.save(key, entry, {*tags, *loaded.tags}, epoch, timeout)
    return fact.value


def shown_with_page(request, name: str, tags: Iterable[str], compute: Callable[[], Fact]):
    """What a page shows with it (its chosen pages, inline items, what points at it): kept as
    the fact `name` with `tags`, or for a preview computed from the draft held in memory."""
    if getattr(request, "is_preview", False):
        return compute().value
    return remembered(name, tags, compute)
