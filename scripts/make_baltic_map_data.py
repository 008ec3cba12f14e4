#!/usr/bin/env python3
"""Make baltmet/data/baltic-sea.geojson: the land, borders and cities of the Baltic Sea map.

Everything comes from Natural Earth (public domain, https://www.naturalearthdata.com/):

* land and country borders from the npm package `world-atlas` 2.x (Natural Earth 1:50m
  admin-0 countries as TopoJSON, packaged under the ISC licence):

      npm pack world-atlas@2 && tar xzf world-atlas-*.tgz     # gives package/countries-50m.json

* city positions from Natural Earth "populated places" files, GeoJSON or ESRI shapefile
  (points). geopandas 0.14 ships the 1:110m edition (`pip download --no-deps
  geopandas==0.14.4`, then unzip geopandas/datasets/naturalearth_cities/); the 1:50m and
  1:10m editions are on the Natural Earth site. Give several with --places: the first file
  that has a city wins, and a city found in none is left out (the map then places it at its
  page's own latitude and longitude).

The land is clipped to the map's frame, simplified (Douglas-Peucker) and rounded, so the
committed file stays small. Standard library only; run it with any Python 3.11:

    python3 scripts/make_baltic_map_data.py --countries package/countries-50m.json \\
        --places naturalearth_cities.shp --places ne_50m_populated_places_simple.geojson
"""

from __future__ import annotations

import argparse
import itertools
import json
import struct
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "baltmet" / "data" / "baltic-sea.geojson"

# The map's frame in degrees: Oslo to St. Petersburg, Berlin and Warsaw to Helsinki.
WEST, EAST, SOUTH, NORTH = 4.0, 32.0, 51.0, 62.0
TOLERANCE = 0.01  # degrees; under a pixel at the size the map is drawn
DIGITS = 3  # about 100 m
MIN_RING_AREA = 0.002  # square degrees; drops islets smaller than a dot on the map

# The eleven metropolises: slug and title as in the seed content, then the names Natural
# Earth gives them (name, nameascii, namepar or namealt).
CITIES = [
    ("berlin", "Berlin", ["Berlin"]),
    ("copenhagen", "Copenhagen", ["Copenhagen", "København", "Kobenhavn"]),
    ("helsinki", "Helsinki", ["Helsinki"]),
    ("malmo", "Malmö", ["Malmö", "Malmo"]),
    ("oslo", "Oslo", ["Oslo"]),
    ("riga", "Riga", ["Riga"]),
    ("st-petersburg", "St. Petersburg", ["St. Petersburg", "Saint Petersburg"]),
    ("stockholm", "Stockholm", ["Stockholm"]),
    ("tallinn", "Tallinn", ["Tallinn"]),
    ("vilnius", "Vilnius", ["Vilnius"]),
    ("warsaw", "Warsaw", ["Warsaw", "Warszawa"]),
]
NAME_FIELDS = ("name", "nameascii", "namepar", "namealt", "name_en")


# --- TopoJSON ---------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (lon, lat), undoing quantisation and delta coding."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs, index: int) -> list[tuple[float, float]]:
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_from_arcs(arcs, indexes: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arc_points(arcs, index)
        ring.extend(points[1:] if ring else points)  # consecutive arcs share an end point
    return ring


def land_rings(topology: dict, arcs) -> list[list[tuple[float, float]]]:
    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            rings.extend(ring_from_arcs(arcs, ring) for ring in polygon)
    return rings


def border_lines(topology: dict, arcs) -> list[list[tuple[float, float]]]:
    """Arcs shared by two countries: the land borders (a coast belongs to one country only)."""
    owners: dict[int, set[int]] = {}
    for number, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    owners.setdefault(index if index >= 0 else ~index, set()).add(number)
    return [arcs[index] for index, countries in sorted(owners.items()) if len(countries) > 1]


# --- Geometry ---------------------------------------------------------------------------


def clip_ring(ring, west=WEST, east=EAST, south=SOUTH, north=NORTH):
    """Sutherland-Hodgman: the part of a polygon ring inside the frame (may be empty)."""
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    ]
    points = list(ring)
    for inside, crossing in edges:
        if not points:
            break
        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(crossing(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(crossing(previous, point))
            previous = point
        points = clipped
    return points


def _at_x(a, b, x):
    return (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _at_y(a, b, y):
    return (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def clip_line(line, west=WEST, east=EAST, south=SOUTH, north=NORTH):
    """The pieces of a polyline inside the frame (Liang-Barsky on each segment)."""
    pieces, current = [], []
    for a, b in itertools.pairwise(line):
        segment = _clip_segment(a, b, west, east, south, north)
        if segment is None:
            if len(current) > 1:
                pieces.append(current)
            current = []
            continue
        start, end = segment
        if current and current[-1] != start:
            if len(current) > 1:
                pieces.append(current)
            current = []
        if not current:
            current = [start]
        current.append(end)
    if len(current) > 1:
        pieces.append(current)
    return pieces


def _clip_segment(a, b, west, east, south, north):
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - west), (dx, east - x0), (-dy, y0 - south), (dy, north - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    start = a if low == 0 else (x0 + low * dx, y0 + low * dy)
    end = b if high == 1 else (x0 + high * dx, y0 + high * dy)
    return start, end


def simplify(points, tolerance=TOLERANCE):
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            px, py = points[index]
            if length == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if d > distance:
                farthest, distance = index, d
        if farthest is not None:
            keep[farthest] = True
            stack.extend([(first, farthest), (farthest, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def area(ring) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def rounded(points):
    out = []
    for x, y in points:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


# --- Populated places -------------------------------------------------------------------


def read_places(path: Path) -> list[tuple[dict, tuple[float, float]]]:
    """(properties, (lon, lat)) of each point in a GeoJSON file or an ESRI point shapefile."""
    if path.suffix.lower() == ".shp":
        return _read_shapefile(path)
    collection = json.loads(path.read_text(encoding="utf-8"))
    return [
        (
            {k.lower(): v for k, v in feature["properties"].items()},
            tuple(feature["geometry"]["coordinates"][:2]),
        )
        for feature in collection["features"]
        if feature.get("geometry") and feature["geometry"]["type"] == "Point"
    ]


def _read_shapefile(path: Path):
    shp = path.read_bytes()
    dbf = path.with_suffix(".dbf").read_bytes()
    count, header_length, record_length = struct.unpack("<IHH", dbf[4:12])
    fields, offset = [], 32
    while dbf[offset] != 0x0D:
        name = dbf[offset : offset + 11].split(b"\0")[0].decode("ascii").lower()
        fields.append((name, dbf[offset + 16]))
        offset += 32
    records = []
    for number in range(count):
        start = header_length + number * record_length + 1  # skip the deletion flag
        values, position = {}, start
        for name, length in fields:
            values[name] = dbf[position : position + length].decode("utf-8", "replace").strip()
            position += length
        records.append(values)
    points, offset = [], 100
    while offset < len(shp):
        content_length = struct.unpack(">i", shp[offset + 4 : offset + 8])[0] * 2
        points.append(struct.unpack("<dd", shp[offset + 12 : offset + 28]))
        offset += 8 + content_length
    return list(zip(records, points, strict=True))


def find_city(places, names: list[str]):
    wanted = {name.casefold() for name in names}
    for properties, point in places:
        candidates = set()
        for field in NAME_FIELDS:
            value = properties.get(field)
            if value:
                candidates.update(part.strip().casefold() for part in str(value).split("|"))
        if candidates & wanted:
            return point
    return None


# --- Main -------------------------------------------------------------------------------


def build(countries: Path, places_files: list[Path]) -> dict:
    topology = json.loads(countries.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)

    polygons = []
    for ring in land_rings(topology, arcs):
        clipped = clip_ring(ring)
        if len(clipped) < 4:
            continue
        simple = simplify([*clipped, clipped[0]])
        if len(simple) >= 4 and area(simple) >= MIN_RING_AREA:
            polygons.append([rounded(simple)])

    borders = []
    for line in border_lines(topology, arcs):
        for piece in clip_line(line):
            simple = rounded(simplify(piece))
            if len(simple) > 1:
                borders.append(simple)

    sources = [(path, read_places(path)) for path in places_files]
    cities, missing = [], []
    for slug, title, names in CITIES:
        for path, places in sources:
            point = find_city(places, names)
            if point is not None:
                lon, lat = point
                cities.append(
                    {
                        "type": "Feature",
                        "properties": {
                            "kind": "city",
                            "slug": slug,
                            "name": title,
                            "source": path.name,
                        },
                        "geometry": {
                            "type": "Point",
                            "coordinates": [round(lon, 4), round(lat, 4)],
                        },
                    }
                )
                break
        else:
            missing.append(title)
    if missing:
        print(f"Not found in any --places file: {', '.join(missing)}", file=sys.stderr)

    return {
        "type": "FeatureCollection",
        "bbox": [WEST, SOUTH, EAST, NORTH],
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": "land"},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            },
            {
                "type": "Feature",
                "properties": {"kind": "borders"},
                "geometry": {"type": "MultiLineString", "coordinates": borders},
            },
            *cities,
        ],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--countries", type=Path, required=True, help="world-atlas countries-50m.json"
    )
    parser.add_argument(
        "--places",
        type=Path,
        action="append",
        default=[],
        help="Natural Earth populated places (.geojson or .shp); repeatable",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = build(args.countries, args.places)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"Wrote {args.output} ({len(text) // 1024} KB, {len(data['features']) - 2} cities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
