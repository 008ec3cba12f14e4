"""Stored responses and tag versions, in Django's default cache (Redis or local memory).

Each tag has a version number. A response is stored with the versions of its tags at the
time; it is served only while every one of them is unchanged. Invalidating a tag increments
its version, so stale entries are never deleted: they are never read again and expire.

A version that is missing (never set, evicted, or lost with a Redis restart) starts at a
random 62-bit number, never at 0, so a recreated version cannot match an old entry's.

A global epoch is bumped with every invalidation, before the tags and again after them. A
response stores only if the epoch is the one it read before rendering: otherwise content may
have changed while it was being rendered, and its snapshot of the data cannot be trusted.

Checking every tag of a page on every hit would cost a read of each (forty on the home
page). So a page is also known valid at an epoch: the epoch read together with its tag
versions when they were last found unchanged (or, when it was stored, the epoch it was
rendered at). While the epoch is still that one, nothing has been invalidated since. The
bump after the tags makes this exact: a check that overlapped an invalidation saw an epoch
that the invalidation's last bump leaves behind.

So a hit costs one read:
- each server process keeps the pages it served lately (LOCAL_MAX_BYTES), each with the
  epoch it is known valid at, and reads only the epoch;
- otherwise it reads the entry, its stamp (that epoch, stored beside it) and the epoch;
- after an invalidation, the first hit of a page reads its tag versions and, if they are
  unchanged, stamps it with the new epoch.
A lost stamp or epoch (evicted, Redis restarted) only sends a hit the long way.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

PREFIX = "page_cache"
EPOCH_KEY = f"{PREFIX}:epoch"
# Stored entries carry this; changing the entry layout changes it, so old entries miss.
FORMAT = 2
# What each server process keeps of the pages it served (their bodies, in bytes).
LOCAL_MAX_BYTES = 32 * 1024 * 1024
# Stored variants of one path per PAGE_CACHE_TIMEOUT (within_variant_budget); more are
# served uncached.
MAX_VARIANTS = 200


def backend():
    return caches["default"]


@functools.cache
def code_version() -> str:
    """What the stored pages and facts were made with: PAGE_CACHE_RELEASE (e.g. the commit)
    if set, else the project's code (its apps' modules and the templates), the static files'
    manifest and the Django and Wagtail versions. A release that changes any of them starts
    with an empty cache, and never reads what older code stored in another layout (tag
    versions are shared: old and new processes see each other's invalidations during a
    rolling deploy)."""
    release = getattr(settings, "PAGE_CACHE_RELEASE", "")
    if release:
        return release
    base = Path(settings.BASE_DIR)
    installed = Path(sys.prefix)  # the virtualenv, which may be inside the project
    directories = [
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(base) and not Path(app.path).is_relative_to(installed)
    ]
    directories += [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", ())]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    versions = f"{django.get_version()} {wagtail.__version__}"
    return digest_of_files(base, directories, [manifest], versions)


def digest_of_files(
    base: Path, directories: Iterable[Path], files: Iterable[Path], salt: str
) -> str:
    """A digest of the names (from `base`, so that every checkout of the same code agrees)
    and contents of the files in the directories (compiled files excluded) and of the other
    files that exist."""
    digest = hashlib.sha256(salt.encode())
    found = {
        path
        for directory in directories
        for path in Path(directory).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    found.update(path for path in files if path.is_file())
    for path in sorted(found):
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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
    # And last: a page whose tags were checked while this ran is known valid at an epoch
    # that no longer is.
    ok = _increment(EPOCH_KEY) and ok
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


def stamp_key(key: str) -> str:
    return f"{key}:stamp"


class LocalEntries:
    """The entries this process served lately, each with the epoch it is known valid at;
    least recently used first out, within a budget of body bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, tuple[int, dict]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[int, dict] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: str, epoch: int, entry: dict) -> None:
        size = body_bytes(entry)
        if size > self.max_bytes:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= body_bytes(old[1])
            self.entries[key] = (epoch, entry)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= body_bytes(dropped)


def body_bytes(entry: dict) -> int:
    """The size of an entry's bodies: as rendered and, if kept, compressed; or, for an entry
    without a body (a fact), the size it gives."""
    return entry.get("size") or len(entry["content"]) + len(entry.get("gzip") or b"")


local_entries = LocalEntries(LOCAL_MAX_BYTES)


def fetch(key: str) -> dict | None:
    """The stored entry for the key, if there is one and all its tags are unchanged."""
    cache = backend()
    known = local_entries.get(key)
    if known is not None:
        epoch, entry = known
        if entry["expires_at"] > time.time() and cache.get(EPOCH_KEY) == epoch:
            return entry
    found = _fetch_stored(cache, key)
    if found is None:
        return None
    epoch, entry = found
    local_entries.put(key, epoch, entry)
    return entry


def _fetch_stored(cache, key: str) -> tuple[int, dict] | None:
    """The stored entry and the epoch it is known valid at."""
    # In this order: the local memory backend reads one key at a time, and save() writes the
    # entry before its stamp, so an entry read after its stamp is never older than the stamp.
    found = cache.get_many([stamp_key(key), EPOCH_KEY, key])
    entry = found.get(key)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    seconds_left = entry["expires_at"] - time.time()
    if seconds_left <= 0:
        return None
    stamp = found.get(stamp_key(key))
    if stamp is not None and stamp == found.get(EPOCH_KEY):
        return stamp, entry  # nothing has been invalidated since its tags were checked
    epoch = _epoch_if_tags_unchanged(cache, entry)
    if epoch is None:
        return None
    cache.set(stamp_key(key), epoch, timeout=max(1, int(seconds_left)))
    return epoch, entry


def _epoch_if_tags_unchanged(cache, entry: dict) -> int | None:
    """The epoch, read in one snapshot with the entry's tag versions (Redis MGET is atomic),
    if every version is the entry's; else None."""
    versions: dict[str, int] = entry["versions"]
    current = cache.get_many([EPOCH_KEY, *(version_key(tag) for tag in versions)])
    for tag, version in versions.items():
        if current.get(version_key(tag)) != version:
            return None
    return current.get(EPOCH_KEY)


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
    stored = {**entry, "format": FORMAT, "versions": versions, "expires_at": time.time() + timeout}
    # The stamp is the epoch of the snapshot the versions come from: if an invalidation
    # slips in before these writes, the epoch has moved on and the next hit checks the tags.
    cache.set(key, stored, timeout=timeout)
    cache.set(stamp_key(key), epoch, timeout=timeout)
    return True


def within_variant_budget(path_key: str) -> bool:
    """Count one more stored variant of a path (its query string, a search's words); False
    once over settings.PAGE_CACHE_MAX_VARIANTS in one PAGE_CACHE_TIMEOUT, so a crawler
    inventing query strings cannot fill the cache."""
    budget = getattr(settings, "PAGE_CACHE_MAX_VARIANTS", MAX_VARIANTS)
    cache = backend()
    counter = f"{PREFIX}:variants:{path_key}"
    cache.add(counter, 0, timeout=settings.PAGE_CACHE_TIMEOUT)
    try:
        count = cache.incr(counter)
    except ValueError:
        return False
    return count is not None and count <= budget
