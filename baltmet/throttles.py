"""Limits on the requests that guess or send something: logins, password resets and page
passwords. Past a limit the answer is 429 with Retry-After, and nothing is sent or checked.

django-axes (baltmet/account_safety.py) locks a username at one address after a few wrong
passwords; it does not see one address trying a few passwords on each of many usernames,
which the login limit here catches. A password reset mails a link: without a limit, a script
mails anyone's inbox full. A page's view password has no account to lock.

The counters live in the default cache (Redis in production), in fixed windows. When the
cache cannot be reached they count nothing and let the request through: an outage of Redis
must not lock everybody out.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


@dataclass(frozen=True)
class Limit:
    name: str
    requests: int
    seconds: int

    def retry_after(self, key: str) -> int | None:
        """Counts one request under `key`; the seconds to wait if that was one too many."""
        now = time.time()
        window = int(now // self.seconds)
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        cache_key = f"throttle:{self.name}:{window}:{digest}"
        cache.add(cache_key, 0, self.seconds)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            count = 1
        if count is None or count <= self.requests:  # None: the cache ignored an error
            return None
        return max(1, int((window + 1) * self.seconds - now))


# Per client address, whatever the usernames: a few wrong passwords on each of many accounts.
LOGINS_PER_ADDRESS = Limit("login-address", 30, 15 * 60)
# Reset links mailed: per address, per account, and for the whole site.
RESETS_PER_ADDRESS = Limit("reset-address", 5, 15 * 60)
RESETS_PER_ACCOUNT = Limit("reset-account", 3, 60 * 60)
RESETS_PER_SITE = Limit("reset-site", 100, 60 * 60)
# Guesses at one page's view password from one address, and from everywhere.
PAGE_PASSWORDS_PER_ADDRESS = Limit("page-password-address", 10, 10 * 60)
PAGE_PASSWORDS_PER_PAGE = Limit("page-password-page", 100, 10 * 60)


@functools.cache
def paths() -> dict[str, str]:
    page_password = reverse("wagtailcore_authenticate_with_password", args=(1, 1))
    return {
        "login": reverse("wagtailadmin_login"),
        "reset": reverse("wagtailadmin_password_reset"),
        "page password": page_password[: page_password.index("1/1/")],
    }


def limits_for(request: HttpRequest) -> list[tuple[Limit, str]]:
    """The limits a POST counts against, each with the key it counts under."""
    address = get_client_ip_address(request) or "unknown"
    path = request.path
    if path == paths()["login"]:
        return [(LOGINS_PER_ADDRESS, address)]
    if path == paths()["reset"]:
        account = request.POST.get("email", "").strip().lower()
        return [
            (RESETS_PER_ADDRESS, address),
            (RESETS_PER_ACCOUNT, account),
            (RESETS_PER_SITE, "site"),
        ]
    if path.startswith(paths()["page password"]):
        restriction = path.removeprefix(paths()["page password"])
        return [
            (PAGE_PASSWORDS_PER_ADDRESS, f"{address} {restriction}"),
            (PAGE_PASSWORDS_PER_PAGE, restriction),
        ]
    return []


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "429.html", {"minutes": max(1, round(retry_after / 60))}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class ThrottleMiddleware:
    """Counts the POSTs of the login, password-reset and page-password forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            waits = [limit.retry_after(key) for limit, key in limits_for(request)]
            if longest := max((wait for wait in waits if wait is not None), default=None):
                return too_many_requests(request, longest)
        return self.get_response(request)
