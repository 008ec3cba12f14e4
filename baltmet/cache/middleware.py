"""The page cache middleware: anonymous GET and HEAD requests answered from Django's cache.

A request is looked up, and its response stored, when it is a GET or HEAD without a session
cookie or Authorization header, outside the admin-like paths, and its query string holds
only the listings' and the search's parameters. Its key is the release, the generation
(generation.py), the scheme, host, path and the query string in a canonical order.

A response is stored when it is a 200 to a GET that is not a preview, sets no cookie, used
no CSRF token (a form), allows caching and varies on nothing but Cookie and Accept-Encoding.
It is stored for PAGE_CACHE_TIMEOUT seconds at most, and never past the next moment a page
changes by itself (an event starts or ends). Compressible responses are stored gzipped only
(a client that does not accept gzip, rare, gets them decompressed).

It sits below the request ID, the 503 page and the health checks and above the security
headers, which are stored with the page. Every answer says X-Cache: HIT, MISS or BYPASS.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from . import generation

# The parameters of the listings, the search and the API; any other (utm_*, a crawler's
# random one) makes the request bypass the cache.
QUERY_PARAMETERS = frozenset(
    {"page", "q", "type", "year", "tag", "metropolis", "partner", "work_package", "when"}
    | {"city", "kind", "role"}
)
# Changes with the shape of a stored entry, so a new release never reads an old one.
KEY_PREFIX = "page.2"
MAX_QUERY_LENGTH = 512
MAX_QUERY_FIELDS = 12
EXCLUDED_PATHS = ("/admin/", "/documents/", "/_util/", "/static/", "/media/")
STORED_VARY = {"cookie", "accept-encoding"}
# Headers not stored: the cache writes them on every answer, or they are the request's own.
NOT_STORED = {"cache-control", "etag", "surrogate-control", "vary", "x-cache"}
NOT_STORED |= {"x-request-id", "content-length"}
CACHEABLE = "public, max-age=0, must-revalidate"
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def canonical_query(request: HttpRequest) -> str | None:
    """The query string with its parameters in order, or None if it must not be cached."""
    raw = request.META.get("QUERY_STRING", "")
    if len(raw) > MAX_QUERY_LENGTH:
        return None
    try:
        pairs = parse_qsl(
            raw,
            keep_blank_values=True,
            strict_parsing=bool(raw),
            max_num_fields=MAX_QUERY_FIELDS,
        )
    except ValueError:
        return None
    if any(name not in QUERY_PARAMETERS for name, _ in pairs):
        return None
    # A stable sort: a repeated parameter keeps the order of its values.
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def is_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(EXCLUDED_PATHS)
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cache_key(request: HttpRequest, query: str, current_generation: int) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{KEY_PREFIX}:{settings.PAGE_CACHE_RELEASE}:{current_generation}:{digest}"


def may_store(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = {
        part.split("=")[0].strip() for part in response.get("Cache-Control", "").lower().split(",")
    }
    vary = {part.strip() for part in response.get("Vary", "").lower().split(",") if part.strip()}
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and not getattr(request, "is_preview", False)
        and not cache_control & {"private", "no-cache", "no-store"}
        and vary <= STORED_VARY
    )


def stored_body(response: HttpResponse) -> dict:
    """The body as stored: gzipped when that makes it smaller."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if not response.has_header("Content-Encoding") and content_type.startswith(COMPRESSIBLE_TYPES):
        compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
        if len(compressed) < len(response.content):
            return {"body": compressed, "gzipped": True}
    return {"body": response.content, "gzipped": False}


def seconds_to_keep() -> int:
    seconds = settings.PAGE_CACHE_TIMEOUT
    next_change = generation.seconds_to_next_change()
    return seconds if next_change is None else max(0, min(seconds, int(next_change)))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE:
            return self.get_response(request)
        query = canonical_query(request)
        if query is None or not is_cacheable_request(request):
            return self.bypass(request, self.get_response(request))
        key = cache_key(request, query, generation.for_lookup())  # read before rendering
        entry = cache.get(key)
        if entry is not None:
            return self.answer(
                request, entry, "HIT", entry["seconds"] - (time.time() - entry["stored_at"])
            )
        response = self.get_response(request)
        if not may_store(request, response):
            return self.bypass(request, response)
        seconds = seconds_to_keep()
        entry = {
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED],
            "vary": response.get("Vary", ""),
            **stored_body(response),
            "etag": response.get("ETag") or f'"{hashlib.md5(response.content).hexdigest()}"',
            "stored_at": time.time(),
            # A feed's is its newest item's; a page's, when it was rendered.
            "last_modified": response.get("Last-Modified") or http_date(),
            "seconds": seconds,
        }
        if seconds:
            cache.set(key, entry, seconds)
        return self.answer(request, entry, "MISS", seconds)

    def bypass(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        response["X-Cache"] = "BYPASS"
        return response

    def answer(self, request: HttpRequest, entry: dict, outcome: str, seconds_left: float):
        """The stored response, gzipped if the client accepts it, or 304 if it has it."""
        accepts_gzip = ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        compressed = entry["gzipped"] and accepts_gzip
        body = entry["body"]
        if entry["gzipped"] and not accepts_gzip:
            body = gzip.decompress(body)
        response = HttpResponse(body, status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(body))
        etag = entry["etag"]
        if compressed:
            response["Content-Encoding"] = "gzip"
            etag = f"W/{etag}" if etag.startswith('"') else etag
        response["ETag"] = etag
        response["Last-Modified"] = entry["last_modified"]
        response["Cache-Control"] = CACHEABLE
        if entry["vary"]:
            response["Vary"] = entry["vary"]
        patch_vary_headers(
            response, ("Cookie", "Accept-Encoding") if entry["gzipped"] else ("Cookie",)
        )
        if settings.PROXY_BAN_URL and seconds_left >= 1:
            # For the reverse proxy alone (deploy/varnish/default.vcl removes it).
            response["Surrogate-Control"] = f"max-age={int(seconds_left)}"
        response["X-Cache"] = outcome
        conditional = get_conditional_response(
            request,
            etag=etag,
            last_modified=parse_http_date_safe(entry["last_modified"]),
            response=response,
        )
        if conditional is not response:
            conditional["X-Cache"] = outcome
        return conditional
