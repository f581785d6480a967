"""The rules that resolve one normalised date expression: vocabulary, regex fragments,
calendar arithmetic and one handler per form ("yesterday", "last week", "in March",
"23/05/2018", ...), tried in order by ``dates``.

``dates`` (its module doc states the rules) normalises the words, splits ranges and
cumulative forms and falls back to dateparser; ``warlog.clean.datefind`` finds the
expressions in a sentence. The public names stay importable from ``dates``.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from types import MappingProxyType

PRECISIONS = ("day", "week", "month", "year")  # finest to coarsest
# Only for words that are not recognised as any date at all ("since the
# escalation", garbage); resolved or merely unanchored expressions always carry
# one of PRECISIONS.
UNKNOWN_PRECISION = "unknown"


# (start, end, precision); start/end are None when there is nothing to anchor on.
_Res = tuple[date | None, date | None, str]
_Handler = Callable[[re.Match[str], date | None, str | None], _Res]

_WEEKDAYS = MappingProxyType({
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2, "weds": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
})  # fmt: skip
_MONTHS = MappingProxyType({
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
})  # fmt: skip
_NUMBERS = MappingProxyType({
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "twenty four": 24, "thirty six": 36,
    "forty eight": 48, "seventy two": 72, "a dozen": 12,
    # "a few days" is vague; three is the reading least likely to over-widen the window.
    "a few": 3, "few": 3, "a couple of": 2, "a couple": 2, "couple of": 2,
})  # fmt: skip


def _alternation(words: object) -> str:
    # Longest first, so "thursday" is tried before "thu" and "a few" before "a".
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


# --- regex fragments for normalised (lower-case, punctuation-free) text ------
_WD = f"(?:{_alternation(_WEEKDAYS)})"
_MON = f"(?:{_alternation(_MONTHS)})"
_MON_FULL = (
    "(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
_NUM = f"(?:\\d{{1,3}}|{_alternation(_NUMBERS)})"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAYPART = r"(?:morning|afternoon|evening|night|nighttime|night time|early hours)"
_CLOCK = (
    r"(?:\d{1,2}(?:[:.]\d{2}){0,2}\s*(?:am|pm)|\d{1,2}:\d{2}(?::\d{2})?"
    r"|noon|midday|midnight|dawn|dusk|daybreak|sunrise|sunset|nightfall|first light)"
)
_TZ = r"(?:\s+(?:local time|gmt|utc|est|edt|bst|cet|cest|eet|eest))?"
_TIME_PREP = (
    r"(?:(?:at|around|about|at about|at around|shortly after|just after|soon after"
    r"|shortly before|just before|before|after|until|in|during)\s+)?"
)

# --- normalisation -------------------------------------------------------------
_AMPM = re.compile(r"\b([ap])\.\s?m\.?")
_APOSTROPHES = re.compile(r"[’‘`´]")
_DASHES = re.compile(r"[–—‒]")
_POSSESSIVE = re.compile(r"(?<=[a-z])'s?(?=\s|$)")
_JUNK = re.compile(r"[^\w\s./:-]|_")
_NON_NUMERIC_DOT = re.compile(r"(?<!\d)[.:]|[.:](?!\d)")
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_SPACES = re.compile(r"\s+")

# --- prefixes and suffixes that do not move the date -----------------------------
_LEAD = re.compile(
    r"^(?:(?:on|in|during|at|over|within|for|around|about|approximately|circa|sometime"
    r"|some time|as of|from|throughout|overnight|late|early|mid|earlier|later"
    r"|(?:the )?(?:end|beginning|start|middle) of)\s+)+"
)
_PART_WORD = re.compile(r"\b(early|mid|late)\b|\b(beginning|start|middle|end) of\b")
_PART_OF_PHRASE = MappingProxyType(
    {"early": "early", "beginning": "early", "start": "early", "mid": "mid",
     "middle": "mid", "late": "late", "end": "late"}
)  # fmt: skip
_DAYPART_OF = re.compile(
    r"^(?:the\s+)?(?:(?:early|small|wee)\s+)?(?:hours|morning|afternoon|evening|night)\s+of\s+"
)
_LEADING_TIME = re.compile(
    rf"^{_TIME_PREP}(?:the\s+)?(?:{_CLOCK}|{_DAYPART}){_TZ}\s+(?:on\s+|of\s+)?(?=\S)"
)
_TRAILING_TIME = re.compile(rf"\s+(?:on\s+)?{_TIME_PREP}(?:the\s+)?(?:{_CLOCK}|{_DAYPART}){_TZ}$")

# --- date arithmetic -----------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, _last_day(year, month + 1)))


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _weekday_on_or_before(anchor: date, weekday: int) -> date:
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def _month_window(year: int, month: int, part: str | None) -> tuple[date, date]:
    if part == "early":
        return date(year, month, 1), date(year, month, 10)
    if part == "mid":
        return date(year, month, 11), date(year, month, 20)
    if part == "late":
        return date(year, month, 21), date(year, month, _last_day(year, month))
    return date(year, month, 1), date(year, month, _last_day(year, month))


def _year_window(year: int, part: str | None) -> tuple[date, date]:
    first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}.get(part or "", (1, 12))
    return date(year, first, 1), date(year, last, _last_day(year, last))


def _capped(start: date, end: date, precision: str, anchor: date | None) -> _Res:
    # Events are reported after they happen, so a window running past the
    # publication date ("in March" published on 10 March) stops there.
    if anchor is not None and start <= anchor < end:
        end = anchor
    return start, end, precision


def _day(anchor: date | None, back: int) -> _Res:
    if anchor is None:
        return None, None, "day"
    d = anchor - timedelta(days=back)
    return d, d, "day"


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _two_digit_year(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    # Pivot at 70: the corpus is 21st-century news, older two-digit years are rare.
    return 2000 + value if value < 70 else 1900 + value


# --- rule handlers --------------------------------------------------------------
# Each takes the fullmatch, the anchor (publication date, or the right end of a
# range) and the early/mid/late qualifier, and returns (start, end, precision).


def _h_overnight(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    if anchor is None:
        return None, None, "day"
    return anchor - timedelta(days=1), anchor, "day"


def _h_today(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    return _day(anchor, 0)


def _h_yesterday(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    return _day(anchor, 1)


def _h_day_before_yesterday(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    return _day(anchor, 2)


def _h_tomorrow(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    return _day(anchor, -1)


def _h_weekday(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    if anchor is None:
        return None, None, "day"
    weekday = _WEEKDAYS[m["wd"]]
    which = m["which"] or ""
    d = _weekday_on_or_before(anchor, weekday)
    if which in ("last", "previous", "past", "this past") and d == anchor:
        d -= timedelta(days=7)
    elif which in ("next", "coming"):
        d = anchor + timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)
    return d, d, "day"


def _h_weekday_of_week(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    if anchor is None:
        return None, None, "day"
    shift = {"last": -7, "previous": -7, "this": 0, "next": 7}[m["week"]]
    d = _monday(anchor) + timedelta(days=shift + _WEEKDAYS[m["wd"]])
    return d, d, "day"


def _h_weekend(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    if anchor is None:
        return None, None, "day"
    saturday = _weekday_on_or_before(anchor, 5)
    # On a Saturday or Sunday, "last weekend" is the one before the current one.
    if m["which"] == "last" and anchor - saturday <= timedelta(days=1):
        saturday -= timedelta(days=7)
    return _capped(saturday, saturday + timedelta(days=1), "day", anchor)


def _h_calendar_last(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    unit = m["unit"]
    before = bool(m.groupdict().get("before"))  # "the week before last"
    if anchor is None:
        return None, None, unit
    if unit == "week":
        back = 14 if before else 7
        start = _monday(anchor) - timedelta(days=back)
        return start, start + timedelta(days=6), "week"
    if unit == "month":
        prev = _add_months(anchor.replace(day=1), -2 if before else -1)
        return _capped(*_month_window(prev.year, prev.month, part), "month", anchor)
    return _capped(*_year_window(anchor.year - (2 if before else 1), part), "year", anchor)


def _h_calendar_this(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    unit = m["unit"]
    if anchor is None:
        return None, None, unit
    if unit == "week":
        return _monday(anchor), anchor, "week"
    if unit == "month":
        return _capped(*_month_window(anchor.year, anchor.month, part), "month", anchor)
    return _capped(*_year_window(anchor.year, part), "year", anchor)


def _units_back(anchor: date, n: int, unit: str) -> date:
    if unit == "day":
        return anchor - timedelta(days=n)
    if unit in ("week", "fortnight"):
        return anchor - timedelta(days=(14 if unit == "fortnight" else 7) * n)
    if unit == "month":
        return _add_months(anchor, -n)
    return _add_months(anchor, -12 * n)


def _unit_precision(unit: str) -> str:
    if unit == "fortnight":
        return "week"
    return "day" if unit in ("minute", "hour", "day") else unit


def _h_rolling(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    unit = m["unit"]
    n = _number(m["n"]) if m["n"] else 1
    if anchor is None:
        return None, None, _unit_precision(unit)
    if unit == "hour":
        # However late on pub day it was written, n hours reach back at most ceil(n/24) days.
        return anchor - timedelta(days=math.ceil(n / 24)), anchor, "day"
    return _units_back(anchor, n, unit), anchor, _unit_precision(unit)


def _h_ago(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    unit = m["unit"]
    n = _number(m["n"])
    if anchor is None:
        return None, None, _unit_precision(unit)
    if unit == "minute":
        return anchor, anchor, "day"
    if unit == "hour":
        # The time of writing is unknown, so "10 hours ago" may be yesterday or today.
        return anchor - timedelta(days=math.ceil(n / 24)), anchor - timedelta(days=n // 24), "day"
    d = _units_back(anchor, n, unit)
    return d, d, _unit_precision(unit)


def _h_iso(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return d, d, "day"


def _h_numeric(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    year = _two_digit_year(m["y"])
    first, second = int(m["a"]), int(m["b"])
    # Day first, as the outlets in the corpus write it; fall back to US order
    # only when day-first is impossible (05/23/2018).
    d = _safe_date(year, second, first) or _safe_date(year, first, second)
    return d, d, "day"


def _day_month(day: int, month: int, year: str | None, anchor: date | None) -> _Res:
    if year:
        d = _safe_date(int(year), month, day)
        return d, d, "day"
    if anchor is None:
        return None, None, "day"
    # Walk back far enough to reach the previous 29 February.
    for y in range(anchor.year, anchor.year - 9, -1):
        d = _safe_date(y, month, day)
        if d is not None and d <= anchor:
            return d, d, "day"
    return None, None, "day"


def _h_day_month(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    return _day_month(int(m["d"]), _MONTHS[m["mon"]], m["y"], anchor)


def _h_ordinal_day(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    day = int(m["d"] or m["d2"])
    if anchor is None:
        return None, None, "day"
    month_start = anchor.replace(day=1)
    if m["which"] == "last":
        month_start = _add_months(month_start, -1)
        anchor = month_start.replace(day=_last_day(month_start.year, month_start.month))
    # Two months back always reaches a month that has the day (31st after a 30-day month).
    for back in range(3):
        first = _add_months(month_start, -back)
        d = _safe_date(first.year, first.month, day)
        if d is not None and d <= anchor:
            return d, d, "day"
    return None, None, "day"


def _h_month(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    month = _MONTHS[m["mon"]]
    if m["y"]:
        return _capped(*_month_window(int(m["y"]), month, part), "month", anchor)
    if anchor is None:
        return None, None, "month"
    which = m["which"]
    if which == "next":
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif which == "last":
        year = anchor.year if month < anchor.month else anchor.year - 1
    else:
        year = anchor.year
        # A window that starts after publication is last year's: "in December"
        # published in January, and "late March" published on 15 March.
        if _month_window(year, month, part)[0] > anchor:
            year -= 1
    return _capped(*_month_window(year, month, part), "month", anchor)


def _h_year(m: re.Match[str], anchor: date | None, part: str | None) -> _Res:
    return _capped(*_year_window(int(m["y"]), part), "year", anchor)


def _rule(pattern: str, handler: _Handler) -> tuple[re.Pattern[str], _Handler]:
    return re.compile(pattern), handler


# Checked before times of day are stripped, because the time word is the date here.
_PRE_RULES = (
    _rule(
        r"(?:last|yesterday) night|overnight|during the night|in the night|through the night"
        r"|(?:the )?previous night",
        _h_overnight,
    ),
    _rule(r"today|tonight|this (?:morning|afternoon|evening)", _h_today),
    _rule(r"last evening", _h_yesterday),
)

_RULES = (
    _rule(r"today|(?:the )?same day", _h_today),
    _rule(r"yesterday", _h_yesterday),
    _rule(r"(?:the )?day before yesterday", _h_day_before_yesterday),
    _rule(r"tomorrow", _h_tomorrow),
    _rule(
        rf"(?:the\s+)?(?:(?P<which>last|this past|past|previous|this|next|coming)\s+)?(?P<wd>{_WD})",
        _h_weekday,
    ),
    _rule(
        rf"(?P<wd>{_WD})\s+(?:of\s+)?(?P<week>last|previous|this|next)\s+week", _h_weekday_of_week
    ),
    _rule(
        rf"(?P<week>last|previous|this|next)\s+week\s+(?:on\s+)?(?P<wd>{_WD})", _h_weekday_of_week
    ),
    _rule(r"(?:(?P<which>last|this past|past|this|the)\s+)?weekend", _h_weekend),
    _rule(
        r"(?:last|previous|the previous|the preceding)\s+(?P<unit>week|month|year)",
        _h_calendar_last,
    ),
    _rule(r"the\s+(?P<unit>week|month|year)\s+(?P<before>before last)", _h_calendar_last),
    _rule(r"(?:this|the current|the)\s+(?P<unit>week|month|year)(?: so far)?", _h_calendar_this),
    _rule(
        rf"(?:the\s+|this\s+)?(?:past|last|previous|preceding)\s+(?:(?P<n>{_NUM})\s+)?"
        r"(?P<unit>hour|day|week|fortnight|month|year)s?",
        _h_rolling,
    ),
    _rule(rf"(?P<n>{_NUM})\s+(?P<unit>minute|hour|day|week|fortnight|month|year)s?\s+ago", _h_ago),
    # A bare duration ("two days") is read like "the past two days".
    _rule(rf"(?P<n>{_NUM})\s+(?P<unit>hour|day|week|fortnight|month|year)s?", _h_rolling),
    _rule(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})", _h_iso),
    _rule(r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})", _h_numeric),
    _rule(
        rf"(?:{_WD}\s+)?(?:the\s+)?(?P<d>{_DAY}){_ORD}?\s+(?:of\s+)?(?P<mon>{_MON})"
        rf"(?:\s+(?P<y>{_YEAR}))?",
        _h_day_month,
    ),
    _rule(
        rf"(?:{_WD}\s+)?(?P<mon>{_MON})\s+(?:the\s+)?(?P<d>{_DAY}){_ORD}?"
        rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?",
        _h_day_month,
    ),
    _rule(
        rf"(?:{_WD}\s+)?(?:the\s+(?P<d>{_DAY}){_ORD}?|(?P<d2>{_DAY}){_ORD})"
        r"(?:\s+of\s+(?P<which>this|last|the)\s+month)?",
        _h_ordinal_day,
    ),
    _rule(
        rf"(?:(?P<which>last|this|next)\s+)?(?P<mon>{_MON})(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?",
        _h_month,
    ),
    _rule(rf"(?:the\s+year\s+)?(?P<y>{_YEAR})", _h_year),
)
