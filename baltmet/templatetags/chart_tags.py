"""Key figures: `{% key_figures figures "caption" %}` draws them as one table (baltmet.charts)."""

from django import template

from baltmet import charts

register = template.Library()


@register.inclusion_tag("components/key_figures.html")
def key_figures(figures, caption: str = ""):
    """The figures as a table, a column per source, with the sources' own words below."""
    figures = list(figures or ())
    return {"table": charts.figure_table(figures), "figures": figures, "caption": caption}
