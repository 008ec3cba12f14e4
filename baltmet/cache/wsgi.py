"""Page-cache hits answered before Django handles the request (baltmet/wsgi.py).

Through the middleware, a hit costs about as much again as reading the cache: Django's
request signals, the middleware chain and an HttpResponse built header by header. The plain
case is answered here instead, with the same status, headers and body the middleware would
send (both build them with `hit_answer`): a GET that the middleware would look up, whose
page is stored and unchanged, without conditional headers (If-None-Match, If-Modified-Since)
and for a page that varies on no request header but Cookie. Everything else (misses, 304s,
HEAD, variants, bypasses, a host Django would refuse) goes on to Django unchanged.

Like the middleware that runs first in Django (baltmet.ops.middleware), it gives the
response an X-Request-ID and writes the access-log line.
"""

from __future__ import annotations

import logging
import time
from http import HTTPStatus

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest

from baltmet.ops.logging import request_id
from baltmet.ops.middleware import REQUEST_ID_HEADER, incoming_request_id, log_access

from . import store
from .middleware import bypass_reason, enabled, entry_key, hit_answer

CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")

logger = logging.getLogger(__name__)


def stored_entry(environ: dict) -> tuple[WSGIRequest, dict] | None:
    """The request and the stored page that answers it as it is, if there is one."""
    if environ.get("REQUEST_METHOD") != "GET" or not enabled():
        return None
    if any(name in environ for name in CONDITIONAL_HEADERS):
        return None
    request = WSGIRequest(environ)
    try:
        if bypass_reason(request):
            return None
        key = entry_key(request)
    except DisallowedHost:
        return None  # Django answers 400
    entry = store.fetch(key)
    if entry is None or entry["vary"]:
        return None
    return request, entry


class CachedPages:
    """WSGI middleware around Django's application: serves stored pages directly."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        found = self.lookup(environ)
        if found is None:
            return self.application(environ, start_response)
        request, entry = found
        return self.answer(environ, start_response, request, entry, started)

    def lookup(self, environ: dict) -> tuple[WSGIRequest, dict] | None:
        try:
            return stored_entry(environ)
        except Exception:
            # Outside Django nothing turns an error into a response: let Django answer.
            logger.exception("Page cache: the lookup before Django failed")
            return None

    def answer(self, environ, start_response, request, entry: dict, started: float):
        rid = incoming_request_id(environ)
        token = request_id.set(rid)
        try:
            status = entry["status"]
            headers, body, _etag = hit_answer(entry, environ)
            start_response(
                f"{status} {HTTPStatus(status).phrase}", [*headers, (REQUEST_ID_HEADER, rid)]
            )
            log_access(request.method, request.path, status, started)
        finally:
            request_id.reset(token)
        return [body]
