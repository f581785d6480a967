"""Score toponym resolution against a gold file, the way geoparsing papers do.

Gold: JSON lines ``{"id", "text", "toponyms": [{"start", "end", "name", "lat", "lon"}]}``
(the format of ``warlog geoparse`` output and of ``../shared/eval/geo``).

With ``spans`` (toponym resolution, the default) each gold span is resolved as given; without
(geoparsing) warlog finds the mentions itself and a gold toponym counts as found when a
predicted span overlaps it. Figures, following Gritta et al. (LREC 2020):

* accuracy@161: share of gold toponyms resolved within 161 km (100 miles) of the gold point;
* median and mean error in km;
* AUC: the area under the curve of the errors' log, log(1 + km) / log(20,039), so 0 is perfect
  and 1 the other side of the earth;
* coverage: share of gold toponyms given any point.

A toponym left unresolved (or, geoparsing, not found) counts as an error of 20,039 km in
every figure but coverage, so a system cannot score by abstaining.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from warlog.resolve.toponyms import Geoparser, Mention, Toponym, haversine_km

__all__ = ["GoldDoc", "PlaceReport", "evaluate", "read_gold", "score"]

MAX_KM = 20039.0
ACCURACY_KM = 161.0


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class GoldDoc:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(slots=True)
class PlaceReport:
    system: str
    n: int
    errors_km: list[float]
    resolved: int
    misses: list[dict[str, object]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(e <= ACCURACY_KM for e in self.errors_km) / self.n if self.n else 0.0

    @property
    def auc(self) -> float:
        if not self.n:
            return 0.0
        return sum(math.log1p(e) / math.log1p(MAX_KM) for e in self.errors_km) / self.n

    def as_dict(self) -> dict[str, object]:
        return {
            "system": self.system,
            "toponyms": self.n,
            "accuracy_161km": round(self.accuracy, 4),
            "median_km": round(statistics.median(self.errors_km), 1) if self.n else None,
            "mean_km": round(statistics.fmean(self.errors_km), 1) if self.n else None,
            "auc": round(self.auc, 4),
            "coverage": round(self.resolved / self.n, 4) if self.n else 0.0,
        }


def read_gold(path: Path) -> Iterator[GoldDoc]:
    """Gold documents; a malformed line raises ValueError naming the file and line."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                tops = tuple(
                    GoldToponym(
                        int(t["start"]),
                        int(t["end"]),
                        str(t.get("name") or d["text"][int(t["start"]) : int(t["end"])]),
                        float(t["lat"]),
                        float(t["lon"]),
                    )
                    for t in d.get("toponyms") or ()
                    if t.get("lat") is not None and t.get("lon") is not None
                )
                yield GoldDoc(str(d.get("id", lineno)), str(d["text"]), tops)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{lineno}: not a gold toponym record ({exc})") from None


System = Callable[[GoldDoc], Sequence[Toponym | None]]


def score(docs: Sequence[GoldDoc], system: System, name: str, *, spans: bool = True) -> PlaceReport:
    report = PlaceReport(name, 0, [], 0)
    for doc in docs:
        predicted = list(system(doc))
        for i, gold in enumerate(doc.toponyms):
            guess = predicted[i] if spans else _overlapping(predicted, gold)
            report.n += 1
            if guess is None or guess.lat is None or guess.lon is None:
                report.errors_km.append(MAX_KM)
                report.misses.append(_miss(doc, gold, guess, None))
                continue
            report.resolved += 1
            km = haversine_km(gold.lat, gold.lon, guess.lat, guess.lon)
            report.errors_km.append(km)
            if km > ACCURACY_KM:
                report.misses.append(_miss(doc, gold, guess, km))
    return report


def _overlapping(predicted: Sequence[Toponym | None], gold: GoldToponym) -> Toponym | None:
    for t in predicted:
        if t is not None and t.start < gold.end and gold.start < t.end:
            return t
    return None


def _miss(doc: GoldDoc, gold: GoldToponym, guess: Toponym | None, km: float | None) -> dict:
    return {
        "id": doc.id,
        "name": gold.name,
        "gold": [gold.lat, gold.lon],
        "got": None
        if guess is None or guess.lat is None
        else [guess.lat, guess.lon, guess.country, guess.admin1, guess.feature],
        "km": None if km is None else round(km),
        "how": list(guess.how) if guess is not None else [],
    }


def evaluate(
    path: Path,
    *,
    spans: bool = True,
    focus: str | None = None,
    geoparser: Geoparser | None = None,
    baselines: bool = True,
) -> list[PlaceReport]:
    """warlog's ranker, and (with spans) the most-populous baseline, on one gold file."""
    docs = list(read_gold(path))
    parser = geoparser or Geoparser()

    def warlog(doc: GoldDoc) -> list[Toponym]:
        given = [Mention(t.start, t.end, t.name) for t in doc.toponyms] if spans else None
        return parser.geoparse(doc.text, given, focus=focus)

    reports = [score(docs, warlog, f"warlog ({parser.ranker.name})", spans=spans)]
    if baselines and spans:
        reports.append(score(docs, _most_populous(parser), "most populous", spans=True))
    return reports


def _most_populous(parser: Geoparser) -> System:
    """The naive baseline: the most populous place of exactly that name, else of its key."""

    def run(doc: GoldDoc) -> list[Toponym | None]:
        out: list[Toponym | None] = []
        for t in doc.toponyms:
            cands = parser.candidates(t.name)
            pool = [c for c in cands if c.spelled] or cands
            if not pool:
                out.append(None)
                continue
            e = max(pool, key=lambda c: c.entry.population or 0).entry
            out.append(
                Toponym(
                    t.start,
                    t.end,
                    t.name,
                    e.lat,
                    e.lon,
                    e.country,
                    e.admin1,
                    e.admin2,
                    e.precision,
                    e.kind,
                    e.geonameid,
                    e.source,
                    ("population",),
                    1.0,
                )
            )
        return out

    return run
