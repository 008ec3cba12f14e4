"""The Baltic Sea map: its data file, its markers and how pages include it."""

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

import pytest
import yaml
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from baltmet.map import (
    DATA_FILE,
    LABEL_STYLES,
    NARROW,
    WIDE,
    base_map,
    label_box,
    markers,
    overlap,
)
from partners.factories import MetropolisPageFactory
from partners.models import MetropolisPage, MetropolisStatus

SVG = "{http://www.w3.org/2000/svg}"
SEED = DATA_FILE.parent.parent / "seeding" / "content.yaml"


def seed_metropolises() -> list[dict]:
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))["partners"]["metropolises"]


def map_svg(html: str) -> ET.Element:
    """The map's <svg> element, parsed as XML (which fails on anything not well-formed)."""
    found = re.search(r'<svg class="baltic-map__svg".*?</svg>', html, re.S)
    assert found, "The page has no map"
    return ET.fromstring(found.group(0))


def marker_links(svg: ET.Element) -> list[ET.Element]:
    return svg.findall(f"{SVG}a")


# --- The data file -------------------------------------------------------------------------


def test_the_data_file_is_small_and_covers_the_region():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    kinds = [feature["properties"]["kind"] for feature in data["features"]]

    assert DATA_FILE.stat().st_size < 150_000
    assert data["bbox"] == [4.0, 51.0, 32.0, 62.0]
    assert kinds[:2] == ["land", "borders"]
    west, south, east, north = data["bbox"]
    for polygon in data["features"][0]["geometry"]["coordinates"]:
        for lon, lat in polygon[0]:
            assert west <= lon <= east and south <= lat <= north


def test_every_city_of_the_data_file_is_a_seeded_metropolis_inside_the_frame():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    seeded = {entry["slug"]: entry["title"] for entry in seed_metropolises()}
    cities = [f for f in data["features"] if f["properties"]["kind"] == "city"]

    assert len(cities) >= 10
    for city in cities:
        properties = city["properties"]
        lon, lat = city["geometry"]["coordinates"]
        assert seeded[properties["slug"]] == properties["name"]
        assert properties["source"]  # which Natural Earth file the position comes from
        assert 4 <= lon <= 32 and 51 <= lat <= 62


def test_the_seed_coordinates_agree_with_natural_earth():
    """The pages' own coordinates stand in for a city missing from the data file, so they
    must be the same places (within about 10 km) as Natural Earth's."""
    cities = base_map().cities
    for entry in seed_metropolises():
        if entry["slug"] in cities:
            lon, lat = cities[entry["slug"]]
            assert abs(lon - entry["longitude"]) < 0.15, entry["slug"]
            assert abs(lat - entry["latitude"]) < 0.1, entry["slug"]


# --- Markers -------------------------------------------------------------------------------


def fake_metropolis(title, slug, lon, lat, partner=True):
    return SimpleNamespace(
        title=title,
        slug=slug,
        longitude=Decimal(str(lon)),
        latitude=Decimal(str(lat)),
        is_partner_city=partner,
        get_status_display=lambda: "Partner city" if partner else "Observer",
    )


def test_a_metropolis_in_the_data_file_is_placed_at_natural_earths_position():
    base = base_map()
    # The page's coordinates are wrong on purpose: the data file wins.
    riga = fake_metropolis("Riga", "riga", 10.0, 60.0)

    (marker,) = markers([riga], base)

    assert (marker.x, marker.y) == base.projection(*base.cities["riga"])


def test_a_metropolis_not_in_the_data_file_is_placed_at_its_own_coordinates():
    base = base_map()
    gdansk = fake_metropolis("Gdańsk", "gdansk", 18.6466, 54.352)

    (marker,) = markers([gdansk], base)

    assert (marker.x, marker.y) == base.projection(18.6466, 54.352)


def test_a_metropolis_outside_the_frame_gets_no_marker():
    assert markers([fake_metropolis("Madrid", "madrid", -3.7, 40.4)]) == []


@pytest.mark.parametrize("style", LABEL_STYLES, ids=lambda style: style.name)
def test_labels_of_the_eleven_metropolises_stay_in_the_frame_and_apart(style):
    base = base_map()
    cities = [
        fake_metropolis(e["title"], e["slug"], e["longitude"], e["latitude"])
        for e in seed_metropolises()
    ]

    placed = markers(cities, base)

    assert len(placed) == 11
    boxes = []
    for marker in placed:
        (label,) = [label for label in marker.labels if label.style is style]
        box = label_box(label, marker.title)
        assert box[0] >= 0 and box[2] <= base.width, marker.title
        assert box[1] >= 0 and box[3] <= base.height, marker.title
        boxes.append((box, marker.title))
    for i, (a, first) in enumerate(boxes):
        for b, second in boxes[i + 1 :]:
            assert not overlap(a, b), (first, second)
    # No label covers another city's marker either.
    for box, title in boxes:
        for marker in placed:
            if marker.title != title:
                assert not (box[0] < marker.x < box[2] and box[1] < marker.y < box[3]), (
                    title,
                    marker.title,
                )


def test_the_narrow_layout_draws_names_large_enough_for_a_phone():
    """At 320 px the map is 288 px wide: the narrow names must still be 11 px or more."""
    assert NARROW.size * 288 / base_map().width >= 11
    assert WIDE.size * 1100 / base_map().width >= 15 * 0.7  # a desktop's hero map


# --- Pages ---------------------------------------------------------------------------------


@pytest.fixture
def cities(site_tree):
    riga = MetropolisPageFactory(parent=site_tree.partners, title="Riga", slug="riga")
    oslo = MetropolisPageFactory(
        parent=site_tree.partners, title="Oslo", slug="oslo", status=MetropolisStatus.OBSERVER
    )
    hidden = MetropolisPageFactory(parent=site_tree.partners, title="Turku", slug="turku")
    hidden.unpublish()
    return SimpleNamespace(tree=site_tree, riga=riga, oslo=oslo, hidden=hidden)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["home", "partners"])
def test_the_map_has_one_accessible_link_per_published_metropolis(client, cities, page):
    html = client.get(getattr(cities.tree, page).url).content.decode()
    svg = map_svg(html)

    links = {link.get("href"): link for link in marker_links(svg)}

    assert set(links) == {cities.riga.url, cities.oslo.url}
    assert links[cities.riga.url].get("aria-label") == "Riga (partner city)"
    assert links[cities.oslo.url].get("aria-label") == "Oslo (observer)"
    assert "Turku" not in ET.tostring(svg, encoding="unicode")


@pytest.mark.django_db
def test_partner_cities_and_observers_differ_in_shape_and_class(client, cities):
    svg = map_svg(client.get(cities.tree.home.url).content.decode())
    links = {link.get("href"): link for link in marker_links(svg)}
    riga, oslo = links[cities.riga.url], links[cities.oslo.url]

    assert "baltic-map__marker--partner" in riga.get("class")
    assert "baltic-map__marker--observer" in oslo.get("class")
    # One symbol and one name in each layout, wide and narrow.
    assert len(riga.findall(f".//{SVG}circle[@class='baltic-map__symbol']")) == 2
    assert len(oslo.findall(f".//{SVG}polygon[@class='baltic-map__symbol']")) == 2
    labels = riga.findall(f"{SVG}text")
    assert [label.text for label in labels] == ["Riga", "Riga"]
    assert {label.get("class") for label in labels} == {
        "baltic-map__label baltic-map__wide",
        "baltic-map__label baltic-map__narrow",
    }


@pytest.mark.django_db
def test_the_map_names_itself_and_hides_the_drawing_from_screen_readers(client, cities):
    html = client.get(cities.tree.home.url).content.decode()
    svg = map_svg(html)

    assert svg.get("role") == "group"
    title = svg.find(f"{SVG}title")
    assert svg.get("aria-labelledby") == title.get("id")
    assert title.text.startswith("Map of the Baltic Sea region")
    (drawing,) = svg.findall(f"{SVG}g")
    assert drawing.get("aria-hidden") == "true"
    assert {child.get("class") for child in drawing} == {
        "baltic-map__sea",
        "baltic-map__land",
        "baltic-map__borders",
    }
    # The legend names both kinds of marker, and no style attribute is anywhere.
    legend = html[html.index('class="baltic-map__legend"') :]
    assert "Partner city" in legend and "Observer" in legend
    assert "style=" not in html[html.index('<figure class="baltic-map"') : html.index("</figure>")]


@pytest.mark.django_db
def test_a_metropolis_page_places_its_city_among_the_others_and_marks_it(client, cities):
    svg = map_svg(client.get(cities.riga.url).content.decode())
    links = {link.get("href"): link for link in marker_links(svg)}

    assert set(links) == {cities.riga.url, cities.oslo.url}
    assert links[cities.riga.url].get("aria-current") == "page"
    assert "baltic-map__marker--current" in links[cities.riga.url].get("class")
    assert links[cities.oslo.url].get("aria-current") is None
    assert svg.find(f"{SVG}title").text.startswith("Riga on the map")


@pytest.mark.django_db
def test_the_map_is_left_out_when_no_metropolis_is_published(client, site_tree):
    assert "baltic-map" not in client.get(site_tree.home.url).content.decode()


@pytest.mark.django_db
def test_the_map_runs_no_query_of_its_own(rf, cities):
    """Given the metropolises a page has already loaded, drawing the map costs nothing."""
    metropolises = list(MetropolisPage.objects.live().order_by("title"))
    request = RequestFactory().get("/")
    template = Template("{% load map_tags %}{% baltic_map metropolises %}")
    template.render(Context({"metropolises": metropolises, "request": request}))  # warm caches

    with CaptureQueriesContext(connection) as captured:
        html = template.render(Context({"metropolises": metropolises, "request": request}))

    assert len(captured.captured_queries) == 0
    assert len(marker_links(map_svg(html))) == 2
