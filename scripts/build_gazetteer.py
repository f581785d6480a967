"""Regenerate warlog/data/gazetteer/ucdp_places.tsv from the UCDP GED 19.1 Syria extract.

Usage: .venv/bin/python scripts/build_gazetteer.py [--ucdp CSV] [--out TSV] [--check]

Only facts are kept: a place name (its trailing "village"/"town"/"district"... descriptor
removed and kept as the kind), province, district, coordinates, UCDP's precision and how many
events UCDP put there (used to rank homonyms).  Rows are deduplicated by normalised name plus
coordinates rounded to 3 decimals, so one name at several places stays several places.
Syrian districts (UCDP's adm_2) are added on UCDP's own district point where it has one, else
on the mean of the district's places.  Output is sorted and carries no timestamp, so reruns
are byte-identical; it is gzipped only if it would exceed 1 MB.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from warlog.resolve.gazetteer import DATA_DIR, canonical_admin1  # noqa: E402
from warlog.resolve.placenames import normalise  # noqa: E402

DEFAULT_UCDP = REPO.parent / "shared" / "data" / "ucdp_ged191_syria.csv"
DEFAULT_OUT = DATA_DIR / "ucdp_places.tsv"
VERSION = 1
GZIP_ABOVE = 1_000_000
COLUMNS = (
    "name",
    "aliases",
    "lat",
    "lon",
    "country",
    "admin1",
    "admin2",
    "kind",
    "precision",
    "events",
)

# UCDP where_prec: 1 exact, 2 within ~25 km, 3 district, 4 province, 5 wider region, 6 country.
PRECISION = {1: "town", 2: "town", 3: "district", 5: "region"}
# Settlement and admin descriptors are not part of the name ("Teir Maaleh village").
STRIP = frozenset(
    {
        "village",
        "town",
        "city",
        "suburb",
        "district",
        "subdistrict",
        "governorate",
        "locality",
        "neighbourhood",
        "neighborhood",
    }
)
# Feature words are part of the name ("Tishreen oil field") but still say what it is.
FEATURES = frozenset(
    {
        "camp",
        "airport",
        "airbase",
        "base",
        "mountain",
        "hill",
        "hills",
        "field",
        "fields",
        "oilfield",
        "farm",
        "farms",
        "dam",
        "plain",
        "plains",
        "checkpoint",
        "island",
        "castle",
        "spring",
        "springs",
        "ruin",
        "factory",
        "area",
        "enclave",
        "pocket",
        "range",
        "border",
        "complex",
        "prison",
        "station",
        "reservoir",
        "junction",
        "plant",
        "brigade",
    }
)
LINEAR = re.compile(r"\b(road|highway|axis|between)\b", re.IGNORECASE)
COUNTRY_NAMES = frozenset({"Syria", "Iraq", "Turkey", "Lebanon", "Jordan", "Israel"})
PAREN = re.compile(r"\s*\(([^)]*)\)\s*")


@dataclass
class Place:
    names: Counter[str] = field(default_factory=Counter)
    aliases: dict[str, None] = field(default_factory=dict)
    kinds: Counter[str] = field(default_factory=Counter)
    admin1: Counter[str] = field(default_factory=Counter)
    admin2: Counter[str] = field(default_factory=Counter)
    precision: str = "town"
    lat: float = 0.0
    lon: float = 0.0
    events: int = 0


def top(counter: Counter[str]) -> str:
    """Most common value, ties broken alphabetically so the output is deterministic."""
    if not counter:
        return ""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def split_name(raw: str, precision: str) -> tuple[str, str, list[str]]:
    """(name, kind, aliases) of a UCDP where_coordinates value."""
    aliases = [a.strip() for a in PAREN.findall(raw) if a.strip()]
    name = PAREN.sub(" ", raw).strip()
    words = name.split()
    kind = "region" if precision == "region" else "place"
    if len(words) > 1:
        last = words[-1].lower()
        if last in STRIP:
            name = " ".join(words[:-1])
            if precision != "region":
                kind = last
        elif last in FEATURES and precision != "region":
            kind = last
    return name, kind, aliases


def district_name(adm2: str) -> tuple[str, list[str]]:
    """UCDP "Mintaqat Markaz Hamah district" -> ("Markaz Hamah", ["Hamah"])."""
    name = re.sub(r"\s+district$", "", adm2.strip(), flags=re.IGNORECASE)
    name = re.sub(r"^Mintaqat\s+", "", name)
    aliases = []
    if name.startswith("Markaz "):
        aliases.append(name.removeprefix("Markaz "))
    return name, aliases


def build(ucdp: Path) -> tuple[list[list[str]], str]:
    places: dict[tuple[str, float, float], Place] = {}
    district_points: dict[str, tuple[float, float]] = {}
    district_members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    district_admin1: dict[str, Counter[str]] = defaultdict(Counter)
    admin1_cache: dict[str, str] = {}
    digest = hashlib.sha256(ucdp.read_bytes()).hexdigest()
    with open(ucdp, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            prec = int(float(row["where_prec"]))
            raw = row["where_coordinates"].strip()
            if prec not in PRECISION or not raw:
                continue
            lat, lon = float(row["latitude"]), float(row["longitude"])
            adm1 = row["adm_1"].strip()
            if adm1 not in admin1_cache:
                admin1_cache[adm1] = canonical_admin1(adm1, "SY") or ""
            admin1 = admin1_cache[adm1]
            admin2 = district_name(row["adm_2"])[0] if row["adm_2"].strip() else ""
            if admin2:
                district_admin1[admin2][admin1] += 1
            precision = PRECISION[prec]
            if precision == "district":
                # UCDP's own point for the district, used below for the district entry.
                if admin2:
                    district_points.setdefault(admin2, (lat, lon))
                continue
            if LINEAR.search(raw) or raw in COUNTRY_NAMES:
                continue
            name, kind, aliases = split_name(raw, precision)
            key = (normalise(name), round(lat, 3), round(lon, 3))
            place = places.setdefault(key, Place(precision=precision, lat=lat, lon=lon))
            place.names[name] += 1
            place.aliases.update(dict.fromkeys(aliases))
            place.kinds[kind] += 1
            place.admin1[admin1] += 1
            place.admin2[admin2] += 1
            place.events += 1
            if precision == "town" and admin2:
                district_members[admin2].append((lat, lon))

    rows: list[list[str]] = []
    for place in places.values():
        name = top(place.names)
        aliases = [n for n in sorted(place.names) if n != name] + [
            a for a in place.aliases if a != name
        ]
        rows.append(
            [
                name,
                "|".join(dict.fromkeys(aliases)),
                f"{place.lat:.6f}",
                f"{place.lon:.6f}",
                "SY",
                top(place.admin1),
                top(place.admin2),
                top(place.kinds),
                place.precision,
                str(place.events),
            ]
        )
    for adm2 in sorted(district_admin1):
        if adm2 in district_points:
            lat, lon = district_points[adm2]
        else:
            members = sorted(set(district_members[adm2]))
            if not members:
                continue
            lat = sum(p[0] for p in members) / len(members)
            lon = sum(p[1] for p in members) / len(members)
        name, aliases = district_name(adm2)
        rows.append(
            [
                name,
                "|".join(aliases),
                f"{lat:.6f}",
                f"{lon:.6f}",
                "SY",
                top(district_admin1[adm2]),
                name,
                "district",
                "district",
                "0",
            ]
        )
    rows.sort(key=lambda r: (r[5], r[8], normalise(r[0]), r[0], r[2], r[3]))
    return rows, digest


def render(rows: list[list[str]], source: Path, digest: str) -> str:
    head = [
        f"# warlog gazetteer UCDP places, version {VERSION}",
        f"# Generated by scripts/build_gazetteer.py from {source.name} (sha256 {digest[:16]});",
        "# do not edit by hand.  events = number of UCDP GED events placed there.",
        "\t".join(COLUMNS),
    ]
    return "\n".join(head + ["\t".join(r) for r in rows]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ucdp", type=Path, default=DEFAULT_UCDP)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output file is not up to date"
    )
    args = parser.parse_args(argv)
    if not args.ucdp.exists():
        print(f"UCDP file not found: {args.ucdp}", file=sys.stderr)
        return 2
    rows, digest = build(args.ucdp)
    text = render(rows, args.ucdp, digest).encode("utf-8")
    out: Path = args.out
    if len(text) > GZIP_ABOVE:
        out = out.with_name(out.name + ".gz")
        # mtime=0 keeps the gzip header, and so the file, identical across runs.
        text = gzip.compress(text, mtime=0)
    if args.check:
        current = out.read_bytes() if out.exists() else b""
        if current != text:
            print(f"{out} is out of date; run scripts/build_gazetteer.py", file=sys.stderr)
            return 1
        print(f"{out} is up to date ({len(rows)} places)")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(text)
    print(f"wrote {len(rows)} places to {out} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
