"""Evidence for the place decision: what a document says about where it is.

Per mention name: the countries and admin-1 areas it names unambiguously, its soft votes
(CLAVIN's coherence: each reading's share of the name, spread over countries, admin-1 areas and
map cells) and the readings it names alone (anchors). Leave-one-out shares come from totals
summed once per document, so scoring a reading costs the same whatever the document's length.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from warlog.resolve.gazdata import GazetteerEntry

# A demonym's vote and the focus country's prior, in mentions' worth of evidence.
_FOCUS_VOTES = 3.0
_EARTH_KM = 6371.0088
_HALF_EARTH_KM = math.pi * _EARTH_KM
_NOTABLE_POPULATION = 5_000
_CELL_DEG = 1.0
_FINE_DEG = 0.2


@dataclass(slots=True)
class Candidate:
    entry: GazetteerEntry
    spelled: bool
    variant: int
    fuzzy: bool
    alternates: int = 0
    features: list[float] = field(default_factory=list)
    score: float = 0.0
    decided: tuple[str, ...] = ()  # the words that narrowed the readings ("hierarchy: Texas")


@dataclass(slots=True)
class _Evidence:
    """What a document says about where it is, per mention name (so none votes for itself).

    Every vote is kept per name and summed once per document, so a name's leave-one-out share
    is the document's total less its own part: constant time per reading.
    """

    countries: dict[str, Counter[str]]
    admin1s: dict[str, Counter[str]]
    anchors: dict[str, list[tuple[float, float, str]]]
    # Soft votes (CLAVIN's coherence): every other name spreads one vote over the countries,
    # admin-1 areas and map cells its readings lie in, so "Gainesville" next to "Hall County"
    # leans to the state both share even though neither is unambiguous.
    soft_countries: dict[str, dict[str, float]] = field(default_factory=dict)
    soft_admin1s: dict[str, dict[str, float]] = field(default_factory=dict)
    soft_cells: dict[str, dict[tuple[int, int], float]] = field(default_factory=dict)
    fine_cells: dict[str, dict[tuple[int, int], float]] = field(default_factory=dict)
    _totals: dict[str, dict] = field(default_factory=dict)
    _sums: dict[str, float] = field(default_factory=dict)
    _votes: dict[str, dict] = field(default_factory=dict)

    def seal(self) -> None:
        """Sum every name's votes once, for the leave-one-out shares below."""
        self._votes = {
            "countries": self.countries,
            "admin1s": self.admin1s,
            "soft_countries": self.soft_countries,
            "soft_admin1s": self.soft_admin1s,
            "soft_cells": self.soft_cells,
            "fine_cells": self.fine_cells,
        }
        for name, per_key in self._votes.items():
            total: dict = defaultdict(float)
            for votes in per_key.values():
                for k, v in votes.items():
                    total[k] += v
            self._totals[name] = total
            self._sums[name] = sum(total.values())

    def _others(self, name: str, key: str, what: object) -> float:
        own = self._votes[name].get(key)
        return self._totals[name].get(what, 0.0) - (own.get(what, 0.0) if own else 0.0)

    def support(self, key: str, e: GazetteerEntry) -> tuple[float, float, float, float]:
        """Shares of the other names whose readings share e's country, admin-1 area,
        neighbourhood (about 100-300 km) and vicinity (about 30 km: a town and its county)."""
        n = len(self.soft_countries) - (key in self.soft_countries)
        if n <= 0:
            return 0.0, 0.0, 0.0, 0.0
        country = _minus(self._totals["soft_countries"], self.soft_countries.get(key), e.country)
        admin1 = (
            _minus(
                self._totals["soft_admin1s"], self.soft_admin1s.get(key), f"{e.country}/{e.admin1}"
            )
            if e.admin1
            else 0.0
        )
        near = self._around("soft_cells", self.soft_cells.get(key), e.lat, e.lon, _CELL_DEG)
        close = self._around("fine_cells", self.fine_cells.get(key), e.lat, e.lon, _FINE_DEG)
        return country / n, admin1 / n, min(1.0, near / n), min(1.0, close / n)

    def _around(self, name: str, own: dict | None, lat: float, lon: float, size: float) -> float:
        """The other names' votes in a point's cell and its eight neighbours."""
        total = self._totals[name]
        out = 0.0
        for cell in _neighbourhood(lat, lon, size):
            vote = total.get(cell)
            if vote is not None:
                out += vote - (own.get(cell, 0.0) if own else 0.0)
        return out

    def _share(self, name: str, key: str, what: str, extra: Counter[str]) -> tuple[float, float]:
        own = self._votes[name].get(key) or {}
        total = self._sums[name] - sum(own.values()) + sum(extra.values())
        mine = _minus(self._totals[name], own, what) + extra.get(what, 0.0)
        return (mine / total if total > 1e-9 else 0.0), total

    def country_share(self, key: str, country: str, focus: str | None) -> tuple[float, float]:
        extra: Counter[str] = Counter({focus: _FOCUS_VOTES}) if focus else Counter()
        return self._share("countries", key, country, extra)

    def admin1_share(self, key: str, admin1: str) -> float:
        return self._share("admin1s", key, admin1, Counter())[0]

    def nearest_anchor(self, key: str, lat: float, lon: float) -> tuple[float, str] | None:
        best: tuple[float, str] | None = None
        for other, points in self.anchors.items():
            if other == key:
                continue
            for alat, alon, name in points:
                d = haversine_km(lat, lon, alat, alon)
                if best is None or d < best[0]:
                    best = (d, name)
        return best


def _minus(total: dict, own: dict | None, what: object) -> float:
    """The votes for ``what`` of every name but the one whose votes are ``own``."""
    return total.get(what, 0.0) - (own.get(what, 0.0) if own else 0.0)


def _confidence(cands: list[Candidate]) -> float:
    peak = cands[0].score
    return 1 / sum(math.exp(c.score - peak) for c in cands)


class Agreement:
    """How the other names' first choices agree with a reading (the second-pass features).

    Sums over the first choices are taken once per document, so a reading's leave-one-out
    country and admin-1 agreement costs two lookups; nearness is summed only over towns close
    enough in latitude to count (at most 1,000 km, about 9 degrees).
    """

    def __init__(self, chosen: dict[str, tuple[GazetteerEntry, float]]) -> None:
        self._chosen = chosen
        self._country: dict[str, float] = defaultdict(float)
        self._admin1: dict[tuple[str, str], float] = defaultdict(float)
        self._towns: list[tuple[float, float, float, str]] = []
        for key, (other, conf) in chosen.items():
            self._country[other.country] += conf
            if other.admin1:
                self._admin1[(other.country, other.admin1)] += conf
            if other.precision in ("town", "district"):
                self._towns.append((other.lat, other.lon, conf, key))

    def __call__(self, key: str, e: GazetteerEntry) -> list[float]:
        n = len(self._chosen) - (key in self._chosen)
        if n <= 0:
            return [0.0, 0.0, 0.0]
        own, own_conf = self._chosen.get(key, (None, 0.0))
        country = self._country.get(e.country, 0.0)
        admin1 = self._admin1.get((e.country, e.admin1), 0.0) if e.admin1 else 0.0
        if own is not None and own.country == e.country:
            country -= own_conf
            if e.admin1 and own.admin1 == e.admin1:
                admin1 -= own_conf
        near = 0.0
        if e.precision != "country":
            for lat, lon, conf, other in self._towns:
                if other != key and abs(lat - e.lat) < _NEAR_DEG:
                    km = haversine_km(e.lat, e.lon, lat, lon)
                    near += conf * max(0.0, 1 - math.log1p(km) / _LOG_NEAR)
        return [country / n, admin1 / n, near / n]


_NEAR_KM = 1000.0
_LOG_NEAR = math.log1p(_NEAR_KM)
_NEAR_DEG = _NEAR_KM / 111.0 + 0.1  # a degree of latitude is at least 110.6 km


def _fold(name: str) -> str:
    """Case and accents away, nothing else: "Mosul" = "mosul", but "June" is not "Unieux"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _notable(e: GazetteerEntry) -> bool:
    """Whether a reading can stand as evidence: an area, a curated place or a town of some size.

    A hamlet that shares a capitalised English word ("Rocket", "Jun") says nothing about where
    a story is.
    """
    return (
        e.precision != "town"
        or e.source in ("curated", "ucdp", "user", "admin")
        or (e.population or 0) >= _NOTABLE_POPULATION
    )


def _kind(e: GazetteerEntry) -> str:
    return "country" if e.kind == "demonym" else e.precision


def _evidence(pools: dict[str, list[Candidate]]) -> _Evidence:
    countries: dict[str, Counter[str]] = defaultdict(Counter)
    admin1s: dict[str, Counter[str]] = defaultdict(Counter)
    anchors: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for key, cands in pools.items():
        spelled = [c for c in cands if c.spelled] or cands
        if not spelled:
            continue
        named = [c.entry for c in spelled if _kind(c.entry) == "country"]
        areas = [c.entry for c in spelled if c.entry.precision == "province"]
        all_countries = {c.entry.country for c in spelled}
        if named and len({e.country for e in named}) == 1 and not areas:
            countries[key][named[0].country] += 1
        elif areas and len({e.country for e in areas}) == 1 and len(all_countries) == 1:
            countries[key][areas[0].country] += 1
            admin1s[key][f"{areas[0].country}/{areas[0].admin1}"] += 1
        elif (
            len(all_countries) == 1
            and "" not in all_countries
            and any(_notable(c.entry) for c in spelled)
        ):
            countries[key][next(iter(all_countries))] += 0.5
        towns = [c.entry for c in spelled if c.entry.precision in ("town", "district")]
        if len(towns) == 1 and len(spelled) == 1:
            e = towns[0]
            anchors[key].append((e.lat, e.lon, e.name))
            if e.admin1:
                admin1s[key][f"{e.country}/{e.admin1}"] += 0.5
    ev = _Evidence(countries, admin1s, anchors)
    for key, cands in pools.items():
        spelled = [c for c in cands if c.spelled] or cands
        if not spelled:
            continue
        # A reading's share of its name's vote grows with the square root of its size: "Sherman"
        # leans to the Texan city of 40,000 more than to a hamlet of the same name.
        prior = [math.sqrt((c.entry.population or 0) + 100) for c in spelled]
        ev.soft_countries[key] = _spread((c.entry.country for c in spelled), prior)
        ev.soft_admin1s[key] = _spread(
            (f"{c.entry.country}/{c.entry.admin1}" if c.entry.admin1 else None for c in spelled),
            prior,
        )
        ev.soft_cells[key] = _spread((_cell(c.entry.lat, c.entry.lon) for c in spelled), prior)
        ev.fine_cells[key] = _spread(
            (
                _cell(c.entry.lat, c.entry.lon, _FINE_DEG)
                if c.entry.precision != "country"
                else None
                for c in spelled
            ),
            prior,
        )
    ev.seal()
    return ev


def _spread(values: Iterable[object], weights: list[float]) -> dict:
    out: dict = defaultdict(float)
    total = sum(weights)
    for value, w in zip(values, weights, strict=True):
        if value is not None:
            out[value] += w / total
    return out


def _cell(lat: float, lon: float, size: float = _CELL_DEG) -> tuple[int, int]:
    return (math.floor(lat / size), math.floor(lon / size))


def _neighbourhood(lat: float, lon: float, size: float = _CELL_DEG) -> list[tuple[int, int]]:
    """A point's cell and its eight neighbours: 1° cells reach 100 to 300 km around."""
    y, x = _cell(lat, lon, size)
    return [(y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))
