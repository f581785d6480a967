"""Place mentions in running text: capitalised word runs the gazetteer knows, with guards
against English words, personal names and acronyms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from warlog.resolve.gazdata import DATA_DIR, Place, read_data_file
from warlog.resolve.placenames import (
    name_keys,
)


class MentionFinder:
    """find_places() for :class:`~warlog.resolve.gazetteer.Gazetteer`."""

    __slots__ = ()

    # -- mentions in running text --------------------------------------------------------

    def find_places(
        self,
        text: str,
        *,
        country: str | None = None,
        max_words: int = 5,
        memo: MentionMemo | None = None,
    ) -> list[tuple[int, int, Place]]:
        """Place mentions in ``text`` as ``(start, end, Place)``, longest match first.

        Capitalisation is required (unless the whole text is in one case), lone common words
        are skipped, and a cue next to a name joins the span ("Deir Ezzor province").
        ``memo``: shared by the calls that read one article (its whole text, its opening, each
        of its sentences), so that what one call worked out another reuses; see
        :class:`MentionMemo`.
        """
        if memo is None:
            memo = MentionMemo()
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        one_case = text.isupper() or text.islower()
        found: list[tuple[int, int, Place]] = []
        i = 0
        n = len(words)
        while i < n:
            if not (one_case or _capitalised(words[i][2])):
                i += 1  # no name starts at a lower-case word (the first test of _match_at)
                continue
            match = memo.match_at(self, text, words, i, one_case, country, max_words)
            if match is None:
                i += 1
                continue
            start, end, j, place = match
            found.append((start, end, place))
            i = j
        return found

    def _match_at(
        self,
        text: str,
        words: list[tuple[int, int, str]],
        i: int,
        one_case: bool,
        country: str | None,
        max_words: int,
        resolved: MentionMemo,
    ) -> tuple[int, int, int, Place] | None:
        if not (one_case or _capitalised(words[i][2])):
            return None
        last = i
        while last + 1 < len(words) and last + 1 - i < max_words and _joined(text, words, last):
            last += 1
        # Every word before the last of a name is capitalised or a connector ("Deir ez-Zor",
        # "Ras al Ain"): the first word that is neither caps how far a name can reach.
        bad = next(
            (k for k in range(i + 1, last) if not (one_case or _inner_word(words[k][2]))),
            last,
        )
        for j in range(min(last, bad), i - 1, -1):
            end_word = words[j][2]
            # A lower-case cue may close a name: "Iraqi border", "Deir Ezzor province".
            if not (
                one_case
                or _capitalised(end_word)
                or any(ch.isdigit() for ch in end_word)
                or (j > i and _CUE_WORD.match(end_word))
            ):
                continue
            start, end = words[i][0], words[j][1]
            if i == j:
                if not self._plausible_single(text, words, i, one_case, country, resolved):
                    continue
            elif one_case and (
                words[i][2].lower() in stopwords() or end_word.lower() in stopwords()
            ):
                continue  # lower-case "the town", "near raqqa": no capitals to anchor on
            span = text[start:end]
            key = resolved.name_keys(span)[0]
            if not key or not self._has(key):
                continue
            # Extend over a directional word before and a cue word after the name.
            if i > 0 and _joined(text, words, i - 1) and _DIRECTION_WORD.match(words[i - 1][2]):
                start = words[i - 1][0]
            nxt = j + 1
            if nxt < len(words) and _joined(text, words, j) and _CUE_WORD.match(words[nxt][2]):
                end = words[nxt][1]
                j = nxt
            span = text[start:end]
            place = resolved.resolve(self, span, country) or resolved.resolve(
                self, text[words[i][0] : words[j][1]], country
            )
            if place is not None:
                return start, end, j + 1, place
        return None

    def _has(self, key: str) -> bool:
        return key in self._local.index or (self._geo is not None and key in self._geo.index)

    def _plausible_single(
        self,
        text: str,
        words: list[tuple[int, int, str]],
        i: int,
        one_case: bool,
        country: str | None,
        memo: MentionMemo,
    ) -> bool:
        word = words[i][2]
        bare = word.lower().strip("'’")
        if len(bare) < 3 and not any(ch.isdigit() for ch in bare):
            return False
        prefix = text[max(0, words[i][0] - 20) : words[i][0]].lower()
        typed = re.search(r"(?:town|city|village|district|province|outskirts) of\s*$", prefix)
        if bare in stopwords() and not typed:
            return False
        loose, spelling = memo.name_keys(word)
        if loose in self._local.index:
            return True
        geo = self._geo
        hit = geo.index.get(loose) if geo is not None else None
        if hit is None or geo is None:
            return False
        ids = (hit,) if isinstance(hit, int) else hit
        # Past this point the word is known only to GeoNames, whose 235k places include
        # plenty of English words, surnames and acronyms.
        if typed:
            return True
        spelled = geo.spelling.get(spelling, ())
        spelled = (spelled,) if isinstance(spelled, int) else spelled
        exact = bool(set(ids) & set(spelled))
        home = country is not None and any(geo.country[k] == country for k in ids)
        sentence_start = i == 0 or bool(re.search(r"[.!?:;\"“]\s*$", text[: words[i][0]]))
        # The loose key alone turns English into places ("Shells" ~ Scuol, "Later" ~ Latur):
        # accept it only for the article's own country, in ordinary mixed-case prose.
        if not exact and (one_case or word.isupper() or sentence_start or not home):
            return False
        big = max(geo.population[k] for k in ids)
        if one_case:
            # Without capitals nothing tells "loyal" from Loyal, Wisconsin: a lone word known
            # only to GeoNames must lie in the article's country or be a large city.
            return home or big >= _ONE_CASE_POPULATION

        if big < 100_000 and self._in_person_name(text, words, i):
            return False
        return home or big >= 1_000

    @staticmethod
    def _in_person_name(text: str, words: list[tuple[int, int, str]], i: int) -> bool:
        """Whether capitalised neighbours make word i part of a name ("Hassan Nasrallah")."""
        kinds = stopwords()
        if i > 0 and _joined(text, words, i - 1):
            prev = words[i - 1][2]
            kind = kinds.get(prev.lower())
            if _capitalised(prev) and prev[:1].isupper() and kind != "word":
                return True
        if i + 1 < len(words) and _joined(text, words, i):
            nxt = words[i + 1][2]
            if (
                _capitalised(nxt)
                and nxt.lower() not in kinds
                and not _CUE_WORD.match(nxt)
                and not _DIRECTION_WORD.match(nxt)
            ):
                return True
        return False


_WORD = re.compile(r"[^\W_](?:[\w'’ʿʾ-]*[^\W_])?")
# A character that can continue a word of _WORD: where one stands at the edge of a window, the
# words inside the window may depend on the text outside it.
_WORD_INNER = re.compile(r"[\w'’ʿʾ-]")
# Before a name, _match_at reads this many characters ("the town of", "outskirts of").
_PREFIX_CHARS = 20


class MentionMemo:
    """What :meth:`MentionFinder.find_places` works out for one article, for its next calls.

    ``resolved``: ``(words, country, admin1) -> Gazetteer.resolve(words, ...)``; ``keys``:
    ``words -> name_keys(words)`` (``normalise`` is its first half).
    ``matches``: the match starting at a word, keyed by everything ``_match_at`` reads to
    find it: the text from the word before (or the 20 characters before) to the end of the
    fifth word after, the word's place in that window, whether there is a word before and how
    many follow, whether the whole text is in one case, the country and ``max_words``. Equal
    keys make equal matches, so the article's opening and sentences, read after its whole
    text, reuse the whole text's work except where a window crosses their edges. A window whose
    edge could be inside a word is not memoised.

    Both are pure functions of their keys for a loaded gazetteer, so reuse changes nothing;
    the memo lives for one article, so memory stays flat and repeated articles gain nothing.
    """

    __slots__ = ("keys", "matches", "resolved")

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, str]] = {}  # words -> name_keys(words)
        self.resolved: dict[tuple[str, str | None, str | None], Place | None] = {}
        self.matches: dict[tuple[object, ...], tuple[int, int, int, Place] | None] = {}

    def name_keys(self, words: str) -> tuple[str, str]:
        found = self.keys.get(words)
        if found is None:
            found = self.keys[words] = name_keys(words)
        return found

    def resolve(self, finder: Any, words: str, country: str | None) -> Place | None:
        key = (words, country, None)
        if key in self.resolved:
            return self.resolved[key]
        place = self.resolved[key] = finder.resolve(words, country=country)
        return place  # type: ignore[no-any-return]

    def match_at(
        self,
        finder: MentionFinder,
        text: str,
        words: list[tuple[int, int, str]],
        i: int,
        one_case: bool,
        country: str | None,
        max_words: int,
    ) -> tuple[int, int, int, Place] | None:
        start = words[i][0]
        prefix = min(start, _PREFIX_CHARS)
        lo = start - prefix
        if i > 0:
            lo = min(lo, words[i - 1][0])
        ahead = min(len(words) - 1 - i, max_words)
        hi = words[i + ahead][1]
        if (lo > 0 and _WORD_INNER.match(text, lo - 1)) or (
            hi < len(text) and _WORD_INNER.match(text, hi)
        ):
            return finder._match_at(text, words, i, one_case, country, max_words, self)
        key = (text[lo:hi], start - lo, prefix, i > 0, ahead, one_case, country, max_words)
        if key in self.matches:
            rel = self.matches[key]
            return None if rel is None else (rel[0] + lo, rel[1] + lo, rel[2] + i, rel[3])
        found = finder._match_at(text, words, i, one_case, country, max_words, self)
        self.matches[key] = (
            None if found is None else (found[0] - lo, found[1] - lo, found[2] - i, found[3])
        )
        return found


_CONNECTORS = frozenset(
    {
        "al",
        "el",
        "ad",
        "ar",
        "as",
        "at",
        "az",
        "an",
        "ash",
        "ath",
        "adh",
        "ed",
        "er",
        "es",
        "et",
        "ez",
        "en",
        "ul",
        "bin",
        "ibn",
        "bani",
        "beni",
        "bou",
        "abu",
        "abou",
        "de",
        "del",
        "di",
        "da",
        "la",
        "le",
        "les",
        "of",
        "the",
        "und",
        "and",
    }
)
_DIRECTION_WORD = re.compile(
    r"^(?:(?:north|south)-?(?:east|west)(?:ern)?|north(?:ern)?|south(?:ern)?|east(?:ern)?|"
    r"west(?:ern)?|rural|central)$",
    re.IGNORECASE,
)
_CUE_WORD = re.compile(
    r"^(?:province|governorate|countryside|district|subdistrict|desert|badiya|camp|crossing|"
    r"airbase|airport|city|town|village|region|valley|mountains?|plains?|border)$",
    re.IGNORECASE,
)
_HYPHENS = frozenset("-‐")
_ARTICLE_PREFIX = re.compile(
    r"^(?:al|el|ad|ar|as|at|az|an|ash|ath|ed|er|es|et|ez|en)[-‐]", re.IGNORECASE
)


_ONE_CASE_POPULATION = 100_000


@cache
def stopwords() -> Mapping[str, str]:
    """Lower-case words find_places() will not tag on their own, with their kind
    (word, title, demonym, name, org), from ``stopwords.txt``."""
    data = read_data_file(DATA_DIR / "stopwords.txt")
    return MappingProxyType({row["word"].lower(): row["kind"] for _, row in data.rows})


def _capitalised(word: str) -> bool:
    if word[2:3] in _HYPHENS or word[3:4] in _HYPHENS:
        # Only a word with a hyphen after its second or third letter can carry an article
        # prefix ("al-Raqqa"); the rest (nearly every word) need no regex.
        word = _ARTICLE_PREFIX.sub("", word)
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _inner_word(word: str) -> bool:
    """A word that can stand inside a name: capitalised, or a connector ("al", "of")."""
    return _capitalised(word) or _connector(word)


def _connector(word: str) -> bool:
    return word.lower() in _CONNECTORS


def _joined(text: str, words: list[tuple[int, int, str]], k: int) -> bool:
    """Whether word k and word k+1 belong to one phrase (only spaces between them)."""
    gap = text[words[k][1] : words[k + 1][0]]
    return gap.strip() == "" and "\n" not in gap
