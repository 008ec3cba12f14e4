"""Key figures and their charts: `{% key_figures figures "caption" %}`, and
`{% with comparisons=figures|compare_sources %}`."""

import functools

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from baltmet import charts
from baltmet.written import KeyedByWhatItShows

register = template.Library()

# The figures a process keeps written: those of the home page and of each metropolis.
FIGURES_KEPT = 64


@register.filter
def compare_sources(figures):
    """The measures stated by more than one source, as bar chart rows (see baltmet.charts)."""
    return charts.compare_sources(figures)


class ShownFigures(KeyedByWhatItShows):
    """Key figures (with their sources loaded), keyed by the values of every field of each
    figure and of its source. The figures are let go once written: only the key is kept."""

    def __init__(self, figures):
        self.figures = list(figures or ())
        self.key = tuple((values_of(figure), values_of(figure.source)) for figure in self.figures)


def values_of(instance) -> tuple:
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


@register.simple_tag
def key_figures(figures, chart_caption: str = "") -> SafeString:
    """The figures grouped by source, with a chart of the measures that more than one source
    states (components/key_figures.html). About 2 ms of template work for the home page's
    figures, which change a few times a year: written once per process for what they state."""
    return written_figures(ShownFigures(figures), chart_caption, get_language())


@functools.lru_cache(maxsize=FIGURES_KEPT)
def written_figures(shown: ShownFigures, chart_caption: str, language: str | None) -> SafeString:
    html = render_to_string(
        "components/key_figures.html", {"figures": shown.figures, "chart_caption": chart_caption}
    )
    shown.figures = None
    return html
