"""Stored responses and tag versions, in Django's default cache (Redis or local memory).

Each tag has a version number. A response is stored with the versions of its tags at the
time; it is served only while every one of them is unchanged. Invalidating a tag increments
its version, so stale entries are never deleted: they are never read again and expire.

A version that is missing (never set, evicted, or lost with a Redis restart) starts at a
random 62-bit number, never at 0, so a recreated version cannot match an old entry's.

A global epoch is bumped with every invalidation, before the tags. A response stores only if
the epoch is the one it read before rendering: otherwise content may have changed while it
was being rendered, and its snapshot of the data cannot be trusted.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable

from django.core.cache import caches

logger = logging.getLogger(__name__)

PREFIX = "page_cache"
EPOCH_KEY = f"{PREFIX}:epoch"
# Stored entries carry this; changing the entry layout changes it, so old entries miss.
FORMAT = 1


def backend():
    return caches["default"]


def version_key(tag: str) -> str:
    return f"{PREFIX}:tag:{tag}"


def _new_version() -> int:
    return secrets.randbits(62)


def _increment(key: str) -> bool:
    cache = backend()
    try:
        return cache.incr(key) is not None  # None: the cache is down (IGNORE_EXCEPTIONS)
    except ValueError:  # the key does not exist (yet, or any more)
        if cache.add(key, _new_version(), timeout=None):
            return True
        try:
            return cache.incr(key) is not None
        except ValueError:
            return False


def bump(tags: Iterable[str]) -> bool:
    """Invalidate every stored response that depends on one of the tags."""
    # The epoch first: a response that read the tag versions before this call either sees
    # the old epoch with the old versions (and is invalidated by them), or the new epoch.
    ok = _increment(EPOCH_KEY)
    for tag in sorted(set(tags)):
        ok = _increment(version_key(tag)) and ok
    if not ok:
        logger.error(
            "Page cache: could not invalidate %s (is the cache down?). Pages stored before "
            "may be served until they expire (PAGE_CACHE_TIMEOUT).",
            " ".join(sorted(set(tags))),
        )
    return ok


def current_epoch() -> int | None:
    """The epoch before rendering (None if the cache cannot be reached)."""
    cache = backend()
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, _new_version(), timeout=None)
        epoch = cache.get(EPOCH_KEY)
    return epoch


def fetch(key: str) -> dict | None:
    """The stored entry for the key, if there is one and all its tags are unchanged."""
    cache = backend()
    entry = cache.get(key)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    if entry["expires_at"] <= time.time():
        return None
    versions: dict[str, int] = entry["versions"]
    current = cache.get_many([version_key(tag) for tag in versions])
    for tag, version in versions.items():
        if current.get(version_key(tag)) != version:
            return None
    return entry


def save(key: str, entry: dict, tags: Iterable[str], epoch: int | None, timeout: int) -> bool:
    """Store the entry with the current versions of its tags, unless anything was invalidated
    since `epoch` was read. Returns whether it was stored."""
    if epoch is None or timeout <= 0:
        return False
    cache = backend()
    keys = {tag: version_key(tag) for tag in tags}
    current = cache.get_many([EPOCH_KEY, *keys.values()])
    missing = [key_ for key_ in keys.values() if key_ not in current]
    if missing:
        for key_ in missing:
            cache.add(key_, _new_version(), timeout=None)
        # Read again, the epoch with them: one snapshot (Redis MGET is atomic).
        current = cache.get_many([EPOCH_KEY, *keys.values()])
    if current.get(EPOCH_KEY) != epoch:
        return False
    versions = {}
    for tag, key_ in keys.items():
        if key_ not in current:
            return False
        versions[tag] = current[key_]
    cache.set(
        key,
        {**entry, "format": FORMAT, "versions": versions, "expires_at": time.time() + timeout},
        timeout=timeout,
    )
    return True


def within_variant_budget(path_key: str, budget: int, timeout: int) -> bool:
    """Count one more stored query-string variant of a path; False once over budget, so a
    crawler inventing query strings cannot fill the cache."""
    cache = backend()
    counter = f"{PREFIX}:variants:{path_key}"
    cache.add(counter, 0, timeout=timeout)
    try:
        count = cache.incr(counter)
    except ValueError:
        return False
    return count is not None and count <= budget
