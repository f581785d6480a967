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

import re
from datetime import date, datetime, timedelta
from types import MappingProxyType

# The rules live in daterules, the finder in clean.datefind (extract finds dates with it
# too); imported here for the callers.
from warlog.clean.datefind import find_date_expressions
from warlog.records import EventDate
from warlog.resolve.daterules import (
    _AMPM,
    _APOSTROPHES,
    _DASHES,
    _DAY,
    _DAYPART_OF,
    _JUNK,
    _LEAD,
    _LEADING_TIME,
    _MON,
    _MON_FULL,
    _NON_NUMERIC_DOT,
    _ORD,
    _PART_OF_PHRASE,
    _PART_WORD,
    _POSSESSIVE,
    _PRE_RULES,
    _RULES,
    _SPACES,
    _TRAILING_TIME,
    _WD,
    _WORD_HYPHEN,
    _YEAR,
    PRECISIONS,
    UNKNOWN_PRECISION,
    _capped,
    _monday,
    _month_window,
    _Res,
    _year_window,
)

__all__ = [
    "PRECISIONS",
    "UNKNOWN_PRECISION",
    "EventDate",
    "find_date_expressions",
    "resolve_date",
]

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
