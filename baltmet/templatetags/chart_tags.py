"""Charts of key figures: `{% with comparisons=figures|compare_sources %}`."""

from django import template

from baltmet import charts

register = template.Library()


@register.filter
def compare_sources(figures):
    """The measures stated by more than one source, as bar chart rows (see baltmet.charts)."""
    return charts.compare_sources(figures)
