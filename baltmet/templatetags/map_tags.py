"""The Baltic Sea map: `{% baltic_map metropolises %}` or `{% baltic_map partners observers %}`."""

from django import template
from django.utils.translation import gettext_lazy as _

from baltmet.map import base_map, markers

register = template.Library()

DEFAULT_TITLE = _("Map of the Baltic Sea region with the metropolises of the network")


@register.inclusion_tag("components/baltic_map.html", takes_context=True)
def baltic_map(context, *groups, current=None, title=DEFAULT_TITLE):
    """The map with a marker per metropolis in the groups, which the page has already loaded
    (querysets are evaluated once and reused by the page's own lists: no query of its own).
    `current` is the metropolis whose page this is: its marker is marked as the current page."""
    base = base_map()
    placed = markers([metropolis for group in groups for metropolis in group or ()], base)
    return {
        "request": context.get("request"),  # for the markers' links
        "map": base,
        "title": title,
        "current": current,
        "markers": placed,
        "has_partners": any(marker.is_partner for marker in placed),
        "has_observers": any(not marker.is_partner for marker in placed),
    }
