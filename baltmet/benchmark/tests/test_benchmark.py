"""The science-park benchmark: shipped empty with a clear empty state; once editors enter
criteria and parks, visitors compare the parks they choose in a table with bars."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from baltmet.benchmark.factories import (
    BenchmarkPageFactory,
    BenchmarkValueFactory,
    CriterionFactory,
    ScienceParkFactory,
)
from baltmet.benchmark.models import BenchmarkPage, Criterion, SciencePark
from baltmet.factories import FigureSourceFactory
from baltmet.seeding.loader import load_seed_content
from tests.helpers import BUDGET, queries

pytestmark = pytest.mark.django_db


def table(html: str) -> list[list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in soup.select(".benchmark-table tr")
    ]


def test_the_seeded_benchmark_is_empty_and_says_why(client):
    load_seed_content()
    page = BenchmarkPage.objects.get()
    html = client.get(page.url).content.decode()
    assert "No benchmark data yet" in html
    assert "name neither the success criteria nor the six science parks" in html
    assert "benchmark-table" not in html
    # Nothing invented: no criterion, no park.
    assert not Criterion.objects.exists() and not SciencePark.objects.exists()


@pytest.fixture
def benchmark(home_page):
    page = BenchmarkPageFactory(parent=home_page)
    companies = CriterionFactory(name="Companies", unit="companies", sort_order=1)
    occupancy = CriterionFactory(name="Occupancy", unit="%", sort_order=2)
    source = FigureSourceFactory(title="Benchmark study", year=2007)
    north, south, east = (ScienceParkFactory(name=n) for n in ("North Park", "South Park", "East"))
    for park, count, share in ((north, 100, 80), (south, 50, 95)):
        BenchmarkValueFactory(park=park, criterion=companies, value=Decimal(count), source=source)
        BenchmarkValueFactory(park=park, criterion=occupancy, value=Decimal(share), source=source)
    # A later value replaces the earlier one in the comparison.
    BenchmarkValueFactory(
        park=north, criterion=companies, value=Decimal(120), year=2008, source=source
    )
    BenchmarkValueFactory(park=east, criterion=occupancy, value=Decimal(60), source=source)
    return page


def test_every_park_is_compared_by_default_with_its_latest_values(client, benchmark):
    rows = table(client.get(benchmark.url).content.decode())
    assert rows[0] == ["Criterion", "East", "North Park", "South Park"]
    assert rows[1][0].startswith("Companies")
    assert rows[1][1:] == ["– no value", "120 companies (2008)", "50 companies (2007)"]
    assert rows[2][1:] == ["60% (2007)", "80% (2007)", "95% (2007)"]


def test_a_visitor_chooses_the_parks_to_compare(client, benchmark):
    north = SciencePark.objects.get(name="North Park")
    south = SciencePark.objects.get(name="South Park")
    html = client.get(f"{benchmark.url}?park={north.pk}&park={south.pk}").content.decode()
    assert table(html)[0] == ["Criterion", "North Park", "South Park"]
    soup = BeautifulSoup(html, "html.parser")
    checked = {box["value"] for box in soup.select("input[name=park][checked]")}
    assert checked == {str(north.pk), str(south.pk)}


def test_the_bars_share_an_axis_from_zero_per_criterion(client, benchmark):
    soup = BeautifulSoup(client.get(benchmark.url).content, "html.parser")
    companies = soup.select(".benchmark-table tbody tr")[0]
    widths = [rect["width"] for rect in companies.select("rect")]
    assert widths == ["100.0", "41.7"]  # 120 and 50 companies


@pytest.mark.parametrize("query", ["park=999999", "park=abc", "park=%00", "park=" + "9" * 400])
def test_a_park_not_in_the_benchmark_is_left_out_with_a_notice(client, benchmark, query):
    response = client.get(f"{benchmark.url}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not in the benchmark" in html
    assert table(html)[0] == ["Criterion", "East", "North Park", "South Park"]


def test_the_benchmark_costs_the_same_with_more_parks(client, benchmark, settings):
    settings.PAGE_CACHE = False
    before = queries(client, benchmark.url)
    criterion = Criterion.objects.first()
    for _ in range(4):
        BenchmarkValueFactory(criterion=criterion)
    assert queries(client, benchmark.url) == before <= BUDGET


def test_the_api_gives_the_values_with_their_sources(client, benchmark):
    data = client.get(f"/api/v2/pages/{benchmark.pk}/").json()
    parks = {park["name"]: park for park in data["benchmark"]["parks"]}
    assert {v["source"] for v in parks["East"]["values"]} == {"Benchmark study (2007)"}
    assert [c["name"] for c in data["benchmark"]["criteria"]] == ["Companies", "Occupancy"]
