"""Count expressions in casualty reporting: "at least nine", "dozens", "10-15", "some 160".

Wire copy states death tolls as bounded, hedged or vague phrases rather than bare
integers. This module turns such phrases into a :class:`Count` carrying explicit bounds,
so the ledger can keep a claim as worded ("at least 21") instead of a guessed figure.

Bounds
    A bare figure gives ``low == high == value``. Lower-bound phrases ("at least",
    "more than", "over", "21 or more", ...) drop ``high``; upper-bound phrases ("up to",
    "as many as", "fewer than", ...) drop ``low``. "more than 100" keeps ``low=100``
    rather than 101: ACLED takes the stated figure as the conservative count, and so do
    we. Ranges ("between 10 and 15", "10-15", "10 to 15", "10 or 15") set both ends and
    ``value`` to the low end, again the conservative ACLED reading.

Vague amounts (ACLED coding conventions)
    "dozens" = 12, "tens" = 10, "scores" = 20, "hundreds" = 100, "thousands" = 1000,
    "millions" = 1,000,000; "tens/hundreds of thousands" multiply out; "several hundred",
    "a few thousand" take the unit. All of these set ``vague=True`` with
    ``low == high == value``. Number-less amounts ("several", "many", "a few", "some",
    "a number of", ...) have every bound and ``value`` set to ``None``.

What :func:`find_counts` skips, because the figure is not a head count
    * years: 1900-2099 written as four digits after a date word ("in", "since", "by",
      "the", a month, a day number), before a month or before another number
      ("2015 22 dead"), and year ranges ("2014-2015", "between 2011 and 2014").
      A stated bound overrides this ("at least 2011 people"); otherwise the rule is
      blunt, so "in 2000 attacks" is lost too, while a bare "2011 was worse" is kept;
    * days of the month next to a capitalised month name ("March 3", "3 March");
    * times ("19:14", "0147 PM", "1400 GMT") and zero-padded figures;
    * percentages, durations, distances, money and other units ("24 hours",
      "40 percent", "$5 million", "5 km", "three times");
    * anything glued to a word by a hyphen ("15-day", "5-year-old", "twenty-first",
      "COVID-19", "mid-2014"), ordinals ("21st", "second") and decimals;
    * ages and labels ("aged 12", "children under five", "Resolution 2254", "No. 5").

"one" and "some" are returned even where they are pronouns or determiners ("one of
the", "in some areas"); :func:`is_pronoun_one` lets callers drop the first kind.

Not handled: fractions and percentages of a population ("a third of the 300"), counts
split across sentences, number words glued with hyphens other than "thirty-five"
("ten-fifteen"), and "from 10 to 15" as a range (read as two tolls, a change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from text_to_num import text2num

__all__ = ["Count", "find_counts", "is_pronoun_one", "parse_count"]


@dataclass(frozen=True, slots=True)
class Count:
    """One count expression found in a text, with the bounds it states."""

    low: int | None
    high: int | None
    approx: bool
    vague: bool
    text: str
    start: int
    end: int
    value: int | None


# --- word lists ---------------------------------------------------------------------

_UNIT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Number words that never take a unit after them ("twenty-one" but not "ten-one").
_TEEN_WORDS = (
    "zero", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALE_WORDS = ("hundred", "thousand", "million", "billion")

_LOWER_PREFIXES = frozenset({
    "at least", "more than", "over", "above", "upwards of", "upward of", "no fewer than",
    "no less than", "not less than", "a minimum of", "in excess of", "as few as",
})  # fmt: skip
_UPPER_PREFIXES = frozenset({
    "up to", "as many as", "at most", "no more than", "not more than", "fewer than",
    "less than", "under", "below", "a maximum of",
})  # fmt: skip
_APPROX_PREFIXES = frozenset({
    "some", "about", "around", "nearly", "almost", "approximately", "approx.", "roughly",
    "an estimated", "estimated", "close to", "circa",
})  # fmt: skip
# Phrases that belong to the claim's wording but change no bound.
_NEUTRAL_PREFIXES = frozenset({"a family of", "a total of", "a further", "another"})
# Intensifiers that only shade a prefix ("well over 100"); kept so the span is complete.
_PREFIX_MODIFIERS = ("well", "just", "slightly", "far", "a little", "a bit")

_LOWER_SUFFIXES = frozenset({"or more", "and more", "plus", "+"})
_UPPER_SUFFIXES = frozenset({"or fewer", "or less"})
_APPROX_SUFFIXES = frozenset({"or so", "odd"})

# ACLED codes these plural amounts as fixed figures.
_VAGUE_PLURALS = MappingProxyType({
    "tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
    "millions": 1_000_000,
})  # fmt: skip
_MULTIPLIERS = MappingProxyType({
    "dozen": 12, "score": 20, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
})  # fmt: skip
# Amounts with no figure at all: a claim that people died, not how many.
_VAGUE_WORDS = (
    "several", "many", "a few", "some", "multiple", "numerous", "a handful of", "countless",
)  # fmt: skip
_NUMBER_OF_ADJECTIVES = (
    "large", "small", "significant", "growing", "unknown", "undetermined", "unspecified",
    "undisclosed", "unconfirmed", "high", "great", "considerable", "big", "huge", "sizeable",
)  # fmt: skip

_MONTHS = frozenset(
    name
    for base in (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    )
    for name in (base, base.upper())
)  # fmt: skip
# A trailing full stop after these is an abbreviation, not the end of a sentence.
_ABBREVIATIONS = frozenset({
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
    "approx",
})  # fmt: skip
# Words after which a bare 19xx/20xx is a year.
_DATE_WORDS = frozenset({
    "in", "since", "until", "till", "by", "from", "during", "before", "after", "early", "late",
    "mid", "year", "the", "through", "throughout", "summer", "winter", "spring", "autumn",
    "fall",
})  # fmt: skip
# Words after which a figure is an age, a name or a label rather than a head count.
_LABEL_WORDS = frozenset({
    "aged", "age", "ages", "resolution", "route", "highway", "road", "article", "flight",
    "chapter", "page", "section", "paragraph", "phase", "level", "category", "grade", "room",
    "block", "gate", "platform", "channel", "number", "exit", "line", "unit", "km", "kilometre",
    "kilometer", "mile", "appendix", "version",
})  # fmt: skip
# "children under five" is an age bracket, not "fewer than five".
_AGE_GROUP_WORDS = frozenset({
    "children", "child", "kids", "boys", "girls", "minors", "those", "men", "women",
})  # fmt: skip
_AGE_BOUND_PREFIXES = frozenset({"under", "over", "below", "above"})
_UNIT_WORDS_AFTER = (
    "percent", "per", "pc", "percentage", "points", "hours", "hour", "hrs", "hr", "h",
    "minutes", "minute", "mins", "min", "seconds", "second", "secs", "days", "day", "weeks",
    "week", "months", "month", "years", "year", "decades", "decade", "centuries", "century",
    "am", "pm", "gmt", "utc", "km", "kms", "kilometres", "kilometers", "kilometre", "kilometer",
    "miles", "mile", "metres", "meters", "metre", "meter", "mm", "cm", "kg", "kilograms",
    "tonnes", "tons", "ton", "litres", "liters", "degrees", "times", "dollars", "dollar", "usd",
    "euros", "euro", "eur", "pounds", "gbp", "rupees", "dinars", "lira", "liras", "pesos",
    "rubles", "roubles", "yuan", "yen", "shekels", "riyals", "naira", "birr", "shillings",
    "cents", "hryvnias", "storey", "storeys", "floors", "o'clock",
)  # fmt: skip
_CURRENCY_SYMBOLS = ("$", "£", "€", "¥")
_CURRENCY_CODES = frozenset({"usd", "us", "eur", "gbp", "rs"})
_PRONOUN_ONE_BEFORE = frozenset({
    "no", "any", "every", "each", "this", "that", "the", "which", "someone", "anyone",
})  # fmt: skip
_PRONOUN_ONE_AFTER = frozenset({"of", "another", "who", "whom", "which", "that", "'s"})


# --- patterns -----------------------------------------------------------------------

_Trie = dict[str, "_Trie"]


def _trie_re(trie: _Trie) -> str:
    branches = [
        (r"\s+" if key == " " else re.escape(key)) + _trie_re(sub)
        for key, sub in sorted(trie.items())
        if key
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # The greedy "?" tries the longer phrase first, so "at least" beats "at" and
    # "an estimated" is taken whole.
    return f"(?:{body})?" if "" in trie else body


def _alt(phrases: frozenset[str] | tuple[str, ...]) -> str:
    """A regex matching any of ``phrases``, factored into a trie.

    The regex engine tries alternatives one by one; sharing prefixes makes a failed
    attempt cost one character test instead of one per phrase, which is most of the
    time find_counts spends.
    """
    root: _Trie = {}
    for phrase in phrases:
        node = root
        for key in " ".join(phrase.lower().split()):
            node = node.setdefault(key, {})
        node[""] = {}
    return "(?:" + _trie_re(root) + ")"


_SEP = r"(?:\s+|-)"
_UNIT = _alt(_UNIT_WORDS) + r"\b"
_SMALL = rf"(?:{_alt(_TENS_WORDS)}\b(?:{_SEP}{_UNIT})?|{_alt(_TEEN_WORDS)}\b|{_UNIT})"
_SCALE = _alt(_SCALE_WORDS) + r"\b"
# A grammar rather than "any run of number words", so "two three" stays two numbers.
_SCALE_TAIL = rf"(?:{_SEP}{_SCALE}(?:(?:\s+and)?{_SEP}{_SMALL})?)*"
_SPELLED = rf"{_SMALL}{_SCALE_TAIL}"
_A_SCALE = rf"a\s+{_SCALE}(?:(?:\s+and)?{_SEP}{_SMALL})?{_SCALE_TAIL}"
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?![\w]|[.,:/][0-9])"
_DECIMAL_SCALED = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)\s*"
    r"(?:hundred|thousand|million|billion|mn|bn)\b"
)
_SCORES_CONTEXT = (
    "of", "more", "were", "have", "had", "died", "dead", "killed", "wounded", "injured",
    "others", "people",
)  # fmt: skip
_VAGUE_PLURAL = (
    r"(?:dozens|hundreds|thousands|millions|tens(?=\s+of\b)"
    rf"|scores(?=\s+{_alt(_SCORES_CONTEXT)}\b))\b"
)

_ATOM_PARTS = (
    ("half_dozen", r"half\s+a\s+dozen\b"),
    ("couple_scaled", r"a\s+couple(?:\s+of)?\s+(?:dozen|hundred|thousand)\b"),
    ("pair", r"a\s+(?:pair|couple)\s+of\b"),
    (
        "vague_scaled",
        r"(?:several|a\s+few|few|many)\s+(?:dozens?|hundreds?|thousands?|millions?)\b",
    ),
    ("vague_of", r"(?:tens|dozens|hundreds|scores)\s+of\s+(?:thousands|millions)\b"),
    ("vague_plural", _VAGUE_PLURAL),
    ("dozen", rf"(?:a|{_SMALL}|[0-9]+)\s+dozen\b"),
    ("score", r"a\s+score\b"),
    ("decimal_scaled", _DECIMAL_SCALED),
    ("digits", _DIGITS),
    ("a_scale", _A_SCALE),
    ("spelled", _SPELLED),
)
# Order matters: at one offset the first alternative that fits wins.
_ATOM = "(?:" + "|".join(pattern for _, pattern in _ATOM_PARTS) + ")"
# Re-reads one atom already cut out of a sentence, so context lookaheads must go.
_ATOM_RE = re.compile(
    "|".join(
        f"(?P<{name}>{_alt(tuple(_VAGUE_PLURALS)) if name == 'vague_plural' else pattern})"
        for name, pattern in _ATOM_PARTS
    )
)

_ALL_PREFIXES = _LOWER_PREFIXES | _UPPER_PREFIXES | _APPROX_PREFIXES | _NEUTRAL_PREFIXES
_LOWER, _UPPER, _APPROX, _NEUTRAL = "lower", "upper", "approx", "neutral"
_PREFIX_KINDS = MappingProxyType({
    **dict.fromkeys(_NEUTRAL_PREFIXES, _NEUTRAL),
    **dict.fromkeys(_LOWER_PREFIXES, _LOWER),
    **dict.fromkeys(_UPPER_PREFIXES, _UPPER),
    **dict.fromkeys(_APPROX_PREFIXES, _APPROX),
})  # fmt: skip
_SUFFIX_KINDS = MappingProxyType({
    **dict.fromkeys(_LOWER_SUFFIXES, _LOWER),
    **dict.fromkeys(_UPPER_SUFFIXES, _UPPER),
    **dict.fromkeys(_APPROX_SUFFIXES, _APPROX),
})  # fmt: skip
_SUFFIX = (
    r"(?P<suf>\s+(?:or\s+more|and\s+more|or\s+so|or\s+fewer|or\s+less)\b"
    r"|(?:\s+|-)(?:plus|odd)\b|\+)"
)
_VAGUE_NO_VALUE = (
    rf"(?:an?\s+(?:{_alt(_NUMBER_OF_ADJECTIVES)}\s+)?number\s+of|{_alt(_VAGUE_WORDS)})\b"
)
# Every word a count expression can start with (digits aside).
_FIRST_WORDS = frozenset(
    phrase.split()[0].rstrip(".")
    for group in (
        _UNIT_WORDS, _TEEN_WORDS, _TENS_WORDS, _ALL_PREFIXES, _PREFIX_MODIFIERS, _VAGUE_WORDS,
        tuple(_VAGUE_PLURALS), ("a", "an", "half", "between", "few"),
    )
    for phrase in group
)  # fmt: skip

# All patterns run on lower-cased text (see _fold): without IGNORECASE the engine can
# reject an alternative on its first literal character, which makes scanning ~2x faster.
_COUNT_RE = re.compile(
    r"(?<![\w.,:/$£€¥])"
    # Cheap gate: most word starts fail here on a one-character test.
    rf"(?=[0-9]|{_alt(_FIRST_WORDS)}\b)"
    r"(?:"
    rf"(?P<between>between)\s+(?P<b1>{_ATOM})\s+(?:and|to|-|–)\s+(?P<b2>{_ATOM})"
    rf"|(?:(?:{_alt(_PREFIX_MODIFIERS)}\s+)?(?P<pre>{_alt(_ALL_PREFIXES)})\s+)?"
    rf"(?P<n1>{_ATOM})"
    rf"(?:(?P<sep>\s*[-–—]\s*|\s+to\s+|\s+or\s+)(?P<n2>{_ATOM}))?"
    rf"{_SUFFIX}?"
    rf"|(?P<vague>{_VAGUE_NO_VALUE})"
    r")"
)
_UNIT_AFTER_RE = re.compile(
    rf"\s*(?:%|a\.m\.|p\.m\.)|-[^\W\d_]|\s+{_alt(_UNIT_WORDS_AFTER)}(?![\w'])"
)
_NEXT_TOKEN_RE = re.compile(r"([ \t,]*)([^\W\d_]+|[0-9]+)")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# "No. 5", "#5": a number sign; a bare "no" is left alone so "no one" still yields "one".
_NUMBER_SIGNS = ("no.", "no. ", "#", "# ", "№", "№ ")


def _fold(text: str) -> str:
    folded = text.lower()
    # A few characters lower-case to two ("İ"); offsets must stay those of the input.
    return folded if len(folded) == len(text) else text.translate(_ASCII_LOWER)


def _words(text: str) -> str:
    return " ".join(text.split())


# --- atoms --------------------------------------------------------------------------


class _Atom(NamedTuple):
    value: int
    vague: bool
    approx: bool


def _spelled_value(text: str) -> int | None:
    try:
        return text2num(text, "en")
    except ValueError:
        # The grammar admits a few sequences text2num rejects ("one hundred two hundred").
        return None


# Counts beyond this (more people than live on Earth) are not head counts: read as numbers,
# 4,300+ digits raise in int(), "1" and 330 zeros "million" overflow a float, and 2**63 the
# store's 64-bit integers. Such a phrase is no count at all.
MAX_COUNT = 10_000_000_000
_MAX_DIGITS = len(str(MAX_COUNT)) + 4  # room for decimals ("1.25 million")


@lru_cache(maxsize=4096)
def _atom(text: str) -> _Atom | None:
    """Value of one lower-cased number phrase such as "2,719", "thirty-five" or "dozens"."""
    if sum(ch.isdigit() for ch in text) > _MAX_DIGITS:
        return None
    atom = _atom_value(text)
    return atom if atom is None or 0 <= atom.value <= MAX_COUNT else None


def _atom_value(text: str) -> _Atom | None:
    m = _ATOM_RE.fullmatch(text)
    if m is None:
        return None
    kind = m.lastgroup
    words = _words(text)
    last = words.rsplit(None, 1)[-1]
    if kind == "half_dozen":
        return _Atom(6, False, False)
    if kind == "couple_scaled":
        return _Atom(2 * _MULTIPLIERS[last], False, True)
    if kind == "pair":
        return _Atom(2, False, False)
    if kind == "vague_scaled":
        return _Atom(_MULTIPLIERS[last.removesuffix("s")], True, False)
    if kind == "vague_of":
        first = words.split(None, 1)[0]
        return _Atom(_VAGUE_PLURALS[first] * _VAGUE_PLURALS[last], True, False)
    if kind == "vague_plural":
        return _Atom(_VAGUE_PLURALS[words], True, False)
    if kind in ("dozen", "score"):
        head = words.rsplit(None, 1)[0]
        if head == "a":
            factor: int | None = 1
        elif head[0].isdigit():
            factor = int(head)
        else:
            factor = _spelled_value(head)
        return None if factor is None else _Atom(factor * _MULTIPLIERS[last], False, False)
    if kind == "decimal_scaled":
        number = re.match(r"[0-9.,]+", words)
        assert number is not None  # the pattern starts with a digit
        scale = _MULTIPLIERS[words[number.end() :].strip()]
        return _Atom(round(float(number.group().replace(",", "")) * scale), False, False)
    if kind == "digits":
        return _Atom(int(text.replace(",", "")), False, False)
    # text2num has no "a hundred"; "one hundred" means the same.
    value = _spelled_value("one" + words[1:] if kind == "a_scale" else words)
    return None if value is None else _Atom(value, False, False)


# --- building counts ----------------------------------------------------------------

# _count unpacks m.groups() by position, the cheapest way to read nine groups.
_GROUPS = ("between", "b1", "b2", "pre", "n1", "sep", "n2", "suf", "vague")
assert tuple(_COUNT_RE.groupindex) == _GROUPS
_DASHES = ("-", "–", "—")


def _phrase_kind(table: MappingProxyType[str, str], phrase: str) -> str | None:
    kind = table.get(phrase)
    # Only odd spacing ("at  least", " or more") needs the slower normalised lookup.
    return kind if kind is not None else table.get(_words(phrase).strip(" -"))


def _count(m: re.Match[str], text: str, folded: str, in_context: bool) -> Count | None:
    """The Count a match on ``folded`` states, or None if it is not a head count.

    With ``in_context`` the words around the match are checked too (years, units, ...).
    """
    start, end = m.span()
    if in_context and _UNIT_AFTER_RE.match(folded, end):
        return None
    between, b1, b2, pre, n1, sep, n2, suf, vague = m.groups()
    if vague is not None:
        return Count(None, None, False, True, text[start:end], start, end, None)
    first_text = n1 if between is None else b1
    second_text = n2 if between is None else b2
    prefix_kind = None if pre is None else _phrase_kind(_PREFIX_KINDS, pre)
    if in_context and _is_noise(
        text, folded, start, end, first_text, second_text, pre, prefix_kind, suf
    ):
        return None

    first = _atom(first_text)
    if first is None:
        return None
    low: int | None = first.value
    high: int | None = first.value
    value = first.value
    approx = first.approx
    vague_amount = first.vague
    if second_text is not None:
        second = _atom(second_text)
        if second is None:
            return None
        high = second.value
        approx = approx or second.approx
        vague_amount = vague_amount or second.vague
        if high < first.value:
            # "2-1" and "555-1234" are scores and codes; "15 or 10" is just out of order.
            if between is None and sep.strip() in _DASHES:
                return None
            low, high = high, first.value
        # A range's value is its low end, the figure ACLED would code.
        value = low

    suffix_kind = None if suf is None else _phrase_kind(_SUFFIX_KINDS, suf)
    if _LOWER in (prefix_kind, suffix_kind):
        high = None
    if _UPPER in (prefix_kind, suffix_kind):
        low = None
    if _APPROX in (prefix_kind, suffix_kind):
        approx = True
    return Count(low, high, approx, vague_amount, text[start:end], start, end, value)


# --- context --------------------------------------------------------------------------


def _prev_word(text: str, start: int) -> str:
    """The word before ``start``, or "" at a sentence boundary; case kept."""
    stop = start
    while stop and text[stop - 1].isspace():
        stop -= 1
    word = text[text.rfind(" ", 0, stop) + 1 : stop]
    if not word:
        return ""
    if not word.isalnum():
        word = word.split()[-1]  # a newline or tab may separate words too
        bare = word.strip("\"'()[],;:")
        if bare.endswith((".", "!", "?")):
            bare = bare.rstrip(".!?")
            if word[-1] != "." or bare.lower() not in _ABBREVIATIONS:
                return ""
        return bare
    return word


# Set lookups: find_counts asks these of every figure, and parsing ints costs more.
_YEARS = frozenset(str(year) for year in range(1900, 2100))
_DAYS = frozenset(str(day) for day in range(1, 32)) | {f"0{day}" for day in range(1, 10)}


def _is_noise(
    text: str,
    folded: str,
    start: int,
    end: int,
    first: str,
    second: str | None,
    prefix: str | None,
    prefix_kind: str | None,
    suffix: str | None,
) -> bool:
    """Whether a figure is a date, time, label, age or sum rather than a head count."""
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        return True
    if folded.endswith(_NUMBER_SIGNS, max(0, start - 5), start):
        return True
    prev_raw = _prev_word(text, start)
    prev = prev_raw.lower()
    if prev in _LABEL_WORDS or prev_raw.endswith(_CURRENCY_SYMBOLS) or prev in _CURRENCY_CODES:
        return True
    if prefix is not None and prefix in _AGE_BOUND_PREFIXES and prev in _AGE_GROUP_WORDS:
        return True
    if len(first) > 1 and first[0] == "0" and first.isdigit():
        return True
    if second is not None:
        # "2014-2015", "2014-15", "between 2011 and 2014".
        return first in _YEARS and (second in _YEARS or (len(second) == 2 and second.isdigit()))
    # A stated bound ("at least 2000") marks a head count, whatever the digits look like.
    if prefix_kind in (_LOWER, _UPPER) or suffix is not None:
        return False
    year, day = first in _YEARS, first in _DAYS
    if not (year or day):
        return False
    nxt = _NEXT_TOKEN_RE.match(text, end)
    next_word = nxt.group(2) if nxt else ""
    if year:
        return (
            prev in _DATE_WORDS
            or prev_raw in _MONTHS
            or prev_raw in _DAYS
            or next_word in _MONTHS
            # "2015 22 dead": a bare number straight after is the toll, this the year.
            or (nxt is not None and nxt.group(1).isspace() and next_word.isdigit())
        )
    return prev_raw in _MONTHS or next_word in _MONTHS


# --- public API ------------------------------------------------------------------------


def parse_count(text: str) -> Count | None:
    """Parse ``text`` when the whole of it (bar surrounding spaces) is a count expression.

    No context rules apply: ``parse_count("2011")`` is 2011. Offsets refer to ``text``.
    """
    lead = len(text) - len(text.lstrip())
    folded = _fold(text)
    m = _COUNT_RE.fullmatch(folded, lead, len(text.rstrip()))
    return None if m is None else _count(m, text, folded, in_context=False)


def find_counts(text: str) -> list[Count]:
    """All count expressions in ``text``, left to right, non-overlapping.

    Skips years, dates, times, units, labels and ages (see the module docstring).
    """
    folded = _fold(text)
    counts: list[Count] = []
    for m in _COUNT_RE.finditer(folded):
        if m.group("sep") is not None and m.group("sep").strip() == "to":
            parts = _split_from_to(m, text, folded)
        else:
            parts = (m,)
        for part in parts:
            count = _count(part, text, folded, in_context=True)
            if count is not None:
                counts.append(count)
    return counts


def _split_from_to(m: re.Match[str], text: str, folded: str) -> tuple[re.Match[str], ...]:
    # "rose from 10 to 15" reports two tolls, not a range; "from 2011 to 2014" stays
    # whole so the year-range rule can drop it.
    if _prev_word(text, m.start()).lower() != "from" or _count(m, text, folded, True) is None:
        return (m,)
    parts = (
        _COUNT_RE.match(folded, m.start(), m.end("n1")),
        _COUNT_RE.match(folded, m.start("n2"), m.end()),
    )
    return tuple(part for part in parts if part is not None)


def is_pronoun_one(count: Count, text: str) -> bool:
    """Whether a "one" found in ``text`` reads as a pronoun ("one of the", "no one")."""
    if count.text.lower() != "one":
        return False
    if text.startswith("'s", count.end):
        return True
    nxt = _NEXT_TOKEN_RE.match(text, count.end)
    if nxt is not None and "," not in nxt.group(1) and nxt.group(2).lower() in _PRONOUN_ONE_AFTER:
        return True
    return _prev_word(text, count.start).lower() in _PRONOUN_ONE_BEFORE
