"""Bar charts of key figures: what is compared, and that the bars say what the table says."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from baltmet.charts import compare_sources
from baltmet.factories import FigureSourceFactory
from baltmet.home.factories import HomePageKeyFigureFactory
from partners.factories import MetropolisKeyFigureFactory, MetropolisPageFactory

BROCHURE = SimpleNamespace(title="Brochure", year=2007)
PRESENTATION = SimpleNamespace(title="Presentation", year=2008)


def figure(measure, value, source, unit="million", pk=None):
    return SimpleNamespace(
        pk=pk,
        measure=measure,
        value=None if value is None else Decimal(value),
        unit=unit,
        source=source,
        source_id=id(source),
    )


def test_a_measure_stated_by_two_sources_is_compared_oldest_first():
    figures = [
        figure("Inhabitants", "25", PRESENTATION),
        figure("Inhabitants", "21", BROCHURE),
    ]

    (comparison,) = compare_sources(figures)

    assert comparison.measure == "Inhabitants"
    assert [(bar.label, bar.value, bar.percent) for bar in comparison.bars] == [
        ("2007", Decimal("21"), 84.0),
        ("2008", Decimal("25"), 100.0),
    ]


@pytest.mark.parametrize(
    "figures",
    [
        [figure("Universities", "92", BROCHURE)],  # stated once
        [figure("Universities", "92", BROCHURE), figure("Universities", "9", BROCHURE)],
        [
            figure("Budget", "43", BROCHURE, "EUR billion"),
            figure("Budget", "43", PRESENTATION, "%"),
        ],
        [figure("Research centres", "86", BROCHURE), figure("Institutions", "800", PRESENTATION)],
        [figure("Companies", None, BROCHURE), figure("Companies", "12", PRESENTATION)],
    ],
    ids=["one source", "same source", "other unit", "other measure", "no value"],
)
def test_figures_that_do_not_compare_are_not_charted(figures):
    assert compare_sources(figures) == []


def test_each_measure_has_its_own_scale_and_shares_are_drawn_on_0_to_100():
    figures = [
        figure("Inhabitants", "21", BROCHURE),
        figure("Inhabitants", "25", PRESENTATION),
        figure("Share", "47", BROCHURE, "%"),
        figure("Share", "25", PRESENTATION, "%"),
    ]

    people, share = compare_sources(figures)

    assert max(bar.percent for bar in people.bars) == 100.0
    # 47 % and 25 % are 47 and 25 of 100, not "the longest bar" and a half of it.
    assert [bar.percent for bar in share.bars] == [47.0, 25.0]


def test_sources_of_the_same_year_are_told_apart_by_title():
    spring = SimpleNamespace(title="Spring report", year=2008)
    figures = [figure("Inhabitants", "25", PRESENTATION), figure("Inhabitants", "24", spring)]

    (comparison,) = compare_sources(figures)

    assert {bar.label for bar in comparison.bars} == {
        "Presentation (2008)",
        "Spring report (2008)",
    }


def chart_rows(html: str) -> list[tuple[str, float, float, str]]:
    """(source label, bar length, bar value, text) of each bar of the page's chart."""
    chart = html[html.index('<table class="chart__table">') : html.index("</table>")]
    rows = re.findall(
        r'<th scope="row" class="chart__source">.*?</span>(.*?)</th>.*?'
        r'<rect width="([\d.]+)" height="10" data-value="([\d.]+)"/>.*?'
        r'<span class="chart__value">(.*?)</span>',
        chart,
        re.S,
    )
    return [(label, float(width), float(value), text) for label, width, value, text in rows]


@pytest.mark.django_db
def test_the_home_page_charts_both_editions_and_the_bars_match_the_figures(client, home_page):
    brochure = FigureSourceFactory(title="Brochure", year=2007)
    presentation = FigureSourceFactory(title="Presentation", year=2008)
    for source, inhabitants, universities in ((brochure, "21", "92"), (presentation, "25", "130")):
        HomePageKeyFigureFactory(
            page=home_page, source=source, measure="Inhabitants", value=Decimal(inhabitants)
        )
        HomePageKeyFigureFactory(
            page=home_page,
            source=source,
            measure="Universities",
            value=Decimal(universities),
            unit="",
            qualifier="more than" if source is presentation else "",
        )
    HomePageKeyFigureFactory(page=home_page, source=brochure, measure="Science centres")

    html = client.get(home_page.url).content.decode()
    rows = chart_rows(html)

    assert [(label, text) for label, _, _, text in rows] == [
        ("2007", "21 million"),
        ("2008", "25 million"),
        ("2007", "92"),
        ("2008", "more than 130"),
    ]
    for pair in (rows[:2], rows[2:]):
        longest = max(value for _, _, value, _ in pair)
        for _, width, value, _ in pair:
            assert width == pytest.approx(value / longest * 100, abs=0.1)
    # Every charted value is also in the figures' own list, with its statement.
    for _, _, _, text in rows:
        assert f'<dd class="figures__value">{text}</dd>' in html
    assert "Science centres" not in html[html.index("chart__table") : html.index("</table>")]
    assert html.index("chart__table") < html.index("figures__list")


@pytest.mark.django_db
def test_a_metropolis_with_figures_from_one_source_has_no_chart(client, site_tree):
    helsinki = MetropolisPageFactory(parent=site_tree.partners, title="Helsinki")
    source = FigureSourceFactory(year=2007)
    MetropolisKeyFigureFactory(page=helsinki, source=source, measure="Universities")
    MetropolisKeyFigureFactory(page=helsinki, source=source, measure="Students")

    html = client.get(helsinki.url).content.decode()

    assert "figures__list" in html
    assert "chart__table" not in html
