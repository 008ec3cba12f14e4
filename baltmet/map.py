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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "baltic-sea.geojson"

WIDTH = 800  # the SVG's user units; it scales to the width of its container
LABEL_SIZE = 15  # font size of the city names in the wide layout, in user units
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


@dataclass(frozen=True)
class LabelStyle:
    """How big a map draws its city names and markers, in user units."""

    name: str
    size: float
    radius: float


# The map scales to its container. Wide, its names are 15 units high (about 15 px on a
# desktop); in a container narrower than 35rem (a phone, a metropolis page's inset) 15 units
# would shrink to 6 px, so the narrow layout draws names and markers twice as large and
# places them anew, and site.css shows the one that fits the container.
WIDE = LabelStyle("wide", LABEL_SIZE, MARKER_RADIUS)
NARROW = LabelStyle("narrow", LABEL_SIZE * 2.2, MARKER_RADIUS * 2)
LABEL_STYLES = (WIDE, NARROW)


@dataclass(frozen=True)
class Label:
    style: LabelStyle
    x: float
    y: float
    anchor: str  # text-anchor: start, middle or end

    @property
    def svg(self) -> dict[str, str]:
        return {"x": f"{self.x:g}", "y": f"{self.y:g}"}


@dataclass
class Marker:
    page: object  # what the map shows of a metropolis (map_tags.MapEntry) or its page
    x: float
    y: float
    is_partner: bool
    labels: list[Label] = field(default_factory=list)  # one per LabelStyle

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def status(self) -> str:
        return self.page.get_status_display().lower()

    @property
    def svg(self) -> dict[str, str]:
        """The marker's coordinates, written for the SVG."""
        return {"x": f"{self.x:g}", "y": f"{self.y:g}"}

    def diamond(self, radius: float) -> str:
        """Points of the observers' diamond, a square turned on its corner."""
        r = radius + 1
        corners = (
            (self.x, self.y - r),
            (self.x + r, self.y),
            (self.x, self.y + r),
            (self.x - r, self.y),
        )
        return " ".join(f"{x:g},{y:g}" for x, y in corners)

    @property
    def symbols(self) -> list[dict[str, str]]:
        """The marker's symbol in each style: a circle's radius or a diamond's points."""
        return [
            {
                "style": style.name,
                "r": f"{style.radius:g}",
                "target": f"{style.radius * 2:g}",  # the clickable area around the symbol
                "points": self.diamond(style.radius),
            }
            for style in LABEL_STYLES
        ]


def position(metropolis, cities: dict[str, tuple[float, float]]) -> tuple[float, float] | None:
    """Natural Earth's position of the metropolis, else its page's own coordinates."""
    found = cities.get(metropolis.slug) or cities.get((metropolis.title or "").casefold())
    if found is not None:
        return found
    if metropolis.latitude is None or metropolis.longitude is None:
        return None
    return float(metropolis.longitude), float(metropolis.latitude)


def markers(metropolises, base: BaseMap | None = None) -> list[Marker]:
    """A marker per metropolis inside the frame, with its label placed clear of the others,
    in each label style."""
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
    for style in LABEL_STYLES:
        labels = place_labels(placed, base.width, base.height, style)
        for marker, label in zip(placed, labels, strict=True):
            marker.labels.append(label)
    return placed


def label_width(text: str, size: float) -> float:
    """A bold name's width, with room for the halo drawn around its letters."""
    return len(text) * size * 0.66 + size * 0.4


def label_box(label: Label, text: str) -> tuple[float, float, float, float]:
    """The space a label takes: left, top, right, bottom."""
    width = label_width(text, label.style.size)
    left = {"start": label.x, "end": label.x - width, "middle": label.x - width / 2}
    top = label.y - label.style.size * 0.9
    return (left[label.anchor], top, left[label.anchor] + width, top + label.style.size * 1.2)


def place_labels(placed: list[Marker], width: float, height: float, style: LabelStyle):
    """Greedy: each label goes right of its marker, else left, below or above (centred, then
    flush with either side, then a line further off), where it stays in the frame and overlaps
    neither a marker nor a label placed before it."""
    size, radius = style.size, style.radius
    gap = radius + 5
    boxes = [(m.x - gap, m.y - gap, m.x + gap, m.y + gap) for m in placed]
    labels = []
    for marker in placed:
        below, above = marker.y + gap + size * 0.8, marker.y - gap - size * 0.3
        options = [
            (marker.x + gap, marker.y + size * 0.35, "start"),
            (marker.x - gap, marker.y + size * 0.35, "end"),
            (marker.x, below, "middle"),
            (marker.x, above, "middle"),
            (marker.x + radius, below, "end"),
            (marker.x + radius, above, "end"),
            (marker.x - radius, below, "start"),
            (marker.x - radius, above, "start"),
            # Where neighbours crowd both sides (St. Petersburg beside Helsinki and Tallinn
            # in the narrow style), a line further off.
            (marker.x + radius, above - size * 1.2, "end"),
            (marker.x + radius, below + size * 1.2, "end"),
            (marker.x - radius, above - size * 1.2, "start"),
            (marker.x - radius, below + size * 1.2, "start"),
        ]
        own = (marker.x - gap, marker.y - gap, marker.x + gap, marker.y + gap)
        candidates = [Label(style, round(x, 1), round(y, 1), anchor) for x, y, anchor in options]
        chosen = None
        for label in candidates:
            box = label_box(label, marker.title)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and all(not overlap(box, other) for other in boxes if other != own):
                chosen = label
                boxes.append(box)
                break
        labels.append(chosen or candidates[0])  # crowded: keep the first choice, not no name
    return labels


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
