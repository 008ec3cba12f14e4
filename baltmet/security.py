"""HTTP security headers that Django 5.2 does not set itself, and the embed policy they imply.

`SecurityHeadersMiddleware` gives every response a Content-Security-Policy (unless the view
set one) and a Permissions-Policy:

- the public site gets a strict policy: scripts, styles, fonts and images from the site
  itself only, no inline script or style attribute, no plugins, no framing by other sites;
  frames only from the two video players that embeds may use (EMBED_FRAME_SOURCES);
- the Wagtail admin, and the page previews it shows in a frame of its own, get a relaxed
  policy, because Wagtail 8 still writes inline scripts and style attributes;
- documents keep the `default-src 'none'` policy of Wagtail's serve view; those sent as
  attachments (all but PDF) are also sandboxed, so a file opened from the browser's download
  list cannot run script on the site's origin.

Two admin pieces go with the policy: `PrivacyEnhancedOEmbedFinder` gives embeds only from
the players the policy frames (WAGTAILEMBEDS_FINDERS), and `StrictDraftailRichTextArea`
refuses forged rich text (WAGTAILADMIN_RICH_TEXT_EDITORS).

Django 6.0 has its own CSP middleware; the headers part is meant to be replaced by it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from draftjs_exporter.error import ExporterException
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.embeds.finders.oembed import OEmbedFinder

# Embeds come from these players only (see WAGTAILEMBEDS_FINDERS): YouTube through its
# "privacy-enhanced" domain, which sets no cookies until the video is played, and Vimeo with
# its do-not-track option.
YOUTUBE_NOCOOKIE = "https://www.youtube-nocookie.com"
VIMEO_PLAYER = "https://player.vimeo.com"
EMBED_FRAME_SOURCES = (YOUTUBE_NOCOOKIE, VIMEO_PLAYER)

SELF = "'self'"
NONE = "'none'"
UNSAFE_INLINE = "'unsafe-inline'"

Policy = Mapping[str, Iterable[str]]


def public_policy(media_origins: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """The policy of every page visitors see. JSON-LD blocks are data, so no script hash."""
    return {
        "default-src": (SELF,),
        "script-src": (SELF,),
        "style-src": (SELF,),
        "img-src": (SELF, "data:", *media_origins),
        "font-src": (SELF,),
        "frame-src": EMBED_FRAME_SOURCES,
        "object-src": (NONE,),
        "base-uri": (SELF,),
        "form-action": (SELF,),
        "frame-ancestors": (NONE,),
    }


def admin_policy(media_origins: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """The Wagtail admin's policy: inline script and style, but nothing from elsewhere.

    The admin frames its own previews (frame-ancestors 'self'), shows image previews from
    blob: URLs while uploading, and asks releases.wagtail.org, for administrators only,
    whether a newer Wagtail exists.
    """
    return {
        "default-src": (SELF,),
        "script-src": (SELF, UNSAFE_INLINE),
        "style-src": (SELF, UNSAFE_INLINE),
        "img-src": (SELF, "data:", "blob:", *media_origins),
        "font-src": (SELF, "data:"),
        "connect-src": (SELF, "https://releases.wagtail.org"),
        "frame-src": (SELF, *EMBED_FRAME_SOURCES),
        "object-src": (NONE,),
        "base-uri": (SELF,),
        "form-action": (SELF,),
        "frame-ancestors": (SELF,),
    }


def serialize(policy: Policy, *, upgrade_insecure_requests: bool = False) -> str:
    directives = [f"{name} {' '.join(sources)}" for name, sources in policy.items()]
    if upgrade_insecure_requests:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


# Deny every powerful feature the site never uses. Embedded players may still go full
# screen and picture-in-picture, and play protected media, when their frame allows it.
_PLAYERS = " ".join(f'"{origin}"' for origin in EMBED_FRAME_SOURCES)
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "bluetooth=()",
        "browsing-topics=()",
        "camera=()",
        "display-capture=()",
        f"encrypted-media=(self {_PLAYERS})",
        f"fullscreen=(self {_PLAYERS})",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "interest-cohort=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        f"picture-in-picture=(self {_PLAYERS})",
        "publickey-credentials-get=()",
        "screen-wake-lock=()",
        "serial=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)

# Wagtail's document view already sends this; attachments are sandboxed on top. PDF, shown
# inline, is not: Chromium's built-in viewer runs as a plugin, which a sandbox disables, and
# `default-src 'none'` already keeps the file from loading or running anything.
DOCUMENT_POLICY = "default-src 'none'"
DOCUMENT_ATTACHMENT_POLICY = "default-src 'none'; sandbox"


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response.

    A policy a view has set itself is kept. Place it high in MIDDLEWARE (after Django's
    SecurityMiddleware) so that responses from every later middleware get the headers too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        media_origins = tuple(getattr(settings, "CSP_MEDIA_ORIGINS", ()))
        upgrade = getattr(settings, "CSP_UPGRADE_INSECURE_REQUESTS", False)
        self.public = serialize(public_policy(media_origins), upgrade_insecure_requests=upgrade)
        self.admin = serialize(admin_policy(media_origins), upgrade_insecure_requests=upgrade)
        self.admin_prefix = reverse("wagtailadmin_home")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_document_file(request, response):
            protect_document(response)
        elif request.path_info.startswith(self.admin_prefix) or is_preview(request):
            response.setdefault("Content-Security-Policy", self.admin)
        else:
            response.setdefault("Content-Security-Policy", self.public)
        return response


def is_preview(request: HttpRequest) -> bool:
    """A page rendered for the admin's preview or moderation views.

    Wagtail runs it through the middleware as a request of its own to the page's public URL,
    and the admin shows the result in a frame.
    """
    return getattr(request, "is_dummy", False)


def is_document_file(request: HttpRequest, response: HttpResponse) -> bool:
    """A document's file, as opposed to the login redirect or password form that guard it."""
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == "wagtaildocs_serve"
        and response.has_header("Content-Disposition")
    )


def protect_document(response: HttpResponse) -> None:
    if response["Content-Disposition"].startswith("attachment"):
        response["Content-Security-Policy"] = DOCUMENT_ATTACHMENT_POLICY
    else:
        response.setdefault("Content-Security-Policy", DOCUMENT_POLICY)
    response["X-Content-Type-Options"] = "nosniff"


YOUTUBE_EMBED = re.compile(r"https://(?:www\.)?youtube\.com/embed/")


class PrivacyEnhancedOEmbedFinder(OEmbedFinder):
    """oEmbed, with YouTube's players moved to the youtube-nocookie.com domain.

    That is the only YouTube domain the Content-Security-Policy lets the site frame.
    """

    def find_embed(self, url, max_width=None, max_height=None):
        embed = super().find_embed(url, max_width, max_height)
        if embed.get("html"):
            embed["html"] = YOUTUBE_EMBED.sub(f"{YOUTUBE_NOCOOKIE}/embed/", embed["html"])
        return embed


class StrictDraftailRichTextArea(DraftailRichTextArea):
    """Draftail, which turns a forged or broken submission into empty text instead of a 500.

    The editor always posts valid Draft.js JSON; anything else comes from a hand-made request.
    Wagtail would fail on it with a server error; here the field is left empty, so a required
    field says so and nothing of the submission is stored.
    """

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError, ExporterException):
            return ""
