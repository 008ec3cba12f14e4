"""Malformed form posts answer 400, never 500, and change nothing.

Wagtail reads a StreamField (and a ListBlock inside it) from counters the admin's editor
sends with the form: `body-count`, then `body-0-type`, `body-0-deleted`, ... A post without
them, or with a counter that is no number, raised KeyError or ValueError deep inside the
form: a 500 that an editor's session, or a script using it, could cause at will.
"""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDictKeyError
from django.views.defaults import bad_request

# A block counter ("body-count") or a block's position ("body-0-order"), which Wagtail reads
# with int(). Its value must be a number an editor could send; the editor caps a StreamField
# far below this.
COUNTER_NAME = re.compile(r"-(count|[0-9]+-order)$")
COUNTER_VALUE = re.compile(r"[0-9]{1,4}")
# Only the admin's forms are read this way; elsewhere a missing key is our own bug, and
# must stay a 500 that is mailed to ADMINS.
ADMIN_PREFIX = "/admin/"

logger = logging.getLogger(__name__)


def has_malformed_counter(data) -> bool:
    return any(
        not COUNTER_VALUE.fullmatch(value)
        for name in data
        if COUNTER_NAME.search(name)
        for value in data.getlist(name)
    )


class MalformedFormPostMiddleware:
    """400 for a POST whose block counters are no numbers, or for an admin form post that
    lacks a field the form reads by name (Django's MultiValueDictKeyError: the client left
    it out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # After CsrfViewMiddleware, which has read the POST data already.
        if request.method == "POST" and has_malformed_counter(request.POST):
            return bad_request(request, ValueError("a block counter is not a number"))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception):
        if (
            request.method == "POST"
            and request.path.startswith(ADMIN_PREFIX)
            and isinstance(exception, MultiValueDictKeyError)
        ):
            logger.warning("A form post to %s lacked a field: %s", request.path, exception)
            return bad_request(request, exception)
        return None
