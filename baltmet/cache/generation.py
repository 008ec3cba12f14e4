"""The page cache's generation: read before a page is rendered, bumped by every change.

A bump is an UPDATE in the transaction of the change itself: a request that read the old
generation stores its page under the old key, which no request reads once the change is
committed. After the commit, the reverse proxy (PROXY_BAN_URL, deploy/varnish/default.vcl)
is told to drop everything it keeps, with one BAN request.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail import hooks

from .models import Generation

logger = logging.getLogger(__name__)

ROW = 1
BAN_TIMEOUT_SECONDS = 2
# A page the proxy was still receiving when the ban arrived is stored after it, and the ban
# does not apply to it: a second ban, a moment later, drops it.
BAN_AGAIN_AFTER_SECONDS = 2.0
SAME_COMMIT_SECONDS = 1.0


def current() -> int:
    """The generation now: one query of a one-row table, read on every request the page
    cache answers, in SQL of its own (the ORM took longer to write it than PostgreSQL to
    answer it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {Generation._meta.db_table} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


class LastRead:
    """The generation this process read last."""

    value: int | None = None


def for_lookup() -> int:
    """The generation to look a page up with: the current one, or, while the database is
    unavailable (baltmet/ops/deadlines.py), the last one read, so that stored pages are still
    served. Nothing is published meanwhile: every change goes through the database."""
    try:
        LastRead.value = current()  # refused at once while the database is held unavailable
    except DatabaseError:
        if LastRead.value is None:
            raise
    return LastRead.value


def bump() -> None:
    """Make every stored page stale, here and, after the commit, in the reverse proxy."""
    if not Generation.objects.filter(pk=ROW).update(value=F("value") + 1):
        Generation.objects.update_or_create(pk=ROW, defaults={"value": 1})
    if settings.PROXY_BAN_URL:
        transaction.on_commit(proxy_bans.after_commit, robust=True)


class ProxyBans:
    """The bans this process sends the proxy: one for each generation it sees committed (a
    publish bumps several times in one transaction, and each bump asks for a ban after the
    commit, all within milliseconds), and one more a moment after the last of them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.banned: tuple[int, float] | None = None  # generation, time.monotonic()
        self.repeat: threading.Timer | None = None

    def after_commit(self) -> None:
        # Read after the commit: a ban sent now covers this generation and any before it.
        try:
            committed: int | None = current()
        except DatabaseError:  # the connection dropped right after the commit: ban anyway
            committed = None
        now = time.monotonic()
        with self.lock:
            if committed is not None and self.banned is not None:
                banned_generation, banned_at = self.banned
                # The time bound: a restored database may reach the same number again.
                if committed == banned_generation and now - banned_at < SAME_COMMIT_SECONDS:
                    return
            self.banned = None if committed is None else (committed, now)
            if self.repeat is not None:
                self.repeat.cancel()
            self.repeat = repeat = threading.Timer(BAN_AGAIN_AFTER_SECONDS, send_ban)
            repeat.daemon = True
        send_ban()
        repeat.start()


proxy_bans = ProxyBans()


def send_ban() -> bool:
    if not settings.PROXY_BAN_URL:  # unset since the ban was planned (a test's settings)
        return False
    request = urllib.request.Request(settings.PROXY_BAN_URL, method="BAN")
    try:
        with urllib.request.urlopen(request, timeout=BAN_TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as error:
        logger.error("Page cache: the proxy at %s missed a ban: %s", settings.PROXY_BAN_URL, error)
        return False


def seconds_to_next_change() -> float | None:
    """Seconds until a page changes by itself, without an edit (an event starts or ends and
    moves from one list to another), as the `page_cache_next_change` hooks say."""
    now = timezone.now()
    instants: list[dt.datetime] = [
        instant
        for next_change in hooks.get_hooks("page_cache_next_change")
        if (instant := next_change(now)) is not None
    ]
    return (min(instants) - now).total_seconds() if instants else None
