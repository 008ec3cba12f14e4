from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from baltmet.factories import FigureSourceFactory
from baltmet.home.factories import HomePageKeyFigureFactory
from baltmet.home.models import HomePageKeyFigure
from partners.factories import MetropolisKeyFigureFactory
from partners.models import MetropolisKeyFigure

NNBSP = "\u202f"  # narrow no-break space, the thousands separator

DISPLAY_VALUE_CASES = [
    # qualifier, value, unit, expected
    ("approximately", "400", "EUR billion", "approximately 400 EUR billion"),
    ("", "47", "%", "47%"),
    ("", "21", "million", "21 million"),
    ("more than", "21", "million", "more than 21 million"),
    ("", "400.00", "km²", "400 km²"),
    ("", "2.50", "%", "2.5%"),
    ("", "0.5", "", "0.5"),
    ("", "1500000", "", f"1{NNBSP}500{NNBSP}000"),
    ("almost", "12000", "companies", f"almost 12{NNBSP}000 companies"),
    ("", None, "million", ""),
    ("about", None, "", ""),
]


@pytest.mark.parametrize(("qualifier", "value", "unit", "expected"), DISPLAY_VALUE_CASES)
def test_display_value(qualifier, value, unit, expected):
    figure = HomePageKeyFigure(
        measure="Measure",
        qualifier=qualifier,
        value=None if value is None else Decimal(value),
        unit=unit,
    )

    assert figure.display_value == expected
    assert str(figure) == f"Measure: {expected}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "model"),
    [
        (HomePageKeyFigureFactory, HomePageKeyFigure),
        (MetropolisKeyFigureFactory, MetropolisKeyFigure),
    ],
    ids=["home page", "metropolis"],
)
def test_figures_keep_their_source_and_year(factory, model):
    older = FigureSourceFactory(title="Brochure", year=2012)
    newer = FigureSourceFactory(title="Brochure", year=2014)
    first = factory(measure="Inhabitants", value=Decimal("8"), source=older)
    factory(page=first.page, measure="Inhabitants", value=Decimal("9"), source=newer)

    figures = model.objects.filter(page=first.page, measure="Inhabitants")
    assert sorted((f.source.year, f.value) for f in figures) == [
        (2012, Decimal("8")),
        (2014, Decimal("9")),
    ]
    assert str(newer) == "Brochure (2014)"
    with pytest.raises(ProtectedError):
        older.delete()  # A source cannot go while a figure still cites it.
