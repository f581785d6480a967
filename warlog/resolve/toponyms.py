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

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from warlog.resolve.evidence import (
    MAX_CANDIDATES,
    Candidate,
    Readings,
    Space,
    _fold,
    _kind,
    _notable,
    haversine_km,
    readings,
)
from warlog.resolve.gazdata import GazetteerEntry, _world_table
from warlog.resolve.gazetteer import Gazetteer
from warlog.resolve.placenames import name_keys, normalise, parse_phrase
from warlog.resolve.ranker import Ranker
from warlog.resolve.scoring import Context, Ranking, narrow, score_document

__all__ = ["Candidate", "Geoparser", "Mention", "Toponym", "haversine_km"]

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
        # Per-name memos (news repeats its places), cleared together when they grow too big.
        self._memo: dict[str, list[Candidate]] = {}
        self._readings: dict[str, Readings] = {}
        self._cues: dict[str, str | None] = {}
        self._keys: dict[str, str] = {}
        self._areas: dict[str, list[GazetteerEntry]] = {}
        self.space = Space()  # country and admin-1 codes, and where votes are summed
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
    ) -> list[Ranking]:
        """Each mention's candidates, best first, scored.

        A first pass scores every reading on the document's evidence; when the ranker has
        second-pass weights, each reading is scored again against the other names' first
        choices (how many agree on its country and admin-1 area, how close they lie).
        """
        focus = focus.upper() if focus else None
        prior = (focus, self.space.of_country(focus)) if focus else None
        names: dict[str, int] = {}
        pools: list[Readings] = []
        # A name written the same way with the same words around it is scored once per
        # document (news repeats its places); its ranking is shared.
        contexts: dict[tuple[object, ...], int] = {}
        narrowed: list[Context] = []
        which: list[int] = []
        for m in mentions:
            key = self._key(m.name)
            i = names.get(key)
            if i is None:
                i = names[key] = len(pools)
                pools.append(self.readings(m.name))
            containers = self._containers(text, m)
            cue = self._cue(m.name) or _cue_after(text, m.end)
            exact = m.name.strip().lower()
            context = (key, tuple(map(id, containers)), cue, exact)
            k = contexts.get(context)
            if k is None:
                k = contexts[context] = len(narrowed)
                narrowed.append(narrow(i, pools[i], containers, cue, exact, prior))
            which.append(k)
        ranked = score_document(pools, narrowed, self.ranker, self.space, prior and prior[1])
        return [ranked[k] for k in which]

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
                for memo in (self._memo, self._readings, self._cues, self._keys, self._areas):
                    memo.clear()
            found = self._memo[name] = self._candidates(name)
        return found

    def readings(self, name: str) -> Readings:
        """``name``'s candidates as arrays, with the evidence the name gives; memoised."""
        found = self._readings.get(name)
        if found is None:
            found = self._readings[name] = readings(self.candidates(name), self.space)
        return found

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = normalise(name)
        return key

    def _candidates(self, name: str, fuzzy: bool = True) -> list[Candidate]:
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
        if not cands and not short and fuzzy:
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
            found = self._areas_named(" ".join(words.split()[:cut]))
            if found:
                out = found
                break
        return out

    def _areas_named(self, head: str) -> list[GazetteerEntry]:
        """The areas spelled ``head``; memoised. Fuzzy readings are never spelled, so the
        fuzzy look-up, the dearest step of all, is skipped for them."""
        found = self._areas.get(head)
        if found is None:
            cands = self._memo.get(head) or self._candidates(head, fuzzy=False)
            found = self._areas[head] = [
                c.entry for c in cands if c.spelled and c.entry.precision in _CONTAINERS
            ]
        return found

    def _toponym(self, m: Mention, cands: Ranking) -> Toponym:
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
        confidence = cands.confidence()
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
