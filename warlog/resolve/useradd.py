"""User additions to the gazetteer: GeoNames dumps and CSV files, written to a user TSV."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType

from warlog.resolve.gazdata import (
    _USER_COLUMNS,
    _USER_VERSION,
    KIND_PRECISION,
    PRECISIONS,
    USER_FILE,
    _coord,
    _kind_for_population,
    admin1_name,
    canonical_admin1,
    read_data_file,
)
from warlog.resolve.geonames import _keep_alternate
from warlog.resolve.placenames import (
    normalise,
)

# ---------------------------------------------------------------------------------------------
# User additions

_GEONAMES_FIELDS = 19
# GeoNames feature codes worth a kind of their own; the rest go by feature class.
_FEATURE_KINDS = MappingProxyType(
    {
        "AIRB": "base",
        "AIRF": "base",
        "MILB": "base",
        "INSM": "base",
        "AIRP": "airport",
        "CMP": "camp",
        "CMPRF": "camp",
        "PSTB": "crossing",
        "CSTM": "crossing",
        "DAM": "dam",
        "DSRT": "desert",
        "VAL": "valley",
        "VALS": "valley",
        "PLN": "plain",
        "PLAT": "plain",
        "MTS": "mountains",
        "HLLS": "mountains",
        "MT": "mountain",
        "HLL": "mountain",
        "PK": "mountain",
        "RGN": "region",
        "AREA": "region",
        "PPLX": "neighbourhood",
    }
)


def _geonames_kind(feature_class: str, code: str, population: int) -> str:
    if code in _FEATURE_KINDS:
        return _FEATURE_KINDS[code]
    if feature_class == "P":
        return _kind_for_population(population)
    if feature_class == "A":
        if code.startswith("PCL"):
            return "country"
        return "province" if code.startswith("ADM1") else "district"
    if feature_class in ("H", "L"):
        return "water" if feature_class == "H" else "region"
    return "site"


def _user_lines(path: Path) -> Iterator[tuple[int, str]]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if m.endswith(".txt") and "readme" not in m]
            if not members:
                raise ValueError(f"{path}: no .txt member in the zip archive")
            with zf.open(members[0]) as raw:
                yield from enumerate(io.TextIOWrapper(raw, encoding="utf-8"), 1)
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from enumerate(fh, 1)


def _parse_geonames_line(path: Path, lineno: int, line: str) -> list[str]:
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != _GEONAMES_FIELDS:
        raise ValueError(
            f"{path}:{lineno}: GeoNames dump lines have {_GEONAMES_FIELDS} tab-separated "
            f"fields, this one has {len(fields)}"
        )
    where = f"{path}:{lineno}"
    name, _ascii, alternates, lat, lon, fclass, fcode, cc, _cc2, a1 = fields[1:11]
    if not name.strip():
        raise ValueError(f"{where}: empty name")
    latitude = _coord(lat, -90, 90, "latitude", where)
    longitude = _coord(lon, -180, 180, "longitude", where)
    if not re.fullmatch(r"[A-Z]{2}", cc):
        raise ValueError(f"{where}: country code {cc!r} is not ISO 3166-1 alpha-2")
    population = int(fields[14]) if fields[14].strip().isdigit() else 0
    kind = _geonames_kind(fclass, fcode, population)
    admin1 = admin1_name(cc, a1) or ""
    if kind == "province" and not admin1:
        admin1 = name
    aliases = [a for a in alternates.split(",") if a and a != name and _keep_alternate(a)]
    return [
        name,
        "|".join(dict.fromkeys(aliases)),
        repr(latitude),
        repr(longitude),
        cc,
        admin1,
        "",
        kind,
        KIND_PRECISION.get(kind, "town"),
        str(population or ""),
    ]


def _parse_csv(path: Path, lines: Iterator[tuple[int, str]]) -> Iterator[list[str]]:
    first = next(lines, None)
    if first is None:
        return
    header = [h.strip().lower() for h in next(csv.reader([first[1]]))]
    required = ("name", "lat", "lon", "admin1", "admin2", "country")
    missing = [c for c in required if c not in header]
    if missing:
        raise ValueError(f"{path}:{first[0]}: CSV header lacks {', '.join(missing)}")
    for lineno, line in lines:
        if not line.strip():
            continue
        values = next(csv.reader([line]))
        where = f"{path}:{lineno}"
        if len(values) != len(header):
            raise ValueError(f"{where}: expected {len(header)} fields, got {len(values)}")
        row = dict(zip(header, (v.strip() for v in values), strict=True))
        if not row["name"]:
            raise ValueError(f"{where}: empty name")
        latitude = _coord(row["lat"], -90, 90, "lat", where)
        longitude = _coord(row["lon"], -180, 180, "lon", where)
        cc = row["country"].upper()
        if not re.fullmatch(r"[A-Z]{2}", cc):
            raise ValueError(f"{where}: country {row['country']!r} is not ISO 3166-1 alpha-2")
        kind = row.get("kind") or "village"
        precision = row.get("precision") or KIND_PRECISION.get(kind, "town")
        if precision not in PRECISIONS:
            raise ValueError(f"{where}: precision {precision!r} not one of {PRECISIONS}")
        admin1 = canonical_admin1(row["admin1"], cc) or row["admin1"]
        yield [
            row["name"],
            row.get("aliases", ""),
            repr(latitude),
            repr(longitude),
            cc,
            admin1,
            row["admin2"],
            kind,
            precision,
            row.get("population", ""),
        ]


def add_user_file(path: Path, user_dir: Path, *, countries: Iterable[str] | None = None) -> int:
    """Add the places in ``path`` to the user gazetteer in ``user_dir``; return rows added.

    ``path`` is a GeoNames dump (``allCountries.txt``, ``SY.txt``, or their ``.zip``) or a CSV
    with header ``name,lat,lon,admin1,admin2,country`` (optionally ``kind``, ``precision``,
    ``aliases``, ``population``).  ``countries`` keeps only rows of those ISO codes, which
    is how to take a few countries out of ``allCountries.txt`` without holding 12 million
    rows.  Rows already present are skipped.  Nothing is written if any line is malformed:
    the ValueError names the file and line.
    """
    path = Path(path)
    wanted = {c.upper() for c in countries} if countries is not None else None
    lines = _user_lines(path)
    head = next(lines, None)
    if head is None:
        return 0
    if path.suffix.lower() == ".csv" or (head[1].count(",") and "\t" not in head[1]):
        rows: Iterable[list[str]] = _parse_csv(path, _chain(head, lines))
    else:
        rows = (
            _parse_geonames_line(path, n, line)
            for n, line in _chain(head, lines)
            if line.strip() and _wanted_line(line, wanted)
        )
    parsed = [r for r in rows if wanted is None or r[4] in wanted]
    target = user_dir / USER_FILE
    existing: set[tuple[str, str, str]] = set()
    if target.exists():
        for _, row in read_data_file(target).rows:
            existing.add((normalise(row["name"]), row["lat"], row["lon"]))
    fresh = []
    for values in parsed:
        ident = (normalise(values[0]), values[2], values[3])
        if ident not in existing:
            existing.add(ident)
            fresh.append(values)
    if not fresh:
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    new_file = not target.exists()
    with open(target, "a", encoding="utf-8", newline="") as out:
        if new_file:
            out.write(f"{_USER_VERSION}\n# added from {path.name}\n")
            out.write("\t".join(_USER_COLUMNS) + "\n")
        for values in fresh:
            out.write("\t".join(v.replace("\t", " ") for v in values) + "\n")
    return len(fresh)


def _wanted_line(line: str, wanted: set[str] | None) -> bool:
    """Cheap country pre-filter for GeoNames lines; a short line is kept, to be reported."""
    if wanted is None:
        return True
    fields = line.split("\t", 9)
    return len(fields) < 9 or fields[8] in wanted


def _chain(head: tuple[int, str], rest: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    yield head
    yield from rest
