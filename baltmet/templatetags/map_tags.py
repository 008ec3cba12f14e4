"""The Baltic Sea map: `{% baltic_map metropolises %}` or `{% baltic_map partners observers %}`."""

from django import template

from baltmet.map import base_map, markers

register = template.Library()


@register.inclusion_tag("components/baltic_map.html", takes_context=True)
def baltic_map(context, *groups):
    """The map with a marker per metropolis in the groups, which the page has already loaded
    (querysets are evaluated once and reused by the page's own lists: no query of its own)."""
    base = base_map()
    placed = markers([metropolis for group in groups for metropolis in group or ()], base)
    return {
        "request": context.get("request"),  # for the markers' links
        "map": base,
        "markers": placed,
        "has_partners": any(marker.is_partner for marker in placed),
        "has_observers": any(not marker.is_partner for marker in placed),
    }
