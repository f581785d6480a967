"""Evidence for the place decision, per name: a name's readings as arrays, built once.

A name's readings (its gazetteer candidates) and what the name says about where a document is
do not depend on the document: the static features of each reading (how it matched, its kind,
its size), the votes the name casts (the country or admin-1 area it names unambiguously, its
anchor point when it has one reading), and its soft votes (CLAVIN's coherence: each reading's
share of the name, spread over countries, admin-1 areas and map cells). :class:`Readings`
keeps them as numpy arrays the first time a name is seen, so ranking a document
(:mod:`warlog.resolve.scoring`) only sums them and reads them back, a few array operations per
document whatever its length.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from warlog.resolve.gazdata import GazetteerEntry
from warlog.resolve.ranker import FEATURES

# A demonym's vote and the focus country's prior, in mentions' worth of evidence.
_FOCUS_VOTES = 3.0
_EARTH_KM = 6371.0088
_HALF_EARTH_KM = math.pi * _EARTH_KM
_NOTABLE_POPULATION = 5_000
_CELL_DEG = 1.0
_FINE_DEG = 0.2
MAX_CANDIDATES = 30  # readings kept per name, the likeliest first


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


# Where a document's votes are summed: one flat array (:class:`Space`) with a slot per country
# (hard votes, then soft), per 1-degree and per fine map cell, then per admin-1 area (hard and
# soft side by side, the only part that grows). Slot 0 stays zero: what a reading without an
# admin-1 area reads.
_COUNTRIES = 1024  # ISO alpha-2 codes are fewer than 676
_CELL_ROWS, _CELL_COLS = 184, 364  # 1-degree cells: latitude -92..91, longitude -182..181
_FINE_ROWS, _FINE_COLS = 906, 1806  # 0.2-degree cells: -453..452, -903..902
ZERO = 0
_HARD_COUNTRY = 1
_SOFT_COUNTRY = _HARD_COUNTRY + _COUNTRIES
_CELLS = _SOFT_COUNTRY + _COUNTRIES
_FINE_CELLS = _CELLS + _CELL_ROWS * _CELL_COLS
_ADMIN1 = _FINE_CELLS + _FINE_ROWS * _FINE_COLS

# Columns of a reading's row in :attr:`Readings.table`: the features (the static ones filled,
# and those that depend only on which readings compete: top_pop, pop_share, log_candidates),
# then what the document's evidence is computed from: 22 slots of the :class:`Space` the
# reading reads (hard and soft country and admin-1 votes, the 9 cells around it, coarse and
# fine) and the name's own vote in each, which it must not count.
N_FEATURES = len(FEATURES)
POP, LAT, LON, CTY, PREC, COUNTRY_VOTES, ADMIN1_VOTES = range(N_FEATURES, N_FEATURES + 7)
LOOK = N_FEATURES + 7
OWN = LOOK + 22
WIDTH = OWN + 22
PRECISION_CODE = {"town": 0, "district": 1, "province": 2, "region": 3, "country": 4}
COUNTRY_CODE = PRECISION_CODE["country"]
_SLOT = {f: i for i, f in enumerate(FEATURES)}


class Space:
    """Codes for countries and admin-1 areas ("SY/Idlib"), and the array votes are summed in.

    A document adds its names' votes, every reading reads its slots back, and the slots are
    zeroed again (:meth:`tally`): a few array operations whatever the document's length.
    """

    __slots__ = ("_lock", "admin1", "country", "sums")

    def __init__(self) -> None:
        self.country: dict[str, int] = {}
        self.admin1: dict[str, int] = {}
        self.sums = np.zeros(_ADMIN1 + 2 * 4096)
        self._lock = threading.Lock()

    def of_country(self, country: str) -> int:
        code = self.country.setdefault(country, len(self.country))
        if code >= _COUNTRIES:
            raise ValueError(f"more than {_COUNTRIES} country codes in the gazetteer")
        return code

    def of_admin1(self, key: str) -> int:
        return self.admin1.setdefault(key, len(self.admin1))

    def tally(self, slots: np.ndarray, votes: np.ndarray, read: np.ndarray) -> np.ndarray:
        """Sum ``votes`` into ``slots`` (each slot's votes added in the order given), read the
        slots ``read`` names, and zero the array again. One document at a time (a lock), so a
        Geoparser shared by threads stays right."""
        with self._lock:
            if _ADMIN1 + 2 * len(self.admin1) > len(self.sums):
                grown = np.zeros(_ADMIN1 + 4 * len(self.admin1))
                grown[: len(self.sums)] = self.sums
                self.sums = grown
            np.add.at(self.sums, slots, votes)
            out = self.sums[read]
            self.sums[slots] = 0.0
        return out


@dataclass(frozen=True, slots=True)
class Readings:
    """A name's readings and the evidence the name gives, whatever the document."""

    cands: list[Candidate]
    table: np.ndarray  # one row of WIDTH columns per reading
    lower: np.ndarray  # the readings' names in lower case (object array), for name_exact
    slots: np.ndarray  # the slots of a Space the name votes in...
    votes: np.ndarray  # ...and its votes there, hard and soft
    country_votes: float  # the name's hard votes for a country, summed
    admin1_votes: float  # the same for admin-1 areas
    anchor: tuple[float, float] | None  # the one town a name with one reading names
    every: np.ndarray  # 0..n-1: the rows a context keeps when nothing narrows them
    spelt: dict[str, np.ndarray] = field(default_factory=dict)  # table per mention spelling

    def __len__(self) -> int:
        return len(self.cands)

    def spelled_as(self, exact: str) -> np.ndarray:
        """The table with name_exact filled for a mention written ``exact`` (lower case)."""
        table = self.spelt.get(exact)
        if table is None:
            table = self.spelt[exact] = self.table.copy()
            table[:, _SLOT["name_exact"]] = self.lower == exact
        return table


def readings(cands: list[Candidate], space: Space) -> Readings:
    """A name's readings as arrays, with the votes the name casts."""
    n = len(cands)
    if not n:
        empty = np.zeros(0, dtype=np.intp)
        nothing = np.zeros((0, WIDTH))
        return Readings(
            cands, nothing, np.array([], dtype=object), empty, empty, 0.0, 0.0, None, empty
        )
    table = np.zeros((n, WIDTH))
    table[:, _COLUMNS] = [_columns(c, space) for c in cands]
    pop, cty = table[:, POP], table[:, CTY]
    look = table[:, LOOK : LOOK + 22]
    look[:, 0] = _HARD_COUNTRY + cty
    look[:, 2] = _SOFT_COUNTRY + cty
    look[:, 3] = np.where(look[:, 1] != ZERO, look[:, 1] + 1, ZERO)
    look[:, 4:13] = look[:, 8, None] + _AROUND[0]  # the centre cells came with the columns
    look[:, 13:22] = look[:, 17, None] + _AROUND[1]
    voters = [i for i, c in enumerate(cands) if c.spelled] or list(range(n))
    vote, admin1, anchor = _hard_votes([cands[i] for i in voters])
    votes = _soft_votes(cands, voters, table[voters].tolist())
    if vote:
        votes[_HARD_COUNTRY + space.of_country(vote[0])] = vote[1]
    votes.update({_ADMIN1 + 2 * space.of_admin1(k): v for k, v in admin1.items()})
    slots = np.array(list(votes), dtype=np.intp)
    shares = np.array(list(votes.values()))
    # The name's own vote in each slot a reading reads (a slot holds at most one).
    table[:, OWN : OWN + 22] = np.where(look[:, :, None] == slots, shares, 0.0).sum(axis=2)
    table[:, _SLOT["top_pop"]] = (pop == pop.max()) & (pop > 0)
    table[:, _SLOT["pop_share"]] = pop / (pop.sum() or 1)
    table[:, _SLOT["log_candidates"]] = math.log(n) / math.log(MAX_CANDIDATES)
    table[:, COUNTRY_VOTES] = vote[1] if vote else 0.0
    table[:, ADMIN1_VOTES] = sum(admin1.values())
    return Readings(
        cands,
        table,
        np.array([c.entry.name.lower() for c in cands], dtype=object),
        slots,
        shares,
        vote[1] if vote else 0.0,
        sum(admin1.values()),
        anchor,
        np.arange(n),
    )


def _cell_slot(lat: float, lon: float, grid: tuple[float, int, int, int]) -> int:
    """The slot of the cell a point lies in.

    ``grid`` is (cell size in degrees, first slot, rows, columns): the cell of latitude row y
    and column x is slot first + (y + rows // 2) * columns + x + columns // 2.
    """
    size, first, rows, cols = grid
    # Kept inside the grid (coordinates are validated at load, so this never moves a point).
    y = min(max(math.floor(lat / size), 1 - rows // 2), rows // 2 - 2)
    x = min(max(math.floor(lon / size), 1 - cols // 2), cols // 2 - 2)
    return first + (y + rows // 2) * cols + x + cols // 2


_GRIDS = (
    (_CELL_DEG, _CELLS, _CELL_ROWS, _CELL_COLS),
    (_FINE_DEG, _FINE_CELLS, _FINE_ROWS, _FINE_COLS),
)
# From a cell's slot to the slots of its neighbours and itself, row by row.
_AROUND = tuple(
    np.array([dy * cols + dx for dy in (-1, 0, 1) for dx in (-1, 0, 1)]) for _, _, _, cols in _GRIDS
)


def _soft_votes(
    cands: list[Candidate], voters: list[int], rows: list[list[float]]
) -> dict[int, float]:
    """A name's soft votes by slot: one vote spread over its (spelled) readings in proportion
    to the square root of their size ("Sherman" leans to the Texan city of 40,000 more than to
    a hamlet of the same name), then summed per country, admin-1 area, cell and fine cell, each
    slot's shares added in the readings' order."""
    prior = [math.sqrt((cands[i].entry.population or 0) + 100) for i in voters]
    total = sum(prior)
    votes: dict[int, float] = {}
    for column in (LOOK + 2, LOOK + 3, LOOK + 8, LOOK + 17):  # country, admin-1, the two cells
        for row, w in zip(rows, prior, strict=True):
            slot = int(row[column])
            if slot == ZERO or (column == LOOK + 17 and row[PREC] == COUNTRY_CODE):
                continue  # no admin-1 area; a country has no fine cell
            votes[slot] = votes.get(slot, 0.0) + w / total
    return votes


# The table columns one pass over the readings fills: static features, then raw values.
_STATIC = (
    "bias",
    "spelled",
    "variant",
    "fuzzy",
    "log_pop",
    "log_pop_area",
    "log_alternates",
    "is_country",
    "is_admin1",
    "is_admin2",
    "is_region",
    "is_demonym",
    "is_local",
)
_COLUMNS = [_SLOT[f] for f in _STATIC] + [POP, LAT, LON, CTY, PREC, LOOK + 1, LOOK + 8, LOOK + 17]


def _columns(c: Candidate, space: Space) -> tuple[float | int | bool, ...]:
    """A reading's static features (how it matched, its kind, its size) and raw values."""
    e = c.entry
    kind = _kind(e)
    pop = e.population or 0
    # Towns and areas on separate scales: a state's population is the sum of its towns', and
    # would otherwise outweigh the city that shares its name.
    log_pop = math.log10(pop + 1) / 7
    return (
        1.0,
        c.spelled,
        c.variant > 0,
        c.fuzzy,
        log_pop if kind == "town" else 0.0,
        log_pop if kind != "town" else 0.0,
        math.log1p(c.alternates) / 5,
        kind == "country",
        kind == "province",
        kind == "district",
        kind == "region",
        e.kind == "demonym",
        e.source in ("curated", "ucdp", "user"),
        pop,
        e.lat,
        e.lon,
        space.of_country(e.country),
        PRECISION_CODE.get(e.precision, -1),
        _ADMIN1 + 2 * space.of_admin1(f"{e.country}/{e.admin1}") if e.admin1 else ZERO,
        _cell_slot(e.lat, e.lon, _GRIDS[0]),
        _cell_slot(e.lat, e.lon, _GRIDS[1]),
    )


def _hard_votes(
    spelled: list[Candidate],
) -> tuple[tuple[str, float] | None, dict[str, float], tuple[float, float] | None]:
    """Votes only unambiguous evidence casts: a country or province name, a one-country name,
    a name with one town (its anchor)."""
    named = [c.entry for c in spelled if _kind(c.entry) == "country"]
    areas = [c.entry for c in spelled if c.entry.precision == "province"]
    all_countries = {c.entry.country for c in spelled}
    vote = None
    admin1: dict[str, float] = defaultdict(float)
    if named and len({e.country for e in named}) == 1 and not areas:
        vote = (named[0].country, 1.0)
    elif areas and len({e.country for e in areas}) == 1 and len(all_countries) == 1:
        vote = (areas[0].country, 1.0)
        admin1[f"{areas[0].country}/{areas[0].admin1}"] += 1
    elif (
        len(all_countries) == 1
        and "" not in all_countries
        and any(_notable(c.entry) for c in spelled)
    ):
        vote = (next(iter(all_countries)), 0.5)
    towns = [c.entry for c in spelled if c.entry.precision in ("town", "district")]
    anchor = None
    if len(towns) == 1 and len(spelled) == 1:
        e = towns[0]
        anchor = (e.lat, e.lon)
        if e.admin1:
            admin1[f"{e.country}/{e.admin1}"] += 0.5
    return vote, dict(admin1), anchor


def confidence(scores: Iterable[float]) -> float:
    """The softmax probability of the first of ``scores`` (best first)."""
    scores = list(scores)
    peak = scores[0]
    return 1 / sum(math.exp(s - peak) for s in scores)


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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_array(lat1: np.ndarray, lon1: np.ndarray, lat2: object, lon2: object) -> np.ndarray:
    """:func:`haversine_km` over arrays (broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
