"""The full-page cache for anonymous visitors.

It sits in MIDDLEWARE after the request ID and the health checks and before everything else,
so a hit costs one cache read (store.py), no database query and little Python. The security
headers (HSTS, Content-Security-Policy, ...) come from the middleware below it: they are
stored with the page, as they depend only on its path and the settings.

A request is looked up (and its response stored) only if it is a GET or HEAD without a
session cookie or Authorization header, outside ADMIN-like paths (EXCLUDED_PATHS), and with
a query string made only of known parameters (QUERY_PARAMETERS). The session cookie is only
looked at, never loaded: a visitor who still has one after logging out gets pages rendered
for them, correct but uncached, until the session ends.

A response is stored only if it is a 200 to a GET, rendered without a view restriction,
preview, cookie, CSRF token or private/no-store/no-cache Cache-Control, and showing only
content whose changes the cache follows (see tags.py). 404s are not stored: a crawler's
invented addresses would fill the cache, and redirects created later must win over them.

Headers:
- X-Cache: HIT (from the cache), MISS (rendered now, cacheable) or BYPASS (not cacheable);
- cacheable responses: `Cache-Control: public, max-age=0, must-revalidate` with an ETag and
  Last-Modified, so browsers and shared caches keep them but ask every time (a 304 costs
  two cache reads); X-Cache-Tags (what the response depends on) when it is stored; and,
  when PROXY_BAN_URL names the reverse proxy that receives bans, `Surrogate-Control:
  max-age=<seconds>` for that proxy alone (deploy/varnish/default.vcl removes both);
- pages for logged-in users: `Cache-Control: private, no-cache`.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.http import http_date

from . import store
from .tags import (
    ANY,
    TREE,
    Collector,
    collecting,
    essential,
    time_boundary_models,
    view_dependencies,
)

logger = logging.getLogger(__name__)

# The query parameters of the listings, the search and the API that may be cached; any
# other parameter (utm_*, a crawler's random one) makes the request bypass the cache.
QUERY_PARAMETERS = frozenset(
    {
        "page",
        "q",
        "type",
        "year",
        "tag",
        "metropolis",
        "partner",
        "work_package",
        "when",
        "city",
        "kind",
        "role",
    }
)
MAX_QUERY_LENGTH = 512
MAX_QUERY_FIELDS = 12
EXCLUDED_PATHS = (
    "/admin/",
    "/documents/",
    "/_util/",
    "/healthz",
    "/readyz",
    "/static/",
    "/media/",
)
# Longer X-Cache-Tags would not fit a proxy's header limits (Varnish: 8 KB); the proxy then
# gets `any`, which every change bans.
MAX_TAGS_HEADER = 4000
# Headers a stored response does not keep: the cache sets them itself on every response.
OWN_HEADERS = {
    "cache-control",
    "etag",
    "expires",
    "last-modified",
    "surrogate-control",
    "x-cache",
    "x-cache-tags",
}
CACHEABLE_CACHE_CONTROL = "public, max-age=0, must-revalidate"
# Stored pages of these types are also kept gzip-compressed (compressed once, when stored)
# for clients that accept it. Only stored pages: they hold no secret (no CSRF token, no
# session), so compressing them gives a BREACH attack nothing to find.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
)
MIN_COMPRESSED_BYTES = 200
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def normalized_query(request: HttpRequest) -> str | None:
    """The query string in a canonical order, or None if it must not be cached."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return ""
    if len(raw) > MAX_QUERY_LENGTH:
        return None
    try:
        pairs = parse_qsl(
            raw, keep_blank_values=True, strict_parsing=True, max_num_fields=MAX_QUERY_FIELDS
        )
    except ValueError:
        return None
    allowed = getattr(settings, "PAGE_CACHE_QUERY_PARAMETERS", QUERY_PARAMETERS)
    if any(name not in allowed for name, _ in pairs):
        return None
    # A stable sort: a repeated parameter keeps the order of its values, which views read.
    pairs.sort(key=lambda pair: pair[0])
    return urlencode(pairs)


def bypass_reason(request: HttpRequest) -> str:
    """Why the request must neither be answered from the cache nor stored; empty if it may."""
    if request.method not in ("GET", "HEAD"):
        return "method"
    path = request.path_info
    excluded = getattr(settings, "PAGE_CACHE_EXCLUDED_PATHS", EXCLUDED_PATHS)
    if any(path.startswith(prefix) or path == prefix.rstrip("/") for prefix in excluded):
        return "path"
    if "HTTP_AUTHORIZATION" in request.META:
        return "authorization"
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return "session"
    if normalized_query(request) is None:
        return "query"
    return ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def location(request: HttpRequest) -> str:
    """Scheme, host and path: the feeds and calendars write absolute URLs with them."""
    return f"{request.scheme}://{request.get_host()}{escape_uri_path(request.path)}"


def entry_key(request: HttpRequest) -> str:
    address = f"{location(request)}?{normalized_query(request)}"
    return f"{store.PREFIX}:entry:{store.code_version()}:{_digest(address)}"


def seconds_to_next_boundary() -> float | None:
    """Seconds until the next instant at which a page changes by itself (an event ends)."""
    now = timezone.now()
    nearest = None
    for model, fields in time_boundary_models():
        found = model._default_manager.aggregate(
            **{name: Min(name, filter=Q(**{f"{name}__gt": now})) for name in fields}
        )
        for value in found.values():
            if value is not None and (nearest is None or value < nearest):
                nearest = value
    return None if nearest is None else (nearest - now).total_seconds()


def _directives(header: str) -> set[str]:
    return {part.split("=", 1)[0].strip().lower() for part in header.split(",") if part.strip()}


def refusal(request: HttpRequest, response: HttpResponse, collector: Collector) -> str:
    """Why a rendered response must not be stored; empty if it may."""
    if collector.refused:
        return collector.refused
    if request.method != "GET":
        return "not a GET"
    if response.status_code != 200:
        return f"status {response.status_code}"
    if response.streaming:
        return "streaming response"
    if response.cookies:
        return "sets a cookie"
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return "uses a CSRF token"
    if getattr(request, "is_preview", False):
        return "preview"
    if _directives(response.get("Cache-Control", "")) & {"private", "no-store", "no-cache"}:
        return "the view forbids caching"
    if "*" in _directives(response.get("Vary", "")):
        return "Vary: *"
    return ""


def _tags_header(tags: list[str]) -> str:
    header = " ".join(tags)
    return header if len(header) <= MAX_TAGS_HEADER else f"{ANY} {TREE}"


def cacheable_headers(
    etag: str, stored_at: float, tags: list[str] | None, seconds_left: float
) -> list[tuple[str, str]]:
    """The caching headers of a stored (or storable) response; `tags` None if not stored."""
    headers = [
        ("Cache-Control", CACHEABLE_CACHE_CONTROL),
        ("ETag", etag),
        ("Last-Modified", http_date(stored_at)),
    ]
    if tags is not None:
        headers.append(("X-Cache-Tags", _tags_header(tags)))
        if settings.PROXY_BAN_URL and seconds_left >= 1:
            headers.append(("Surrogate-Control", f"max-age={int(seconds_left)}"))
    return headers


def gzipped(response: HttpResponse) -> bytes | None:
    """The response's body gzip-compressed, if it is text worth compressing."""
    if response.has_header("Content-Encoding") or len(response.content) < MIN_COMPRESSED_BYTES:
        return None
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if not content_type.startswith(COMPRESSIBLE_TYPES):
        return None
    compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
    return compressed if len(compressed) < len(response.content) else None


def accepts_gzip(meta: dict) -> bool:
    """Whether the request (its META, or a WSGI environ) accepts gzip."""
    return bool(ACCEPTS_GZIP.search(meta.get("HTTP_ACCEPT_ENCODING", "")))


def variant_etag(etag: str, compressed: bool) -> str:
    """The compressed body's ETag: weak, as Django's GZipMiddleware makes it."""
    return f"W/{etag}" if compressed and etag.startswith('"') else etag


def hit_answer(entry: dict, meta: dict) -> tuple[list[tuple[str, str]], bytes, str]:
    """Every header (but the request ID's), the body and the ETag of a response served from
    the cache, compressed if the entry has a compressed body and the client accepts it."""
    compressed = entry.get("gzip") if accepts_gzip(meta) else None
    body = compressed or entry["content"]
    etag = variant_etag(entry["etag"], compressed is not None)
    headers = [
        (name, value)
        for name, value in entry["headers"]
        if name.lower() not in ("vary", "content-length")
    ]
    headers.append(("Content-Length", str(len(body))))
    if compressed:
        headers.append(("Content-Encoding", "gzip"))
    vary = [value for name, value in entry["headers"] if name.lower() == "vary"]
    headers += cacheable_headers(
        etag, entry["stored_at"], entry["tags"], entry["expires_at"] - time.time()
    )
    headers.append(("Vary", vary_with(vary[0] if vary else "", *cache_vary(entry.get("gzip")))))
    headers.append(("X-Cache", "HIT"))
    return headers, body, etag


def cache_vary(compressed: bytes | None) -> tuple[str, ...]:
    """What a cacheable response varies on besides what its view says: the session cookie
    (whether it is served from the cache) and, if it has a compressed body, Accept-Encoding."""
    return ("Cookie", "Accept-Encoding") if compressed else ("Cookie",)


def vary_with(vary: str, *names: str) -> str:
    """A Vary header value with `names` added, as django.utils.cache.patch_vary_headers
    adds them."""
    fields = [field.strip() for field in vary.split(",") if field.strip()]
    present = {field.lower() for field in fields}
    fields += [name for name in names if name.lower() not in present]
    return ", ".join(fields)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            return self.get_response(request)
        reason = bypass_reason(request)
        if reason:
            return self.bypassed(request, self.get_response(request))
        key = entry_key(request)
        entry = store.fetch(key)
        if entry is not None and self.same_variant(request, entry):
            return self.hit(request, entry)
        epoch = store.current_epoch()
        with collecting() as collector:
            response = self.get_response(request)
        return self.miss(request, response, collector, key, epoch)

    # Answers -------------------------------------------------------------------------------

    def bypassed(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
        response["X-Cache"] = "BYPASS"
        return response

    def hit(self, request: HttpRequest, entry: dict) -> HttpResponse:
        headers, body, etag = hit_answer(entry, request.META)
        response = HttpResponse(body, status=entry["status"])
        for name, value in headers:
            response[name] = value
        return self.conditional(request, response, etag, entry["stored_at"])

    def miss(
        self,
        request: HttpRequest,
        response: HttpResponse,
        collector: Collector,
        key: str,
        epoch: int | None,
    ) -> HttpResponse:
        reason = refusal(request, response, collector)
        if reason:
            logger.debug("Page cache: %s not stored: %s", request.path, reason)
            response["X-Cache"] = "BYPASS"
            return response

        tags = set(collector.tags)
        if not collector.served_page:
            match = getattr(request, "resolver_match", None)
            tags |= view_dependencies(match.url_name if match else None)
        tags = sorted(essential(tags))

        timeout = settings.PAGE_CACHE_TIMEOUT
        boundary = seconds_to_next_boundary()
        if boundary is not None:
            timeout = min(timeout, int(boundary))
        stored_at = time.time()
        etag = response.get("ETag") or f'"{hashlib.md5(response.content).hexdigest()}"'
        vary = _directives(response.get("Vary", "")) - {"cookie"}
        compressed = gzipped(response)
        entry = {
            "status": response.status_code,
            "content": response.content,
            "gzip": compressed,
            "headers": [
                (name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS
            ],
            "etag": etag,
            "stored_at": stored_at,
            "tags": tags,
            "vary": {name: request.headers.get(name, "") for name in sorted(vary)},
        }
        stored = (
            not request.META.get("QUERY_STRING")
            or store.within_variant_budget(_digest(location(request)))
        ) and store.save(key, entry, tags, epoch, timeout)

        if compressed and accepts_gzip(request.META):
            response.content = compressed
            response["Content-Length"] = str(len(compressed))
            response["Content-Encoding"] = "gzip"
            etag = variant_etag(etag, compressed=True)
        for name, value in cacheable_headers(etag, stored_at, tags if stored else None, timeout):
            response[name] = value
        patch_vary_headers(response, cache_vary(compressed))
        response["X-Cache"] = "MISS"
        return self.conditional(request, response, etag, stored_at)

    # Headers -------------------------------------------------------------------------------

    def same_variant(self, request: HttpRequest, entry: dict) -> bool:
        """Whether the request's headers the response varies on (besides Cookie) match."""
        return all(request.headers.get(name, "") == value for name, value in entry["vary"].items())

    def conditional(
        self, request: HttpRequest, response: HttpResponse, etag: str, stored_at: float
    ) -> HttpResponse:
        """A 304 Not Modified if the client already has this version."""
        answer = get_conditional_response(
            request, etag=etag, last_modified=int(stored_at), response=response
        )
        if answer is not response:
            for name in ("X-Cache", "X-Cache-Tags", "Surrogate-Control"):
                if name in response:
                    answer[name] = response[name]
        return answer
