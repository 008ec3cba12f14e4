"""Limits on the requests that guess or send something: logins, password resets,
invitations and page passwords. Past a limit the answer is 429 with Retry-After, and
nothing is sent or checked.

django-axes (baltmet/account_safety.py) locks a username at one address after a few wrong
passwords; it does not see one address trying a few passwords on each of many usernames,
which the login limit here catches. A password reset mails a link: without a limit, a script
mails anyone's inbox full. A page's view password has no account to lock. Only posts that
passed the CSRF check count, so nobody can spend another's allowance from a page of theirs.

The counters live in the default cache (Redis in production), in fixed windows. When the
cache cannot be reached they count nothing and let the request through: an outage of Redis
must not lock everybody out.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
# Reset links mailed, per address and per account. No limit for the whole site: anyone could
# use it up and so turn password resets off for everybody.
RESETS_PER_ADDRESS = Limit("reset-address", 5, 15 * 60)
RESETS_PER_ACCOUNT = Limit("reset-account", 3, 60 * 60)
# Guesses at one protected page's password from one address (none for everybody together:
# that would let anyone lock every visitor out of the page).
PAGE_PASSWORDS_PER_ADDRESS = Limit("page-password-address", 10, 10 * 60)
# Invitations mail a link to set a password: per administrator, and per address invited, so
# that neither a stolen administrator's session nor a slip mails someone's inbox full.
INVITATIONS_PER_USER = Limit("invitation-user", 20, 60 * 60)
INVITATIONS_PER_ADDRESS = Limit("invitation-address", 3, 24 * 60 * 60)


def client_key(request: HttpRequest) -> str:
    """The client's address; for IPv6, its /64 network, which one household or server has."""
    address = get_client_ip_address(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def limits_for(request: HttpRequest, url_name: str, view_kwargs: dict) -> list[tuple[Limit, str]]:
    """The limits a POST to the view named `url_name` counts against, each with its key."""
    if url_name == "wagtailadmin_login":
        return [(LOGINS_PER_ADDRESS, client_key(request))]
    if url_name == "wagtailadmin_password_reset":
        account = request.POST.get("email", "").strip().lower()
        return [(RESETS_PER_ADDRESS, client_key(request)), (RESETS_PER_ACCOUNT, account)]
    if url_name == "wagtailcore_authenticate_with_password":
        # The restriction's id as a number: "01" and "1" are one restriction to Wagtail.
        restriction = view_kwargs["page_view_restriction_id"]
        return [(PAGE_PASSWORDS_PER_ADDRESS, f"{client_key(request)} {restriction}")]
    if url_name == "baltmet_invite_editor":
        from baltmet.roles.views import may_invite  # the roles app is above this module

        if not may_invite(request.user):
            return []  # refused by the view: counts against nobody's allowance
        invited = request.POST.get("email", "").strip().lower()
        return [
            (INVITATIONS_PER_USER, str(request.user.pk)),
            (INVITATIONS_PER_ADDRESS, invited),
        ]
    return []


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "429.html", {"minutes": max(1, round(retry_after / 60))}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class ThrottleMiddleware:
    """Counts the POSTs of the login, password-reset, invitation and page-password forms that
    passed the CSRF check (it comes after CsrfViewMiddleware): a form on another site posting
    through visitors' browsers counts against nobody."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        limits = limits_for(request, request.resolver_match.url_name, view_kwargs)
        waits = [limit.retry_after(key) for limit, key in limits]
        if longest := max((wait for wait in waits if wait is not None), default=None):
            return too_many_requests(request, longest)
        return None
