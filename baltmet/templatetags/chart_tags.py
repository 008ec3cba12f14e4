"""Key figures and their charts: `{% key_figures figures "caption" %}`, and
`{% with comparisons=figures|compare_sources %}`."""

from django import template

from baltmet import charts

register = template.Library()


@register.filter
def compare_sources(figures):
    """The measures stated by more than one source, as bar chart rows (see baltmet.charts)."""
    return charts.compare_sources(figures)


@register.inclusion_tag("components/key_figures.html")
def key_figures(figures, chart_caption: str = ""):
    """The figures grouped by source, with a chart of the measures that more than one source
    states."""
    return {"figures": list(figures or ()), "chart_caption": chart_caption}
