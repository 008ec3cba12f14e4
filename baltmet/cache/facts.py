"""Facts computed from much content and shown by every request of a listing: the choices of
its filters (the years, tags and partners its items have) and how many items it holds.

Computing them reads every published item of the listing (10 ms for 10,000 news items), the
rest of the page a constant few. They are kept in the cache with the tags of what they are
computed from, exactly as a stored page is (baltmet/cache/store.py), and computed again
after any change that bumps one of the tags. With settings.DATA_CACHE off, every request
computes them.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings

from baltmet.cache import store

T = TypeVar("T")

PREFIX = "facts"


def remembered(name: str, tags: Iterable[str], compute: Callable[[], T]) -> T:
    """compute(), or what it returned before if no tag has changed since."""
    if not settings.DATA_CACHE:
        return compute()
    key = f"{PREFIX}:{name}"
    entry = store.fetch(key)
    if entry is not None:
        return entry["value"]
    # Read before computing: if content changes meanwhile, what was computed is not kept.
    epoch = store.current_epoch()
    value = compute()
    store.save(key, {"value": value, "content": b""}, tags, epoch, settings.PAGE_CACHE_TIMEOUT)
    return value
