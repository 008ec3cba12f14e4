"""The Baltic Sea map: `{% baltic_map metropolises %}` or `{% baltic_map partners observers %}`."""

import functools
from decimal import Decimal
from typing import NamedTuple

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from baltmet.map import base_map, markers

register = template.Library()

# The maps a process keeps drawn: one per set of metropolises shown (all, partners and
# observers), in each language.
MAPS_KEPT = 16


class MapEntry(NamedTuple):
    """What the map shows of a metropolis: the map drawn depends on these alone."""

    url: str
    slug: str
    title: str
    longitude: Decimal | None
    latitude: Decimal | None
    is_partner_city: bool
    status: str

    def get_status_display(self) -> str:
        return self.status


@register.simple_tag(takes_context=True)
def baltic_map(context, *groups) -> SafeString:
    """The map with a marker per metropolis in the groups, which the page has already loaded
    (querysets are evaluated once and reused by the page's own lists: no query of its own).
    Its SVG is 1.5 ms of template work and changes only with the metropolises it shows."""
    request = context.get("request")
    entries = tuple(
        MapEntry(
            url=metropolis.get_url(request),
            slug=metropolis.slug,
            title=metropolis.title,
            longitude=metropolis.longitude,
            latitude=metropolis.latitude,
            is_partner_city=metropolis.is_partner_city,
            status=metropolis.get_status_display(),
        )
        for group in groups
        for metropolis in group or ()
    )
    return drawn_map(entries, get_language())


@functools.lru_cache(maxsize=MAPS_KEPT)
def drawn_map(entries: tuple[MapEntry, ...], language: str | None) -> SafeString:
    """The map for these metropolises, drawn once per process (the language is part of the
    key: a status is named in it)."""
    base = base_map()
    placed = markers(entries, base)
    return render_to_string(
        "components/baltic_map.html",
        {
            "map": base,
            "markers": placed,
            "has_partners": any(marker.is_partner for marker in placed),
            "has_observers": any(not marker.is_partner for marker in placed),
        },
    )
