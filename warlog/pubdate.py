"""Publication dates written on the page ("datelines"), or in a dataset's date column.

Below every stage (it imports nothing of warlog): ingestion reads a dataset row's date with
these rules, cleaning a page's datelines, and extraction keeps date spans out of counts.

Only complete dates (day, month and year) count: a page that says "Updated 5
min ago" or "on Saturday" has no date of its own, and we store none rather
than guess. Nothing here reads a clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?\s+)?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    # 08 October 2017 / Sunday 23 August 2015 / 28 May, 2018
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?!\d)", re.I),
    # November 20th, 2015 / Fri Nov 20, 2015 / Published February 23 2015
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)", re.I),
    # Jul 152015: a feed that stripped the comma and the space
    re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]?\d){_YEAR}(?!\d)", re.I),
    # 2018-05-28 (ISO)
    re.compile(rf"\b{_YEAR}-(?P<nmonth>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
    # 24.08.2013 / 18-12-2014 / 23/05/2018: day first, as the outlets that use it do
    re.compile(rf"\b(?P<day>[0-3]?\d)(?P<sep>[./-])(?P<nmonth>[01]?\d)(?P=sep){_YEAR}(?!\d)"),
]

_WEEKDAY_ONLY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?", re.I)
# A line that is nothing but a dateline, with an optional label and time.
_LABEL = r"(?:(?:published|updated|last\s+updated|posted|date)(?:\s+on|\s+at)?:?\s*)"
_TIME = r"(?:\s*[-–|,]?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:gmt|utc|[+-]\d{1,2}|\w{2,4})?)?"
DATELINE_LINE = re.compile(
    rf"^\s*{_LABEL}?(?P<date>.{{6,40}}?){_TIME}\s*$",
    re.I,
)
# "Updated 5 min ago", "Posted 3 hours ago": a date relative to a crawl we don't know.
RELATIVE_DATELINE = re.compile(
    rf"^\s*{_LABEL}?\d+\s*(?:sec|second|min|minute|hour|hr|day|week|month)s?\.?\s+ago\s*$", re.I
)


@dataclass(frozen=True, slots=True)
class Dateline:
    date: date
    text: str  # the words it was read from
    start: int
    end: int


def find_date(text: str) -> Dateline | None:
    """The first complete calendar date written in ``text``, if any."""
    best: Dateline | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            d = _to_date(m)
            if d is None:
                continue
            if best is None or m.start() < best.start:
                best = Dateline(d, m.group(0).strip(), m.start(), m.end())
            break
    return best


def parse_dateline_line(line: str) -> Dateline | None:
    """A date if the whole line is a dateline ("Updated 28 May 2018"), else None."""
    m = DATELINE_LINE.match(line)
    if not m:
        return None
    found = find_date(line)
    if found is None:
        return None
    # The date must cover the line's content, so "Russia, Iran sign deal on 5 May 2015" is no dateline.
    rest = (line[: found.start] + line[found.end :]).strip()
    rest = re.sub(rf"^{_LABEL}", "", rest, flags=re.I).strip()
    rest = re.sub(_TIME, "", rest, count=1, flags=re.I).strip(" -–|,")
    if not rest or _WEEKDAY_ONLY.fullmatch(rest):
        return Dateline(found.date, line.strip(), found.start, found.end)
    return None


def is_relative_dateline(line: str) -> bool:
    return bool(RELATIVE_DATELINE.match(line))


def _to_date(m: re.Match[str]) -> date | None:
    groups = m.groupdict()
    try:
        year = int(groups["year"])
        month = (
            MONTHS[groups["month"].lower().rstrip(".")]
            if groups.get("month")
            else int(groups["nmonth"])
        )
        day = int(groups["day"])
        return date(year, month, day)
    except (ValueError, KeyError, TypeError):
        return None


_TIME_AFTER = re.compile(
    r"\s*(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|\d{3,6})(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:GMT|UTC)(?:[+-]\d{1,2})?)?(?!\d)"
)


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of complete calendar dates in ``text``, each with a time written right after it.

    Counting must never read "06-08-2013" as 2013 dead or "Sat Feb 28 2015 190703" as 190,703.
    """
    spans: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if _to_date(m) is None:
                continue
            end = m.end()
            t = _TIME_AFTER.match(text, end)
            if t:
                end = t.end()
            spans.append((m.start(), end))
    return sorted(spans)
