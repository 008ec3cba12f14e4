"""Account safety: login throttling with django-axes (settings AXES_* in settings/base.py).

`LoginThrottlingBackend` counts failed logins per username and IP address and refuses a
locked-out login; `lockout_response` is the page a locked-out user sees. See the README,
"Account safety". `LogoutByPostOnlyMiddleware` keeps a GET from half logging out.
"""

import functools
import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse


class LoginThrottlingBackend(AxesStandaloneBackend):
    """django-axes' standalone backend, for authentication that comes with a request.

    Every login form passes the request (Wagtail's admin login does) and is throttled by
    username and client address. Code that authenticates with no request at all (a shell,
    the test client's `login()`) has no client to throttle: django-axes would raise an error
    there; this backend steps aside instead, and ModelBackend still checks the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page for a locked-out login (AXES_LOCKOUT_CALLABLE), with status 429."""
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off is not None else None
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": math.ceil(seconds / 60) if seconds is not None else None,
    }
    response = render(
        request, "account/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    if seconds is not None:
        response["Retry-After"] = str(seconds)
    return response


class LogoutByPostOnlyMiddleware:
    """Logging out takes a POST (the admin's menu posts a form, with its CSRF token).

    Django's logout view refuses a GET with 405, but Wagtail's deletes the session cookie on
    that answer too: the browser looked logged out while the session stayed valid on the
    server for whoever held the cookie. A GET gets its 405 here, before that view runs; a
    POST logs out and ends the session on the server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == logout_path() and request.method not in ("POST", "OPTIONS"):
            return HttpResponseNotAllowed(["POST"])
        return self.get_response(request)


@functools.cache
def logout_path() -> str:
    return reverse("wagtailadmin_logout")
