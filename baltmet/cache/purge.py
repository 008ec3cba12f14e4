"""Bans in the reverse proxy (deploy/varnish/default.vcl), by tag, when PROXY_BAN_URL is set.

The proxy keeps each page with its X-Cache-Tags header. A BAN request whose X-Ban-Tags header
is a regular expression matching whole tags drops every page stored with one of them.
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger(__name__)

BAN_TIMEOUT_SECONDS = 2
# A page the proxy was still receiving from the application when the ban arrived is stored
# after it, and the ban does not apply to it. A second ban, a moment later, drops it.
REPEAT_AFTER_SECONDS = 2.0


def ban_pattern(tags: Iterable[str]) -> str:
    """A regular expression matching any of the tags as a whole word of X-Cache-Tags.

    It holds no space (Varnish splits a ban expression at spaces): tags are separated by
    \\x20, and contain none themselves.
    """
    alternatives = "|".join(re.escape(tag) for tag in sorted(set(tags)))
    return rf"(^|\x20)({alternatives})(\x20|$)"


def send_ban(tags: Iterable[str]) -> bool:
    url = settings.PROXY_BAN_URL
    tags = sorted(set(tags))
    if not url or not tags:
        return False
    request = urllib.request.Request(url, method="BAN", headers={"X-Ban-Tags": ban_pattern(tags)})
    try:
        with urllib.request.urlopen(request, timeout=BAN_TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as error:
        logger.error("Page cache: the proxy at %s refused or missed a ban: %s", url, error)
        return False


def ban(tags: Iterable[str]) -> None:
    """Ban now, and once more shortly after (see REPEAT_AFTER_SECONDS)."""
    if not settings.PROXY_BAN_URL:
        return
    tags = frozenset(tags)
    send_ban(tags)
    timer = threading.Timer(REPEAT_AFTER_SECONDS, send_ban, args=[tags])
    timer.daemon = True
    timer.start()
