"""Key figures as one table: a row per measure, a column per edition, shares on 0-100."""

import html as html_lib
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from baltmet.charts import figure_table
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


def cells(row):
    return [cell.figure.value if cell else None for cell in row.cells]


def test_a_measure_stated_by_two_sources_is_one_row_oldest_source_first():
    table = figure_table(
        [figure("Inhabitants", "25", PRESENTATION), figure("Inhabitants", "21", BROCHURE)]
    )

    assert [column.label for column in table.columns] == ["2007", "2008"]
    (row,) = table.rows
    assert row.measure == "Inhabitants"
    assert cells(row) == [Decimal("21"), Decimal("25")]


def test_a_measure_stated_once_leaves_the_other_edition_empty():
    table = figure_table(
        [figure("Universities", "92", BROCHURE), figure("Institutions", "800", PRESENTATION)]
    )

    assert [cells(row) for row in table.rows] == [[Decimal("92"), None], [None, Decimal("800")]]


@pytest.mark.parametrize(
    "figures, rows",
    [
        (
            [
                figure("Budget", "43", BROCHURE, "EUR billion"),
                figure("Budget", "43", BROCHURE, "%"),
            ],
            2,
        ),
        ([figure("Universities", "92", BROCHURE), figure("universities ", "130", PRESENTATION)], 1),
    ],
    ids=["another unit is another measure", "case and spaces do not matter"],
)
def test_what_makes_the_same_measure(figures, rows):
    assert len(figure_table(figures).rows) == rows


def test_only_shares_get_a_bar_and_it_is_drawn_on_0_to_100():
    table = figure_table(
        [
            figure("Inhabitants", "21", BROCHURE),
            figure("Inhabitants", "25", PRESENTATION),
            figure("Share", "47", BROCHURE, "%"),
            figure("Share", "25", PRESENTATION, "%"),
            figure("Odd share", "140", PRESENTATION, "%"),
        ]
    )

    people, share, odd = table.rows
    assert [cell.share for cell in people.cells] == ["", ""]
    # 47 % and 25 % are 47 and 25 of 100, not "the longest bar" and a half of it.
    assert [cell.share for cell in share.cells] == ["47", "25"]
    assert odd.cells[1].share == "100"


def test_sources_of_the_same_year_are_told_apart_by_title():
    spring = SimpleNamespace(title="Spring report", year=2008)
    table = figure_table(
        [figure("Inhabitants", "25", PRESENTATION), figure("Inhabitants", "24", spring)]
    )

    assert [column.label for column in table.columns] == [
        "Presentation (2008)",
        "Spring report (2008)",
    ]


def table_rows(html: str) -> list[list[str]]:
    """The text of each row of the page's key-figure table, measure first."""
    table = html[html.index('<table class="figure-table__table">') : html.index("</table>")]
    body = table[table.index("<tbody>") :]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    strip = lambda cell: html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split()))  # noqa: E731
    return [
        [strip(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


@pytest.mark.django_db
def test_the_home_page_shows_each_measure_once_with_both_editions_side_by_side(client, home_page):
    brochure = FigureSourceFactory(title="Brochure", year=2007)
    presentation = FigureSourceFactory(title="Presentation", year=2008)
    for source, inhabitants, share in ((brochure, "21", "47"), (presentation, "25", "25")):
        HomePageKeyFigureFactory(
            page=home_page, source=source, measure="Inhabitants", value=Decimal(inhabitants)
        )
        HomePageKeyFigureFactory(
            page=home_page,
            source=source,
            measure="R&D share",
            value=Decimal(share),
            unit="%",
            qualifier="more than" if source is presentation else "",
        )
    HomePageKeyFigureFactory(
        page=home_page, source=brochure, measure="Science centres", value=Decimal(86), unit=""
    )

    html = client.get(home_page.url).content.decode()

    assert html.count('<table class="figure-table__table">') == 1
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert "2007" in head and "Brochure" in head and "2008" in head and "Presentation" in head
    assert table_rows(html) == [
        ["Inhabitants", "21 million", "25 million"],
        ["R&D share", "47%", "more than 25%"],
        ["Science centres", "86", "– not stated"],
    ]
    bars = re.findall(r'<rect width="([\d.]+)" height="10"/>', html)
    assert bars == ["47", "25"]
    # The sources' own sentences are there once, under the table.
    assert html.count("figure-sources__list") == 2


@pytest.mark.django_db
def test_a_metropolis_with_figures_from_one_source_has_a_one_column_table(client, site_tree):
    helsinki = MetropolisPageFactory(parent=site_tree.partners, title="Helsinki")
    source = FigureSourceFactory(year=2007)
    MetropolisKeyFigureFactory(page=helsinki, source=source, measure="Universities")
    MetropolisKeyFigureFactory(page=helsinki, source=source, measure="Students")

    html = client.get(helsinki.url).content.decode()

    head = html[html.index("<thead>") : html.index("</thead>")]
    assert head.count('scope="col"') == 2  # the measure and the one source
    assert [row[0] for row in table_rows(html)] == ["Universities", "Students"]
