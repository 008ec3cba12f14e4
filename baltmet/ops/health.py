"""Health probes for load balancers and orchestrators.

- `/healthz` (liveness): the process answers. It touches neither the database nor the cache,
  so a database outage never gets a healthy worker restarted.
- `/readyz` (readiness): the instance can serve pages, which means the database answers a
  trivial query: 200, else 503. The cache (Redis) is checked too and reported, but a cache
  outage only makes the instance slower (every page is rendered), not unable to serve: it
  answers 200 with `"status": "degraded"`, so a balancer never takes every instance out at
  once because Redis is down.

`HealthCheckMiddleware` (baltmet.ops.middleware) answers both before the session,
authentication and two-factor middleware, and before the Host and HTTPS checks, so a probe
from the balancer (plain HTTP, the instance's own address) needs no configuration. The URL
patterns here also route them, for a MIDDLEWARE setting without it.
"""

import logging
import os
import secrets
import socket

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
DEGRADED = "degraded"
# One key per process: two probes at the same moment must not read each other's token.
CACHE_KEY = f"baltmet:readyz:{socket.gethostname()}:{os.getpid()}"


def _uncached(response: HttpResponse) -> HttpResponse:
    # A cached "ok" would hide an outage from the balancer.
    add_never_cache_headers(response)
    return response


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return _uncached(HttpResponse(OK, content_type="text/plain; charset=utf-8"))


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        # Any failure means "not ready"; the reason goes to the log, not to the balancer.
        logger.warning("Readiness: the database does not answer: %s", error)
        return ERROR
    return OK


def cache_status() -> str:
    token = secrets.token_hex(8)
    try:
        cache.set(CACHE_KEY, token, timeout=30)
        answered = cache.get(CACHE_KEY)
    except Exception as error:
        logger.warning("Readiness: the cache does not answer: %s", error)
        return ERROR
    if answered != token:
        # django-redis with IGNORE_EXCEPTIONS answers None instead of raising.
        logger.warning("Readiness: the cache did not return the value just stored")
        return ERROR
    return OK


def overall_status(checks: dict[str, str]) -> str:
    if checks["database"] != OK:
        return ERROR
    return OK if checks["cache"] == OK else DEGRADED


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    checks = {"database": database_status(), "cache": cache_status()}
    status = overall_status(checks)
    return _uncached(
        JsonResponse({"status": status, **checks}, status=503 if status == ERROR else 200)
    )


# The probes by path, for the URL patterns and for HealthCheckMiddleware.
PROBES = {"/healthz": healthz, "/readyz": readyz}

urlpatterns = [
    path(probe_path.removeprefix("/"), view, name=view.__name__)
    for probe_path, view in PROBES.items()
]
