"""Middleware that runs before everything else (the first entries of MIDDLEWARE).

- `RequestIDMiddleware`: a request ID for every request and one access-log line for it.
- `DatabaseUnavailableMiddleware`: the "back soon" page (503) while PostgreSQL is down.
- `HealthCheckMiddleware`: answers the health probes before sessions and authentication.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable

import psycopg
from django.core.signals import got_request_exception, request_finished
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from baltmet.ops import health
from baltmet.ops.logging import NO_REQUEST, request_id

access_log = logging.getLogger("baltmet.access")
logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy sends (nginx's $request_id, a UUID, a trace ID); anything else is replaced,
# so a client cannot write into the logs through this header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

# Errors that mean "the database cannot be reached", as Django wraps them and as psycopg
# raises them where Django does not wrap them (connection set-up, health checks).
DATABASE_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
RETRY_AFTER_SECONDS = 30


def incoming_request_id(meta: dict) -> str:
    """The proxy's request ID from a request's META (or WSGI environ), if sane; else a new one."""
    proposed = meta.get("HTTP_X_REQUEST_ID", "")
    if SANE_REQUEST_ID.fullmatch(proposed):
        return proposed
    return uuid.uuid4().hex


# Addresses that carry a secret in their path (a password-reset or invitation link: the
# token sets a password once): the access log keeps only what comes before it.
SECRET_PATH_NAMES = ("wagtailadmin_password_reset_confirm",)
REDACTED = "[redacted]/"


@functools.cache
def secret_path_prefixes() -> tuple[str, ...]:
    prefixes = []
    for name in SECRET_PATH_NAMES:
        example = reverse(name, args=("uid", "token"))
        prefixes.append(example[: example.index("uid/")])
    return tuple(prefixes)


def loggable_path(path: str) -> str:
    """The path as the access log may keep it: without a secret it carries."""
    for prefix in secret_path_prefixes():
        if path.startswith(prefix) and len(path) > len(prefix):
            return prefix + REDACTED
    return path


def log_access(method: str, path: str, status: int, started: float) -> None:
    """The access-log line of a request that began at `started` (time.perf_counter())."""
    path = loggable_path(path)
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    access_log.log(
        logging.DEBUG if path in health.PROBES else logging.INFO,
        "%s %s %s %sms",
        method,
        path,
        status,
        duration_ms,
        extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms},
    )


class RequestIDMiddleware:
    """Gives each request an ID (the proxy's X-Request-ID if sane, else a new one), puts it
    on every log record and in the response, and writes one access-log line.

    The access log holds method, path (without the query string), status, duration and the
    request ID: no address, no user, no query, so it holds no personal data. Health probes
    are logged at DEBUG, so a balancer checking every few seconds does not fill the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        # Not reset on the way out of this middleware: Django logs a 4xx or 5xx response
        # ("Not Found: ...") after the middleware chain has returned, and that record needs
        # the ID too. The request is over when the response is closed.
        request_finished.connect(forget_request_id, dispatch_uid="baltmet.ops.forget_request_id")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = incoming_request_id(request.META)
        request.request_id = rid
        request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        log_access(request.method, request.path, response.status_code, started)
        return response


def forget_request_id(sender, **kwargs) -> None:
    request_id.set(NO_REQUEST)


# The page needs its stylesheet and nothing else. Set here because the page may be answered
# outside the middleware that sets the site's policy (which keeps a policy a response has).
UNAVAILABLE_PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered with no request and no context: nothing that could query."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Security-Policy"] = UNAVAILABLE_PAGE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answers "back soon" (503, Retry-After) when the database cannot be reached.

    Django turns an exception into a 500 response inside the middleware chain, so it never
    reaches this middleware's `__call__`. A view's error comes to `process_exception`; one
    raised elsewhere (another middleware loading the session or the user) is noted on the
    request by a `got_request_exception` receiver, and its 500 is replaced here.

    Nothing is kept between requests: CONN_HEALTH_CHECKS makes Django drop the broken
    connection, and the first request after PostgreSQL returns reconnects.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        got_request_exception.connect(
            note_database_error, dispatch_uid="baltmet.ops.note_database_error"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            return database_unavailable_response()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error("The database is unavailable, answering 503: %s", exception)
            return database_unavailable_response()
        return None


def note_database_error(sender, request: HttpRequest | None = None, **kwargs) -> None:
    # Sent from inside Django's `except` block, so the exception is the one being handled.
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_UNAVAILABLE):
        request.database_unavailable = True


class HealthCheckMiddleware:
    """Answers /healthz and /readyz itself (see baltmet.ops.health), so a probe goes through
    no session, authentication or two-factor middleware (none of their database work), no
    ALLOWED_HOSTS check and no HTTPS redirect: a balancer probes the instance directly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = health.PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
