"""Resolve the date words of a news sentence against the article's publication date.

News reports date events relative to the day they were published ("late on
Thursday", "last week", "since March 2019"), so the only sound anchor is the
publication date. Nothing here reads a clock: without a publication date a
relative expression stays unresolved (its words are kept), and only dates that
spell out their own year resolve.

Resolution rules (``pub`` = publication date):

* weekday ("on Thursday", "Thursday's", "late on Thursday", "Saturday night"):
  the most recent such weekday on or before ``pub``, ``pub`` itself included,
  because reporters write "on Friday" about the day they file.
* "last Thursday" / "previous Thursday": the most recent Thursday *strictly
  before* ``pub`` - identical to "Thursday" unless ``pub`` is a Thursday, when it
  means a week earlier (a reporter who meant today would have said "today").
  "next Thursday": the first Thursday strictly after ``pub``.
* "overnight" / "last night": ``pub - 1 .. pub``; "overnight into Sunday": the
  day before that Sunday .. that Sunday.
* ranges ("between Saturday night and Sunday morning", "20-23 May"): the right
  end is resolved against ``pub``, the left end against the right end's start.
  Two dates joined by "and" ("in March and on May 23") give the window that
  covers both, at the coarser precision.
* windows: "last week" = previous Monday-Sunday; "this week" = Monday .. ``pub``;
  "in the past 24/48 hours", "in the past two days" = ``pub - n .. pub``;
  "earlier this month" = 1st .. ``pub``; "last month" = previous calendar month;
  "in March" = most recent March whose start is on or before ``pub``; "in 2014"
  = that year. A window that contains ``pub`` ends at ``pub``: events are
  reported after they happen. "early"/"mid"/"late" narrow a month to a third
  (1-10 / 11-20 / 21-end) and a year to four-month blocks.
* "two days ago" / "three weeks ago": one day counted back; precision is the
  unit counted in, because "three weeks ago" is only accurate to about a week.
* "since March 2019", "since the start of the war in 2011", "so far this year":
  ``cumulative_start=True``, start = start of that period, end = ``pub``.
  "since the escalation" keeps ``start=None`` (and ``end=pub``).
* explicit dates ("May 23, 2018", "23/05/2018" day-first, "2018-05-23") resolve
  with or without ``pub``; dates without a year ("May 23", "the 23rd") take the
  most recent such day on or before ``pub``.
* words that are no date at all get ``precision="unknown"`` and no dates.

dateparser is only a fallback for formats these rules miss, because it gets
the relative forms wrong against a base date (checked with 1.5.0):
``PREFER_DATES_FROM='past'`` skips the base day itself ("on Friday" based on
Friday 2015-11-20 gives 2015-11-13); ``'current_period'`` sends months and
days into the future ("in December" based on 2016-01-05 gives 2016-12-05; "on
the 23rd" based on 2015-11-20 gives 2015-11-23 under either setting); "last
week" and "this week" come back as single days, "in March" as one day of
March; "overnight", "earlier this month", "in the past 24 hours", "since March
2019", "early March" and "between Saturday night and Sunday morning" are not
parsed at all; bare numbers parse ("35" -> 1935-11-19, "12" -> 2014-12-19).
So dateparser only sees words that look like a date, always with an explicit
base, and without a publication date only answers that name a year and do not
move when the base does are kept.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import MappingProxyType

from warlog.records import EventDate

__all__ = [
    "PRECISIONS",
    "UNKNOWN_PRECISION",
    "EventDate",
    "find_date_expressions",
    "resolve_date",
]

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


_OVERNIGHT_INTO = re.compile(r"(?:late\s+)?overnight\s+(?:into|to|on)\s+(?P<rest>.+)")
_RANGE_PREFIX = re.compile(r"^(?:between|from|on|in)\s+")
_CONNECTOR = re.compile(r"\s+(?:and|to|until|till|through|thru|into)\s+|\s+-\s*|\s*-\s+")
_DAY_RANGE = (
    re.compile(
        rf"(?:the\s+)?(?P<d1>{_DAY}){_ORD}?\s*(?:-|and|to|until|till|through)\s*(?:the\s+)?"
        rf"(?P<d2>{_DAY}){_ORD}?\s+(?:of\s+)?(?P<mon>{_MON})(?:\s+(?P<y>{_YEAR}))?"
    ),
    re.compile(
        rf"(?P<mon>{_MON})\s+(?P<d1>{_DAY}){_ORD}?\s*(?:-|and|to|until|till|through)\s*"
        rf"(?P<d2>{_DAY}){_ORD}?(?:\s+(?P<y>{_YEAR}))?"
    ),
)
_CUMULATIVE = (
    re.compile(r"(?:ever\s+)?since\s+(?P<inner>.+)"),
    re.compile(r"from\s+(?P<inner>.+?)\s+onwards?"),
    re.compile(r"so far\s+(?:in\s+)?(?P<inner>this (?:year|month|week))"),
    re.compile(rf"(?:in\s+)?(?P<inner>this (?:year|month|week)|{_YEAR})\s+so far"),
)
# Where "since <event>" names no date of its own, a month or year in the words still anchors it.
_EMBEDDED = re.compile(rf"\b(?:{_MON}\s+(?:of\s+)?{_YEAR}|{_YEAR}|{_MON_FULL})\b")
_HAS_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
# dateparser turns bare numbers into dates ("12" -> December), so it only sees
# words that look like a date: a month or weekday name, a numeric date, or a counted unit.
_FALLBACK_GUARD = re.compile(
    rf"\b(?:{_MON}|{_WD})\b|\d[/.-]\d|\d{{8}}|\b(?:ago|fortnight|yesterday|tomorrow|today)\b"
)
_FALLBACK_PERIODS = MappingProxyType(
    {"day": "day", "time": "day", "part_of_day": "day", "week": "week",
     "month": "month", "year": "year"}
)  # fmt: skip
# Two unrelated bases: a result that differs between them depends on the base,
# i.e. was relative, and must not resolve without a publication date.
_SENTINEL_BASES = (datetime(2001, 2, 3), datetime(2013, 9, 28))


def _normalise(text: str) -> str:
    s = _APOSTROPHES.sub("'", text.lower())
    s = _DASHES.sub("-", s)
    s = _AMPM.sub(r"\1m", s)
    s = _POSSESSIVE.sub("", s)
    s = _JUNK.sub(" ", s)
    s = _NON_NUMERIC_DOT.sub(" ", s)
    s = _WORD_HYPHEN.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def _part(lead: str) -> str | None:
    part = None
    for m in _PART_WORD.finditer(lead):
        part = _PART_OF_PHRASE[m[1] or m[2]]
    return part


def _strip_time_of_day(s: str) -> str:
    for _ in range(3):  # "at dawn on Sunday morning" needs more than one pass
        before = s
        s = _DAYPART_OF.sub("", s)
        s = _LEADING_TIME.sub("", s)
        s = _TRAILING_TIME.sub("", s)
        if s == before:
            break
    return s


def _resolve_single(s: str, anchor: date | None) -> _Res | None:
    """One date expression (no range, no "since"); None if the words are not one."""
    m = _OVERNIGHT_INTO.fullmatch(s)
    if m:
        target = _resolve_single(m["rest"], anchor)
        if target is None:
            return None
        if target[0] is None:
            return None, None, "day"
        return target[0] - timedelta(days=1), target[0], "day"

    part = None
    lead = _LEAD.match(s)
    if lead:
        part = _part(lead.group(0))
        s = s[lead.end() :]
    for pattern, handler in _PRE_RULES:
        m = pattern.fullmatch(s)
        if m:
            return handler(m, anchor, part)
    s = _strip_time_of_day(s)
    for pattern, handler in _RULES:
        m = pattern.fullmatch(s)
        if m:
            return handler(m, anchor, part)
    return None


def _coarsest(*precisions: str) -> str:
    return max(precisions, key=PRECISIONS.index)


def _resolve_pair(left: str, right: str, anchor: date | None) -> _Res | None:
    end = _resolve_single(right, anchor)
    if end is None:
        return None
    # The left end is anchored on the right end, so "Saturday night and Sunday
    # morning" gives the Saturday just before that Sunday.
    start = _resolve_single(left, end[0] if end[0] is not None else None)
    if start is None:
        return None
    precision = _coarsest(start[2], end[2])
    if start[0] is None or end[1] is None or start[0] > end[1]:
        return None, None, precision
    return start[0], end[1], precision


def _resolve_range(s: str, anchor: date | None) -> _Res | None:
    body = _RANGE_PREFIX.sub("", s)
    for pattern in _DAY_RANGE:
        m = pattern.fullmatch(body)
        if m:
            tail = f" {m['mon']}" + (f" {m['y']}" if m["y"] else "")
            return _resolve_pair(m["d1"] + tail, m["d2"] + tail, anchor)
    for connector in _CONNECTOR.finditer(body):
        res = _resolve_pair(body[: connector.start()], body[connector.end() :], anchor)
        if res is not None:
            return res
    return None


def _fallback_window(d: date, period: str, anchor: date | None) -> _Res:
    precision = _FALLBACK_PERIODS.get(period, "day")
    if precision == "week":
        return _capped(_monday(d), _monday(d) + timedelta(days=6), "week", anchor)
    if precision == "month":
        return _capped(*_month_window(d.year, d.month, None), "month", anchor)
    if precision == "year":
        return _capped(*_year_window(d.year, None), "year", anchor)
    return d, d, "day"


def _dateparser_fallback(s: str, anchor: date | None) -> _Res | None:
    if len(s) > 64 or not _FALLBACK_GUARD.search(s):
        return None
    if anchor is None and not _HAS_YEAR.search(s):
        return None
    # Imported here: dateparser costs ~0.1 s to import and is rarely needed.
    from dateparser.date import DateDataParser

    bases = (datetime(anchor.year, anchor.month, anchor.day),) if anchor else _SENTINEL_BASES
    windows = []
    for base in bases:
        settings = {
            "RELATIVE_BASE": base,  # never let dateparser fall back to the clock
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
            "DATE_ORDER": "DMY",
            "RETURN_TIME_AS_PERIOD": True,
        }
        try:
            data = DateDataParser(languages=["en"], settings=settings).get_date_data(s)
        except (ValueError, OverflowError, TypeError):
            return None  # odd input can trip dateparser's own arithmetic
        if data.date_obj is None or not 1800 <= data.date_obj.year <= 2100:
            return None
        windows.append(_fallback_window(data.date_obj.date(), data.period or "day", anchor))
    if len(set(windows)) != 1:
        return None
    return windows[0]


def _resolve_cumulative(inner: str, anchor: date | None) -> _Res | None:
    res = _resolve_single(inner, anchor) or _resolve_range(inner, anchor)
    if res is not None:
        return res
    m = _EMBEDDED.search(inner)
    if m:
        return _resolve_single(m.group(0), anchor)
    return _dateparser_fallback(inner, anchor)


def resolve_date(text: str, published: date | None) -> EventDate:
    """Resolve one date expression against the publication date (see module doc)."""
    try:
        return _resolve_date(text, published)
    except OverflowError:
        # Arithmetic past the calendar's ends ("yesterday" said on 0001-01-01): no such day.
        return EventDate(text.strip(), None, None, UNKNOWN_PRECISION)


def _resolve_date(text: str, published: date | None) -> EventDate:
    words = text.strip()
    s = _normalise(words)
    if not s:
        return EventDate(words, None, None, UNKNOWN_PRECISION)

    for pattern in _CUMULATIVE:
        m = pattern.fullmatch(s)
        if m:
            res = _resolve_cumulative(m["inner"], published)
            start, precision = (res[0], res[2]) if res else (None, UNKNOWN_PRECISION)
            return EventDate(words, start, published, precision, cumulative_start=True)

    res = _resolve_single(s, published) or _resolve_range(s, published)
    if res is None:
        res = _dateparser_fallback(s, published)
    if res is None:
        return EventDate(words, None, None, UNKNOWN_PRECISION)
    start, end, precision = res
    if start is None or end is None:
        return EventDate(words, None, None, precision)
    return EventDate(words, start, end, precision)


# --- finding expressions in a sentence ----------------------------------------------
# Written against raw text (any case, punctuation kept) and deliberately
# narrower than the resolver: a bare month needs a preposition or qualifier
# ("in March", not "march"), a bare year needs one too ("in 2014", not "2014
# people"), and numbers never match alone.

_F_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_F_MON_FULL = (
    r"(?:january|february|march|april|may(?!\s+(?:have|has|be|been|not|also|still|well|never"
    r"|yet|soon|rise|die|face|need|take|continue|help|lead|mean|seem|include)\b)|june|july"
    r"|august|september|october|november|december)(?![a-z])"
)
_F_MON = rf"(?:{_F_MON_FULL}|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?(?![a-z]))"
_F_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_F_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_F_POSS = r"(?:['’]s)?"
_F_DAYPART = rf"(?:morning|afternoon|evening|night){_F_POSS}"
_F_NUM = (
    r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|twenty[\s-]four|thirty[\s-]six|forty[\s-]eight|seventy[\s-]two"
    r"|a\s+few|few|a\s+couple\s+of|couple\s+of|a\s+dozen)"
)
_F_UNIT = r"(?:hours?|days?|weeks?|fortnights?|months?|years?)"
_F_MOD = r"(?:(?:early|late|mid)[\s-]*|the\s+(?:end|beginning|start|middle)\s+of\s+)"
_F_WDPRE = rf"(?:{_F_WD},?\s+)?"
_F_TIME = (
    r"(?:,?\s+(?:at\s+|around\s+|about\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|gmt|utc)"
    r"(?:\s+local\s+time)?)?"
)
_F_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}(?!\d)"
    # one alternative per separator: a backreference would break once this is repeated
    rf"|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{1,2}}-\d{{1,2}}-(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|{_F_WDPRE}(?:the\s+)?{_F_DAY}\s+(?:of\s+)?{_F_MON}(?:,?\s+{_F_YEAR})?"
    rf"|{_F_WDPRE}{_F_MON}\s+(?:the\s+)?{_F_DAY}(?:,?\s+{_F_YEAR})?)"
)
_F_WDX = (
    rf"(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:late|early)\s+)?"
    rf"(?:(?:last|this\s+past|this|past|previous|next)\s+)?{_F_WD}{_F_POSS}"
    rf"(?:\s+(?:of\s+)?(?:last|this|next)\s+week)?(?:\s+{_F_DAYPART})?"
)
_F_RELDAY = (
    rf"(?:(?:late|early|earlier|later)\s+)?(?:the\s+day\s+before\s+yesterday|yesterday|today"
    rf"|tonight|last\s+night|overnight|this\s+(?:morning|afternoon|evening)){_F_POSS}"
    rf"(?:\s+{_F_DAYPART})?"
)
_F_MONTH_CORE = rf"(?:{_F_MOD})?(?:(?:last|this)\s+)?{_F_MON_FULL}(?:,?\s+(?:of\s+)?{_F_YEAR})?"
_F_CORE = rf"(?:{_F_DATE}|{_F_WDX}|{_F_RELDAY}|{_F_MONTH_CORE}|{_F_YEAR})"
_F_NOUN = (
    r"(?:war|conflict|fighting|uprising|revolution|crisis|offensive|invasion|insurgency"
    r"|campaign|operation|ceasefire|truce|violence|protests?|clashes|hostilities|siege|year"
    r"|month|week)"
)
_F_ALTERNATIVES = (
    # ranges first: at one position the regex takes the first alternative that fits
    rf"(?:between\s+|from\s+|on\s+|in\s+)?(?:the\s+)?{_F_DAY}\s*(?:-|–|and|to|through)\s*"
    rf"(?:the\s+)?{_F_DAY}\s+(?:of\s+)?{_F_MON}(?:,?\s+{_F_YEAR})?",
    rf"(?:between\s+|from\s+|on\s+|in\s+)?{_F_MON}\s+{_F_DAY}\s*(?:-|–|and|to|through)\s*"
    rf"{_F_DAY}(?:,?\s+{_F_YEAR})?",
    rf"(?:between\s+|from\s+|on\s+|in\s+)?{_F_CORE}(?:\s+(?:and|to|until|till|through|into)\s+"
    rf"|\s*[-–]\s*)(?:on\s+|in\s+)?{_F_CORE}",
    rf"(?:ever\s+)?since\s+the\s+(?:(?:recent|latest|current)\s+)?(?:start|beginning|outbreak|onset"
    rf"|escalation|end)(?:\s+of\s+(?:the\s+)?(?:[a-z'-]+\s+)?{_F_NOUN})?"
    rf"(?:\s+in\s+(?:{_F_MON}\s+)?{_F_YEAR}|\s+in\s+{_F_MON_FULL})?",
    rf"from\s+{_F_CORE}\s+onwards?",
    r"(?:so\s+far\s+(?:in\s+)?this\s+(?:year|month|week)|(?:earlier\s+|later\s+)?this\s+"
    r"(?:year|month|week)(?:\s+so\s+far)?|the\s+current\s+(?:year|month|week))",
    rf"(?:(?:late|early)\s+)?overnight\s+(?:into|to)\s+{_F_WD}",
    rf"(?:(?:on|since)\s+)?{_F_DATE}{_F_TIME}",
    rf"(?:(?:in|during|since|from|throughout)\s+)?{_F_MOD}?(?:(?:last|this)\s+)?{_F_MON}"
    rf",?\s+(?:of\s+)?{_F_YEAR}",
    rf"(?:in|during|since|throughout)\s+{_F_MOD}?(?:(?:last|this)\s+)?{_F_MON_FULL}",
    rf"(?:{_F_MOD}|(?:last|this)\s+){_F_MON_FULL}",
    rf"(?:in|during|since|throughout)\s+{_F_MOD}?{_F_YEAR}|{_F_MOD}{_F_YEAR}",
    rf"(?:(?:in|over|during|within|for|throughout|since)\s+)?(?:the\s+)?"
    rf"(?:past|last|previous|preceding)\s+(?:{_F_NUM}\s+)?{_F_UNIT}{_F_POSS}",
    r"the\s+(?:week|month|year)\s+before\s+last",
    rf"{_F_NUM}\s+(?:minutes?|{_F_UNIT})\s+ago",
    rf"(?:(?:over|during|at|on|since)\s+)?(?:the|this|last|this\s+past)\s+weekend{_F_POSS}",
    rf"(?:in\s+)?the\s+early\s+hours\s+of\s+(?:{_F_WD}|yesterday|today)",
    rf"(?:since\s+)?{_F_RELDAY}",
    rf"(?:since\s+)?{_F_WDX}",
    r"(?:on\s+)?the\s+(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)(?!\w)",
)
_FIND = re.compile(
    r"(?<![\w'-])(?:" + "|".join(_F_ALTERNATIVES) + r")(?!\w)",
    re.IGNORECASE,
)
_TRAILING_PUNCT = re.compile(r"[\s,]+$")


def find_date_expressions(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each date/time expression in the sentence, left to right.

    Spans include the preposition or qualifier that changes the date ("since",
    "late on", "in the last") so ``resolve_date`` on the text gives the right window.
    """
    spans = []
    for m in _FIND.finditer(sentence):
        text = m.group(0)
        trimmed = _TRAILING_PUNCT.sub("", text)
        spans.append((m.start(), m.start() + len(trimmed), trimmed))
    return spans
