"""Place-name normalisation shared by gazetteer indexing and lookup.

Conflict reporting spells the same Arabic, Kurdish or Turkish name many ways: "Deir Ezzor",
"Dayr az Zawr", "Deir el-Zour".  Rather than listing every spelling, names are reduced to a
key that erases what transliteration systems disagree on:

* letters: accents, apostrophes and ayn/hamza marks vanish; kh/gh/dh/th/ch/dj/ph digraphs and
  k/q/c are folded onto one consonant each; doubled letters collapse;
* vowels: every run of vowels (with a trailing semivowel as in "ay", "aw") becomes a single
  "a", because Homs/Hims, Idlib/Idleb, Daraa/Deraa differ only in vowel quality.  The
  number and position of vowel slots survive, which is what keeps Hama ("hama") apart from
  Homs ("hams");
* Arabic articles: "al-", "el-", "ad-", "ash-"... go wherever they stand, including the
  assimilated form glued to a later word ("Deir Ezzor" = "Deir ez-Zor");
* "Abu", "Albu" and "Bou" fuse with the next word ("Abu Kamal" = "Boukamal").

The key is lossy on purpose; the gazetteer disambiguates what collides by country, admin
area, population and source.  Only exonyms that no spelling rule can reach (Aleppo/Halab)
go through a small equivalence table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

__all__ = [
    "ARTICLES",
    "NORMALISER_VERSION",
    "Normaliser",
    "Phrase",
    "name_keys",
    "normalise",
    "parse_phrase",
    "spelling_key",
    "tokens",
]

# Bumped whenever the output of normalise() changes, so persisted indexes rebuild.
NORMALISER_VERSION = 2

ARTICLES = frozenset(
    {
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ar",
        "er",
        "as",
        "es",
        "at",
        "et",
        "az",
        "ez",
        "an",
        "en",
        "ash",
        "esh",
        "ath",
        "eth",
        "adh",
        "aj",
    }
)
_ABU = frozenset({"abu", "abou", "abo", "albu", "bu", "bou"})
_SPECIAL = ARTICLES | _ABU

# Marks that stand for ayn/hamza or elision: dropping them joins "Dara'a" into "daraa".
_DROP = "'’‘ʿʾʼʻ`´ˈ\u02bc\u02be\u02bf"
# Punctuation that separates words in feeds ("Deir-ez-Zor", "Raqqa/Tabqa").
_SPACE = '-‐‑‒–—―_/\\.,;:()[]{}"“”«»!?&+|*#@~<>=^'
# Letters NFKD does not decompose into an ASCII base.
_LETTERS = (
    ("ı", "i"),
    ("İ", "i"),
    ("ø", "o"),
    ("Ø", "o"),
    ("ł", "l"),
    ("Ł", "l"),
    ("đ", "d"),
    ("Đ", "d"),
    ("ħ", "h"),
    ("Ħ", "h"),
    ("ß", "ss"),
    ("æ", "ae"),
    ("Æ", "ae"),
    ("œ", "oe"),
    ("Œ", "oe"),
    ("þ", "th"),
    ("ð", "d"),
    ("ə", "e"),
    ("Ə", "e"),
    ("ŋ", "n"),
)
_TABLE = MappingProxyType(
    str.maketrans({**dict.fromkeys(_DROP), **dict.fromkeys(_SPACE, " "), **dict(_LETTERS)})
)

# Order matters: "ch" must become "sh" before the lone "c" is folded onto "k".
_DIGRAPHS = (
    ("kh", "h"),
    ("gh", "g"),
    ("dh", "z"),
    ("th", "t"),
    ("ph", "f"),
    ("dj", "j"),
    ("ch", "sh"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    # English spellings of long vowels, so "Douma" and "Duma" share a spelling key too.
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
)
_C_SOFT = re.compile(r"c(?=[eiy])")
# "Deir"/"Dayr", "Ain"/"Ayn", "Sheikh"/"Shaykh": one diphthong, several spellings.  Only before
# a consonant or the word's end, where the loose key already treats both alike.
_DIPHTHONG = re.compile(r"(?:ai|ei|ey)(?![aeiou])")
# Deletes a letter when the same letter follows; a plain-string replacement keeps re.sub on
# its fast path (a "\1" template is expanded in Python for every match).
_DOUBLE = re.compile(r"([a-z])(?=\1)")
# A y or w closing a syllable is part of the vowel ("Dayr" = "Deir", "Zawr" = "Zour"), as is
# a y after a consonant that no vowel follows ("Qamishly").  Then every vowel run becomes one
# "a".  A word-final h after a vowel goes earlier, with the consonants ("Hamah" = "Hama").
_SEMIVOWEL_Y = re.compile(r"\By(?![aeiou])")
_SEMIVOWEL_W = re.compile(r"(?<=[aeiou])w(?![aeiouy])")
_VOWELS = re.compile(r"[aeiou]+")
_FINAL_H = re.compile(r"(?<=[aeiouy])h\b")
# Sun-letter article assimilated into the next word: "Ezzor", "Arraqqa", "Assuwayda".
_GLUED_ARTICLE = re.compile(r"^[ae]([tdrzsn])(?=\1[a-z]{2})")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")

# Exonyms unrelated by spelling.  Written as plain names; normalised lazily in _exonyms().
_EXONYM_PAIRS: tuple[tuple[str, str], ...] = (
    ("Aleppo", "Halab"),
    ("Alep", "Halab"),
    ("Latakia", "Ladhiqiyah"),
    ("Lattaquie", "Ladhiqiyah"),
)


def _fold(name: str) -> str:
    if name.isascii():
        # Most names are plain ASCII: skip the per-character translation table.
        return _NON_WORD.sub(" ", name.lower().replace("'", "").replace("`", ""))
    text = name.translate(_TABLE)
    if not text.isascii():
        # NFKD splits accented letters; the ascii round-trip drops the marks and, with them,
        # any non-Latin script, which the gazetteer does not index anyway.
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", text.lower())


def tokens(name: str) -> list[str]:
    """Lowercase ASCII words of ``name`` with articles removed and Abu-forms fused."""
    words = _fold(name).split()
    if len(words) < 2 or (
        _SPECIAL.isdisjoint(words)
        and not any(w[0] in "ae" and len(w) > 3 and w[1] == w[2] for w in words[1:])
    ):
        return words
    out: list[str] = []
    last = len(words) - 1
    i = 0
    while i <= last:
        word = words[i]
        if word in ARTICLES and i < last:
            i += 1
            continue
        if word in _ABU and i < last:
            nxt = words[i + 1]
            if nxt in ARTICLES and i + 1 < last:  # "Abu al-Duhur"
                nxt = words[i + 2]
                i += 1
            out.append("bu" + nxt)
            i += 2
            continue
        if out:
            word = _GLUED_ARTICLE.sub("", word, count=1)
        out.append(word)
        i += 1
    return out


def _consonants(text: str) -> str:
    """Fold consonant spellings and doubled letters; vowels keep their quality."""
    # Runs before _DOUBLE, so "Raqqa" -> "rakka" -> "raka".
    for old, new in _DIGRAPHS:
        if old in text:
            text = text.replace(old, new)
    if "c" in text:
        text = _C_SOFT.sub("s", text).replace("c", "k")
    if "i" in text or "ey" in text:
        text = _DIPHTHONG.sub("ay", text)
    text = _DOUBLE.sub("", text)
    return _FINAL_H.sub("", text) if "h" in text else text


def _vowel_fold(text: str) -> str:
    if "y" in text:
        text = _SEMIVOWEL_Y.sub("i", text)
    if "w" in text:
        text = _SEMIVOWEL_W.sub("u", text)
    return _VOWELS.sub("a", text)


@cache
def _exonyms() -> Mapping[str, str]:
    def key(name: str) -> str:
        return _vowel_fold(_consonants(" ".join(tokens(name))))

    return MappingProxyType({key(a): key(b) for a, b in _EXONYM_PAIRS})


def name_keys(name: str) -> tuple[str, str]:
    """``(normalise(name), spelling_key(name))`` computed in one pass."""
    spelling = _consonants(" ".join(tokens(name)))
    loose = _vowel_fold(spelling)
    return _exonyms().get(loose, loose), spelling


def normalise(name: str) -> str:
    """Return the matching key of a place name; equal keys mean "same name, maybe"."""
    return name_keys(name)[0]


def spelling_key(name: str) -> str:
    """A stricter key that keeps vowel quality: "Raqqa" = "ar-Raqqah" but not "Rika".

    Two names with the same spelling key are the same written name give or take articles,
    accents, doubled letters and consonant transliteration; the gazetteer ranks such matches
    above those that only share the looser :func:`normalise` key.
    """
    return name_keys(name)[1]


class Normaliser:
    """:func:`name_keys` for bulk indexing: memoises the folding of each word.

    Place names share few whole strings but many words ("Kafr", "Tall", "Saint"), and every
    folding rule works within a word, so folding words one at a time gives exactly
    name_keys()'s keys.  The memo lives in the instance, so it goes when the indexing ends.
    """

    __slots__ = ("_words",)

    def __init__(self) -> None:
        self._words: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str) -> tuple[str, str]:
        words = self._words
        loose = []
        spelling = []
        for word in tokens(name):
            folded = words.get(word)
            if folded is None:
                cons = _consonants(word)
                folded = words[word] = (_vowel_fold(cons), cons)
            loose.append(folded[0])
            spelling.append(folded[1])
        key = " ".join(loose)
        return _exonyms().get(key, key), " ".join(spelling)


# ---------------------------------------------------------------------------------------------
# Phrases: "near the town of Mayadeen", "Idlib countryside", "the Homs desert"

_PREFIX = re.compile(
    r"^(?:in|at|near|nearby|around|outside|inside|from|to|into|towards?|on|across|within|"
    r"throughout|by|off|of|over|beyond|along|the|a|an|"
    r"close\s+to|next\s+to|parts?\s+of|areas?\s+of|(?:the\s+)?outskirts\s+of|"
    r"(?:the\s+)?vicinity\s+of|(?:the\s+)?(?:edge|edges|heart|centre|center)\s+of|"
    r"(?:\d+(?:\.\d+)?\s*(?:km|kms|kilometres|kilometers|miles|mi)\s+)?"
    r"(?:north|south|east|west)(?:[\s-]?(?:east|west))?(?:ern)?\s+(?:(?:part|parts|side|"
    r"edge|outskirts|countryside)\s+)?of)\s+",
    re.IGNORECASE,
)
# "the town of X", "the province of X": the descriptor comes first and sets the cue.
_TYPED_PREFIX = re.compile(
    r"^(?:the\s+)?(town|city|village|province|governorate|district|sub-?district|"
    r"countryside|region|area|suburb|neighbou?rhood|camp)\s+of\s+",
    re.IGNORECASE,
)
_DESCRIPTOR = re.compile(
    r"\s+(province|governorate|gov|muhafazah?|countryside|sub-?district|district|region|area|"
    r"desert|badiya|badia|city|town|village|suburbs?|neighbou?rhood|refugee\s+camp|camp|"
    r"border\s+crossing|crossing|air\s*base|military\s+airport|airport|base)$",
    re.IGNORECASE,
)
_DIRECTIONAL = re.compile(
    r"^(?:(?:north|south)[\s-]?(?:east|west)(?:ern)?|north(?:ern)?|south(?:ern)?|east(?:ern)?|"
    r"west(?:ern)?|central|upper|lower|greater|rural)\s+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_CUES = MappingProxyType(
    {
        "province": "province",
        "governorate": "province",
        "gov": "province",
        "muhafaza": "province",
        "muhafazah": "province",
        "countryside": "province",
        "district": "district",
        "subdistrict": "district",
        "sub-district": "district",
        "region": "region",
        "area": "region",
        "desert": "region",
        "badiya": "region",
        "badia": "region",
    }
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A place phrase split into the forms worth looking up, most specific first."""

    full: str  # prepositions gone, descriptors kept: "Homs desert", "eastern Ghouta"
    bare: str  # trailing descriptor gone too: "northern Hama" of "northern Hama countryside"
    core: str  # directional words gone too: "Hama"
    cue: str | None  # "province", "district", "region" or "town" when the phrase says so

    def variants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for v in (self.full, self.bare, self.core) if v))


def _cue(word: str) -> str:
    word = re.sub(r"\s+", " ", word.lower())
    return _CUES.get(word, "town")


def parse_phrase(text: str) -> Phrase:
    """Strip prepositions and descriptors from ``text`` and read the precision cue they carry."""
    text = _POSSESSIVE.sub("", text.strip(" \t\n,.;:!?\"'()[]"))
    cue: str | None = None
    while True:
        typed = _TYPED_PREFIX.match(text)
        if typed:
            cue = _cue(typed.group(1))
            text = text[typed.end() :]
            continue
        prefix = _PREFIX.match(text)
        if prefix and prefix.end() < len(text):
            text = text[prefix.end() :]
            continue
        break
    full = text
    bare = full
    while True:
        desc = _DESCRIPTOR.search(bare)
        if not desc or desc.start() == 0:
            break
        cue = cue or _cue(desc.group(1))
        bare = bare[: desc.start()]
    core = bare
    while True:
        direction = _DIRECTIONAL.match(core)
        if not direction or direction.end() >= len(core):
            break
        if direction.group().strip().lower() == "rural":
            cue = cue or "province"
        core = core[direction.end() :]
    return Phrase(full=full, bare=bare, core=core, cue=cue)
