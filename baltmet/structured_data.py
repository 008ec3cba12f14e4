"""schema.org pieces the page types put together in their `structured_data()` methods
(SeoMixin in baltmet/models/pages.py), which the `page_meta` tag writes as JSON-LD."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin

SITE_NAME = "BaltMet Inno"
SITE_SHARE_IMAGE = "img/share.png"  # 1200×630, committed under static/
SITE_SHARE_IMAGE_SIZE = (1200, 630)
CONTEXT = "https://schema.org"


@dataclass(frozen=True)
class ShareImage:
    """An image to show when the page is shared (Open Graph), its URL relative to the site."""

    url: str
    width: int
    height: int
    alt: str

    def absolute(self, site_url: str) -> ShareImage:
        return ShareImage(absolute(site_url, self.url), self.width, self.height, self.alt)


def absolute(site_url: str, url: str) -> str:
    return urljoin(site_url, url) if site_url else url


TAG = re.compile(r"<[^>]+>")


def plain_text(value) -> str:
    """Words without markup: tags become spaces (paragraphs and list items stay apart),
    character references become characters, white space is collapsed. Site search reads
    pages' texts with it too."""
    return " ".join(html.unescape(TAG.sub(" ", str(value or ""))).split())


def postal_address(locality: str, country: str) -> dict:
    address = {"@type": "PostalAddress"}
    if locality:
        address["addressLocality"] = locality
    if country:
        address["addressCountry"] = country
    return address


def organisation_reference(organisation, request) -> dict:
    return {
        "@type": "Organization",
        "name": organisation.title,
        "url": organisation.get_full_url(request),
    }
