"""UCDP check: how close do headline place mentions land to UCDP GED's coordinates?

For each UCDP GED event of one year we read only its ``source_headline`` (never
``where_coordinates``, which is UCDP's own answer), take the most specific place the
gazetteer finds in it, and measure the great-circle distance to the event's
``latitude``/``longitude``.  The share within ``km`` kilometres is reported twice: with the
full gazetteer, and without the village entries derived from UCDP GED itself
(``exclude_sources={"ucdp"}``).  The second figure is the honest one: the first partly
grades the gazetteer on answers it copied from the same file.

Run ``python -m warlog.evaluate.ucdp [--csv PATH] [--year 2016] [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from warlog.records import PLACE_PRECISIONS, Place, precision_rank
from warlog.resolve.gazetteer import Gazetteer

__all__ = [
    "DEFAULT_CSV",
    "PRECISION_RANK",
    "UcdpReport",
    "UcdpRow",
    "check",
    "haversine_km",
    "incident_place",
    "main",
    "read_rows",
]

DEFAULT_CSV = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ucdp_ged191_syria.csv"
)
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
# Lower is more specific (the one ranking of warlog.records); kept for importers.
PRECISION_RANK = {p: precision_rank(p) for p in PLACE_PRECISIONS}
COUNTRY = "SY"  # UCDP GED Syria: every event lies in Syria
NONE = "none"  # by_precision label of rows where no place was found


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points (spherical Earth)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True, slots=True)
class UcdpRow:
    id: str
    headline: str
    lat: float
    lon: float
    where_prec: str  # UCDP's own precision code, 1 (exact) to 7 (country or wider)


def read_rows(csv_path: Path, year: int) -> Iterator[UcdpRow]:
    """The rows of ``year`` in a UCDP GED CSV, keeping only what the check may look at."""
    with open(csv_path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"year", "source_headline", "latitude", "longitude"} - set(
            reader.fieldnames or ()
        )
        if missing:
            raise ValueError(f"{csv_path}: UCDP GED columns missing: {', '.join(sorted(missing))}")
        for row in reader:
            if int(float(row["year"])) != year:
                continue
            yield UcdpRow(
                id=row.get("id", ""),
                headline=row["source_headline"] or "",
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                where_prec=str(int(float(row["where_prec"]))) if row.get("where_prec") else "",
            )


def incident_place(headline: str, gazetteer: Gazetteer) -> Place | None:
    """The incident's place read from ``headline`` the way warlog reads a claim's sentence.

    The resolve stage's rules apply (acronyms, group and channel names, weekdays are no
    places; places in Syria first; the most specific wins, ties to the first mention).
    """
    from warlog.resolve import Resolver

    return Resolver(gazetteer, focus=COUNTRY).sentence_place(headline)


@dataclass(slots=True)
class UcdpReport:
    year: int
    km: float
    rows: int = 0
    placed: int = 0
    within: int = 0
    median_km: float | None = None
    outside_country: int = 0  # placed rows whose place lies outside Syria (all misreadings)
    # our place's precision (or "none") -> {"rows": n, "within": m}
    by_precision: dict[str, dict[str, int]] = field(default_factory=dict)
    # UCDP's where_prec -> {"rows": n, "placed": p, "within": m}
    by_ucdp_precision: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def share_within(self) -> float:
        """Share of all rows placed within ``km``: unplaced rows count as misses."""
        return self.within / self.rows if self.rows else 0.0

    @property
    def share_within_placed(self) -> float:
        return self.within / self.placed if self.placed else 0.0

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["share_within"] = self.share_within
        out["share_within_placed"] = self.share_within_placed
        return out


def check(csv_path: Path, gazetteer: Gazetteer, year: int = 2016, km: float = 25.0) -> UcdpReport:
    """Place each ``year`` row of a UCDP GED CSV from its headline and score the distance."""
    report = UcdpReport(year=year, km=km)
    distances: list[float] = []
    for row in read_rows(Path(csv_path), year):
        report.rows += 1
        place = incident_place(row.headline, gazetteer)
        label = place.precision if place is not None else NONE
        ours = report.by_precision.setdefault(label, {"rows": 0, "within": 0})
        theirs = report.by_ucdp_precision.setdefault(
            row.where_prec or "?", {"rows": 0, "placed": 0, "within": 0}
        )
        ours["rows"] += 1
        theirs["rows"] += 1
        if place is None:
            continue
        report.placed += 1
        theirs["placed"] += 1
        report.outside_country += place.country != COUNTRY
        distance = haversine_km(place.lat, place.lon, row.lat, row.lon)
        distances.append(distance)
        if distance <= km:
            report.within += 1
            ours["within"] += 1
            theirs["within"] += 1
    report.median_km = statistics.median(distances) if distances else None
    report.by_precision = dict(
        sorted(report.by_precision.items(), key=lambda kv: precision_rank(kv[0]))
    )
    report.by_ucdp_precision = dict(sorted(report.by_ucdp_precision.items()))
    return report


# ---------------------------------------------------------------------------------------------
# Command line


def _run(
    label: str, csv_path: Path, year: int, km: float, exclude: frozenset[str]
) -> dict[str, object]:
    started = time.perf_counter()
    gazetteer = Gazetteer.load(exclude_sources=exclude)
    loaded = time.perf_counter()
    report = check(csv_path, gazetteer, year=year, km=km)
    done = time.perf_counter()
    return {
        "label": label,
        "exclude_sources": sorted(exclude),
        "load_seconds": round(loaded - started, 3),
        "check_seconds": round(done - loaded, 3),
        "report": report,
    }


def _describe(run: dict[str, object]) -> str:
    r = run["report"]
    assert isinstance(r, UcdpReport)
    median = f"{r.median_km:.1f} km" if r.median_km is not None else "n/a"
    lines = [
        f"{run['label']}:",
        f"  within {r.km:g} km: {r.within}/{r.rows} rows = {r.share_within:.1%}"
        f"  (of placed: {r.within}/{r.placed} = {r.share_within_placed:.1%})",
        f"  placed {r.placed}/{r.rows} ({r.outside_country} of them outside Syria);"
        f" median distance of placed rows {median}",
        f"  load {run['load_seconds']:.2f} s, check {run['check_seconds']:.2f} s",
        "  by our precision: "
        + ", ".join(f"{k} {v['within']}/{v['rows']}" for k, v in r.by_precision.items()),
        "  by UCDP where_prec (within/placed/rows): "
        + ", ".join(
            f"{k}: {v['within']}/{v['placed']}/{v['rows']}" for k, v in r.by_ucdp_precision.items()
        ),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m warlog.evaluate.ucdp",
        description="Share of UCDP GED events whose headline places them near UCDP's coordinates.",
    )
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="UCDP GED CSV")
    parser.add_argument("--year", type=int, default=2016)
    parser.add_argument("--km", type=float, default=25.0, help="distance counted as a hit")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    if not args.csv.exists():
        parser.error(f"{args.csv} does not exist")
    runs = [
        _run("with UCDP-derived entries", args.csv, args.year, args.km, frozenset()),
        _run(
            "without UCDP-derived entries (honest)",
            args.csv,
            args.year,
            args.km,
            frozenset({"ucdp"}),
        ),
    ]
    if args.json:
        payload = [
            {**run, "report": run["report"].to_dict()}  # type: ignore[union-attr]
            for run in runs
        ]
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"UCDP check: {args.csv} ({args.year})")
        for run in runs:
            print(_describe(run))
        print("(the second load reuses the GeoNames index the first one read into memory)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
