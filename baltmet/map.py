"""The Baltic Sea map, drawn on the server as inline SVG from baltmet/data/baltic-sea.geojson.

The land and the borders are projected once per process. Markers are placed per request
from the metropolises the page already has: a metropolis is found in the data file by its
slug (then its title) and placed at Natural Earth's position for it; one that is not there
is placed at its page's own latitude and longitude. A metropolis outside the map's frame gets
no marker (it is still in the page's list of cities).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "baltic-sea.geojson"

WIDTH = 800  # the SVG's user units; it scales to the width of its container
LABEL_SIZE = 15  # font size of the city names, in user units (kept in step with site.css)
MARKER_RADIUS = 7


@dataclass(frozen=True)
class Projection:
    """Equirectangular, with longitudes shortened by cos(middle latitude): at 51-62°N this keeps
    shapes close to what people know from atlases, without a general-purpose GIS library."""

    west: float
    south: float
    east: float
    north: float

    @property
    def scale(self) -> float:
        return WIDTH / ((self.east - self.west) * self._shrink)

    @property
    def _shrink(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self) -> float:
        return round((self.north - self.south) * self.scale, 1)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) * self._shrink * self.scale
        y = (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


@dataclass(frozen=True)
class BaseMap:
    projection: Projection
    land: str  # SVG path data
    borders: str
    cities: dict[str, tuple[float, float]]  # (lon, lat) by slug and by case-folded name

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> float:
        return self.projection.height

    # Numbers for the SVG, written here as its path data is: a template would format each
    # one for the active language, which costs more than placing the markers.
    @property
    def svg_width(self) -> str:
        return f"{self.width:g}"

    @property
    def svg_height(self) -> str:
        return f"{self.height:g}"


def _path(rings, project, close: bool) -> str:
    parts = []
    for ring in rings:
        points = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + ("Z" if close else ""))
    return "".join(parts)


@cache
def base_map(path: Path = DATA_FILE) -> BaseMap:
    """The projected land, borders and city positions; read and projected once per process."""
    data = json.loads(path.read_text(encoding="utf-8"))
    west, south, east, north = data["bbox"]
    projection = Projection(west, south, east, north)
    land, borders, cities = "", "", {}
    for feature in data["features"]:
        kind = feature["properties"]["kind"]
        coordinates = feature["geometry"]["coordinates"]
        if kind == "land":
            land = _path([ring for polygon in coordinates for ring in polygon], projection, True)
        elif kind == "borders":
            borders = _path(coordinates, projection, False)
        elif kind == "city":
            position = tuple(coordinates[:2])
            cities[feature["properties"]["slug"]] = position
            cities[feature["properties"]["name"].casefold()] = position
    return BaseMap(projection, land, borders, cities)


@dataclass
class Marker:
    page: object  # what the map shows of a metropolis (map_tags.MapEntry) or its page
    x: float
    y: float
    is_partner: bool
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def status(self) -> str:
        return self.page.get_status_display().lower()

    @property
    def svg(self) -> dict[str, str]:
        """The marker's and its label's coordinates, written for the SVG."""
        names = ("x", "y", "label_x", "label_y")
        return {name: f"{getattr(self, name):g}" for name in names}

    @property
    def diamond(self) -> str:
        """Points of the observers' diamond, a square turned on its corner."""
        r = MARKER_RADIUS + 1
        corners = (
            (self.x, self.y - r),
            (self.x + r, self.y),
            (self.x, self.y + r),
            (self.x - r, self.y),
        )
        return " ".join(f"{x:g},{y:g}" for x, y in corners)


def position(metropolis, cities: dict[str, tuple[float, float]]) -> tuple[float, float] | None:
    """Natural Earth's position of the metropolis, else its page's own coordinates."""
    found = cities.get(metropolis.slug) or cities.get((metropolis.title or "").casefold())
    if found is not None:
        return found
    if metropolis.latitude is None or metropolis.longitude is None:
        return None
    return float(metropolis.longitude), float(metropolis.latitude)


def markers(metropolises, base: BaseMap | None = None) -> list[Marker]:
    """A marker per metropolis inside the frame, with its label placed clear of the others."""
    base = base or base_map()
    placed = []
    for metropolis in metropolises:
        found = position(metropolis, base.cities)
        if found is None or not base.projection.contains(*found):
            continue
        x, y = base.projection(*found)
        placed.append(Marker(metropolis, x, y, metropolis.is_partner_city))
    # Top to bottom, so labels of cities close together (Copenhagen and Malmö) fall apart.
    placed.sort(key=lambda marker: (marker.y, marker.x))
    _place_labels(placed, base.width, base.height)
    return placed


def _label_width(text: str) -> float:
    return len(text) * LABEL_SIZE * 0.58 + 4


def _place_labels(placed: list[Marker], width: float, height: float) -> None:
    """Greedy: each label goes right of its marker, else left, below or above (centred, then
    flush with either side), where it stays in the frame and overlaps neither a marker nor a
    label placed before it."""
    gap = MARKER_RADIUS + 5
    boxes = [(m.x - gap, m.y - gap, m.x + gap, m.y + gap) for m in placed]
    for marker in placed:
        w, h = _label_width(marker.title), LABEL_SIZE * 1.2
        below, above = marker.y + gap + LABEL_SIZE * 0.8, marker.y - gap - LABEL_SIZE * 0.3
        options = [
            (marker.x + gap, marker.y + LABEL_SIZE * 0.35, "start"),
            (marker.x - gap, marker.y + LABEL_SIZE * 0.35, "end"),
            (marker.x, below, "middle"),
            (marker.x, above, "middle"),
            (marker.x + MARKER_RADIUS, below, "end"),
            (marker.x + MARKER_RADIUS, above, "end"),
            (marker.x - MARKER_RADIUS, below, "start"),
            (marker.x - MARKER_RADIUS, above, "start"),
        ]
        chosen = None
        for lx, ly, anchor in options:
            left = {"start": lx, "end": lx - w, "middle": lx - w / 2}[anchor]
            box = (left, ly - LABEL_SIZE * 0.9, left + w, ly - LABEL_SIZE * 0.9 + h)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            own = (marker.x - gap, marker.y - gap, marker.x + gap, marker.y + gap)
            clear = all(not _overlap(box, other) for other in boxes if other != own)
            if inside and clear:
                chosen = (lx, ly, anchor, box)
                break
        if chosen is None:  # crowded: keep the first choice rather than drop the name
            lx, ly, anchor = options[0]
            chosen = (lx, ly, anchor, None)
        marker.label_x, marker.label_y, marker.anchor = (
            round(chosen[0], 1),
            round(chosen[1], 1),
            chosen[2],
        )
        if chosen[3] is not None:
            boxes.append(chosen[3])


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
