"""Bar charts of key figures, where a comparison means something.

Figures compare when they measure the same thing in the same unit: the same measure stated
by several sources (the two editions of the Pool of Potentials), or by several pages. Each
measure gets its own scale, because an inhabitant count and a share in per cent have no
common axis. A share (unit "%") is drawn on 0-100, so 25 % and 47 % look as different as
they are; a count is drawn against the largest of its measure. Figures without a value, and
measures stated only once, are not charted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SHARE_UNIT = "%"
SHARE_SCALE = Decimal(100)


@dataclass
class Bar:
    label: str  # what the bar stands for, e.g. the source's year
    figure: object  # the KeyFigure, for its display value and source
    percent: float  # length, 0-100: the share itself, or relative to the measure's largest

    @property
    def value(self) -> Decimal:
        return self.figure.value


@dataclass
class Comparison:
    measure: str
    unit: str
    bars: list[Bar] = field(default_factory=list)


def source_label(source, sources) -> str:
    """The source's year, or its title and year where two sources share the year."""
    same_year = [other for other in sources if other.year == source.year]
    return str(source.year) if len(same_year) == 1 else f"{source.title} ({source.year})"


def compare_sources(figures) -> list[Comparison]:
    """Measures stated with a value by two or more sources, in the order first stated.

    Within a measure the bars run from the oldest source to the newest.
    """
    groups: dict[tuple[str, str], list] = {}
    for figure in figures or ():
        if figure.value is None:
            continue
        key = (figure.measure.strip().casefold(), figure.unit.strip())
        groups.setdefault(key, []).append(figure)
    comparable = {
        key: members
        for key, members in groups.items()
        if len({figure.source_id for figure in members}) > 1
    }
    sources = {figure.source_id: figure.source for m in comparable.values() for figure in m}
    comparisons = []
    for members in comparable.values():
        members = sorted(members, key=lambda f: (f.source.year, f.source.title, f.pk or 0))
        comparison = Comparison(members[0].measure, members[0].unit)
        scale = SHARE_SCALE if comparison.unit == SHARE_UNIT else max(f.value for f in members)
        for figure in members:
            percent = float(figure.value / scale * 100) if scale > 0 else 0.0
            label = source_label(figure.source, sources.values())
            comparison.bars.append(Bar(label, figure, round(min(max(percent, 0.0), 100.0), 1)))
        comparisons.append(comparison)
    return comparisons
