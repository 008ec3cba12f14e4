"""Key figures as one table: a row per measure, a column per source (edition), oldest first.

The same measure stated by several sources (the two editions of the Pool of Potentials) is
read across a row; the years and sources head the columns, so a count is compared side by
side with its date. A share (unit "%") also gets a bar drawn on 0-100, so 25 % and 47 % look
as different as they are; counts get no bar, because an inhabitant count and a number of
universities have no common axis, and a bar scaled to its row's largest value would make
21 and 25 million look like a fifth and the whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

SHARE_UNIT = "%"


# Qualifiers a narrow table shows shortened, in an <abbr> that names them in full.
SHORT_QUALIFIERS = {"approximately": _("approx.")}


@dataclass
class Cell:
    figure: object  # a KeyFigure, its source preloaded

    @property
    def short_qualifier(self) -> str:
        qualifier = self.figure.qualifier.strip()
        return str(SHORT_QUALIFIERS.get(qualifier.casefold(), ""))

    @property
    def share(self) -> str:
        """The bar's length for a share, 0-100, written for the SVG; empty for a count."""
        value = self.figure.value
        if self.figure.unit.strip() != SHARE_UNIT or value is None:
            return ""
        return f"{float(min(max(value, Decimal(0)), Decimal(100))):g}"


@dataclass
class Row:
    measure: str
    unit: str
    cells: list[Cell | None] = field(default_factory=list)  # one per column; None: not stated


@dataclass
class Column:
    source: object
    label: str  # the year, or title and year where two sources share the year


@dataclass
class FigureTable:
    columns: list[Column]
    rows: list[Row]

    def __bool__(self) -> bool:
        return bool(self.rows)


def source_label(source, sources) -> str:
    """The source's year, or its title and year where two sources share the year."""
    same_year = [other for other in sources if other.year == source.year]
    if not source.year:
        return source.title
    return str(source.year) if len(same_year) == 1 else f"{source.title} ({source.year})"


def figure_table(figures) -> FigureTable:
    """The figures as rows by measure (in the order first stated) and columns by source.

    A measure is the same where its name (case aside) and unit are; a source that states a
    measure twice keeps the first statement in the table.
    """
    figures = list(figures or ())
    sources = {}
    for figure in figures:
        sources.setdefault(figure.source_id, figure.source)
    # Key figures' sources have years; an undated one (entered by mistake) comes first.
    ordered = sorted(sources.items(), key=lambda item: (item[1].year or 0, item[1].title))
    position = {source_id: index for index, (source_id, _) in enumerate(ordered)}
    columns = [Column(source, source_label(source, sources.values())) for _, source in ordered]
    rows: dict[tuple[str, str], Row] = {}
    for figure in figures:
        key = (figure.measure.strip().casefold(), figure.unit.strip())
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(figure.measure, figure.unit, [None] * len(columns))
        index = position[figure.source_id]
        if row.cells[index] is None:
            row.cells[index] = Cell(figure)
    return FigureTable(columns, list(rows.values()))
