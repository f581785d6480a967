"""Tests for warlog.resolve.dates.

Every expected value is a literal worked out by hand from a calendar, never
computed from the clock, so a pass on any day proves the same thing.
Weekdays of the publication dates used: 2015-11-16 Mon, 2015-11-19 Thu,
2015-11-20 Fri, 2015-11-22 Sun, 2016-01-05 Tue, 2017-01-02 Mon, 2018-05-26 Sat,
2018-05-27 Sun, 2019-03-15 Fri.
"""

from __future__ import annotations

import ast
import inspect
from datetime import date, datetime

import pytest

from warlog.resolve import dates
from warlog.resolve.dates import EventDate, find_date_expressions, resolve_date


def d(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


FRI = "2015-11-20"
SUN = "2018-05-27"

# (expression, publication date, expected start, expected end, precision)
RESOLVED = [
    # weekdays: most recent on or before publication, publication day included
    ("on Friday", FRI, "2015-11-20", "2015-11-20", "day"),
    ("on Thursday", FRI, "2015-11-19", "2015-11-19", "day"),
    ("Thursday", FRI, "2015-11-19", "2015-11-19", "day"),
    ("on Saturday", FRI, "2015-11-14", "2015-11-14", "day"),
    ("late on Thursday", FRI, "2015-11-19", "2015-11-19", "day"),
    ("early Monday", FRI, "2015-11-16", "2015-11-16", "day"),
    ("on Sunday morning", FRI, "2015-11-15", "2015-11-15", "day"),
    ("Saturday night", FRI, "2015-11-14", "2015-11-14", "day"),
    ("Thursday's", FRI, "2015-11-19", "2015-11-19", "day"),
    ("Thursday night’s", FRI, "2015-11-19", "2015-11-19", "day"),
    ("in the early hours of Sunday", FRI, "2015-11-15", "2015-11-15", "day"),
    ("at dawn on Sunday", FRI, "2015-11-15", "2015-11-15", "day"),
    ("Thursday at 10 p.m. local time", FRI, "2015-11-19", "2015-11-19", "day"),
    ("on Wednesday", SUN, "2018-05-23", "2018-05-23", "day"),
    ("On Tuesday", SUN, "2018-05-22", "2018-05-22", "day"),
    ("Sunday", SUN, "2018-05-27", "2018-05-27", "day"),
    ("on Monday", SUN, "2018-05-21", "2018-05-21", "day"),
    ("Saturday night", SUN, "2018-05-26", "2018-05-26", "day"),
    ("on Friday", "2017-01-02", "2016-12-30", "2016-12-30", "day"),
    ("Sunday", "2017-01-02", "2017-01-01", "2017-01-01", "day"),
    ("Monday", "2017-01-02", "2017-01-02", "2017-01-02", "day"),
    # "last <weekday>" is strictly before publication; the others include it
    ("last Thursday", FRI, "2015-11-19", "2015-11-19", "day"),
    ("last Thursday", "2015-11-19", "2015-11-12", "2015-11-12", "day"),
    ("last Friday", FRI, "2015-11-13", "2015-11-13", "day"),
    ("the previous Friday", FRI, "2015-11-13", "2015-11-13", "day"),
    ("this Thursday", "2015-11-19", "2015-11-19", "2015-11-19", "day"),
    ("next Thursday", "2015-11-19", "2015-11-26", "2015-11-26", "day"),
    ("next Thursday", FRI, "2015-11-26", "2015-11-26", "day"),
    ("Thursday last week", FRI, "2015-11-12", "2015-11-12", "day"),
    ("Monday this week", FRI, "2015-11-16", "2015-11-16", "day"),
    # days relative to publication
    ("yesterday", FRI, "2015-11-19", "2015-11-19", "day"),
    ("late yesterday", FRI, "2015-11-19", "2015-11-19", "day"),
    ("yesterday morning", FRI, "2015-11-19", "2015-11-19", "day"),
    ("yesterday's", FRI, "2015-11-19", "2015-11-19", "day"),
    ("yesterday", "2017-01-01", "2016-12-31", "2016-12-31", "day"),
    ("today", FRI, "2015-11-20", "2015-11-20", "day"),
    ("this morning", FRI, "2015-11-20", "2015-11-20", "day"),
    ("tonight", FRI, "2015-11-20", "2015-11-20", "day"),
    ("the day before yesterday", FRI, "2015-11-18", "2015-11-18", "day"),
    # the night before publication
    ("overnight", FRI, "2015-11-19", "2015-11-20", "day"),
    ("last night", FRI, "2015-11-19", "2015-11-20", "day"),
    ("late last night", FRI, "2015-11-19", "2015-11-20", "day"),
    ("overnight", "2016-01-01", "2015-12-31", "2016-01-01", "day"),
    ("overnight into Sunday", SUN, "2018-05-26", "2018-05-27", "day"),
    # ranges: right end against publication, left end against the right end
    ("between Saturday night and Sunday morning", SUN, "2018-05-26", "2018-05-27", "day"),
    ("Saturday night and Sunday morning", SUN, "2018-05-26", "2018-05-27", "day"),
    ("Saturday night and Sunday morning", "2018-05-28", "2018-05-26", "2018-05-27", "day"),
    ("between Saturday night and Sunday morning", "2018-05-26", "2018-05-19", "2018-05-20", "day"),
    ("from Monday to Wednesday", FRI, "2015-11-16", "2015-11-18", "day"),
    ("between 20 and 23 May", "2018-06-01", "2018-05-20", "2018-05-23", "day"),
    ("May 23 - 25", FRI, "2015-05-23", "2015-05-25", "day"),
    ("between March and May", "2019-06-10", "2019-03-01", "2019-05-31", "month"),
    # calendar weeks (Monday-Sunday) and rolling windows
    ("last week", FRI, "2015-11-09", "2015-11-15", "week"),
    ("last week", "2015-11-16", "2015-11-09", "2015-11-15", "week"),
    ("last week", "2015-11-22", "2015-11-09", "2015-11-15", "week"),
    ("last week", "2017-01-02", "2016-12-26", "2017-01-01", "week"),
    ("this week", FRI, "2015-11-16", "2015-11-20", "week"),
    ("this week", "2015-11-16", "2015-11-16", "2015-11-16", "week"),
    ("earlier this week", FRI, "2015-11-16", "2015-11-20", "week"),
    ("the week before last", FRI, "2015-11-02", "2015-11-08", "week"),
    ("over the weekend", FRI, "2015-11-14", "2015-11-15", "day"),
    ("this weekend", "2015-11-22", "2015-11-21", "2015-11-22", "day"),
    ("last weekend", "2015-11-22", "2015-11-14", "2015-11-15", "day"),
    ("in the last 24 hours", FRI, "2015-11-19", "2015-11-20", "day"),
    ("in the past 24 hours", FRI, "2015-11-19", "2015-11-20", "day"),
    ("in the last 24 hours", "2016-01-01", "2015-12-31", "2016-01-01", "day"),
    ("in the past 48 hours", FRI, "2015-11-18", "2015-11-20", "day"),
    ("in the last 12 hours", FRI, "2015-11-19", "2015-11-20", "day"),  # may cross midnight
    ("in the past 36 hours", FRI, "2015-11-18", "2015-11-20", "day"),
    ("over the past two days", FRI, "2015-11-18", "2015-11-20", "day"),
    ("two days", FRI, "2015-11-18", "2015-11-20", "day"),
    ("in the past few days", FRI, "2015-11-17", "2015-11-20", "day"),
    ("in the past week", FRI, "2015-11-13", "2015-11-20", "week"),
    ("in the past three months", FRI, "2015-08-20", "2015-11-20", "month"),
    # counted back: one day, precision of the unit counted in
    ("two days ago", FRI, "2015-11-18", "2015-11-18", "day"),
    ("a week ago", FRI, "2015-11-13", "2015-11-13", "week"),
    ("three weeks ago", FRI, "2015-10-30", "2015-10-30", "week"),
    ("a fortnight ago", FRI, "2015-11-06", "2015-11-06", "week"),
    ("a month ago", FRI, "2015-10-20", "2015-10-20", "month"),
    ("two years ago", FRI, "2013-11-20", "2013-11-20", "year"),
    ("10 hours ago", FRI, "2015-11-19", "2015-11-20", "day"),
    # months
    ("earlier this month", FRI, "2015-11-01", "2015-11-20", "month"),
    ("this month", FRI, "2015-11-01", "2015-11-20", "month"),
    ("last month", FRI, "2015-10-01", "2015-10-31", "month"),
    ("last month", "2016-01-05", "2015-12-01", "2015-12-31", "month"),
    ("last month", "2016-03-01", "2016-02-01", "2016-02-29", "month"),
    ("late last month", FRI, "2015-10-21", "2015-10-31", "month"),
    ("in March", FRI, "2015-03-01", "2015-03-31", "month"),
    ("March", FRI, "2015-03-01", "2015-03-31", "month"),
    ("in March", "2019-02-10", "2018-03-01", "2018-03-31", "month"),
    ("in March", "2019-03-15", "2019-03-01", "2019-03-15", "month"),  # stops at publication
    ("in December", "2016-01-05", "2015-12-01", "2015-12-31", "month"),
    ("last March", "2019-03-15", "2018-03-01", "2018-03-31", "month"),
    ("early March", "2019-03-15", "2019-03-01", "2019-03-10", "month"),
    ("late March", "2019-03-15", "2018-03-21", "2018-03-31", "month"),
    ("mid-March", FRI, "2015-03-11", "2015-03-20", "month"),
    ("in March 2019", None, "2019-03-01", "2019-03-31", "month"),
    # years
    ("in 2014", FRI, "2014-01-01", "2014-12-31", "year"),
    ("in 2014", None, "2014-01-01", "2014-12-31", "year"),
    ("in 2015", FRI, "2015-01-01", "2015-11-20", "year"),
    ("last year", FRI, "2014-01-01", "2014-12-31", "year"),
    ("earlier this year", FRI, "2015-01-01", "2015-11-20", "year"),
    ("early 2015", None, "2015-01-01", "2015-04-30", "year"),
    ("late 2014", None, "2014-09-01", "2014-12-31", "year"),
    ("from 2014 to 2016", None, "2014-01-01", "2016-12-31", "year"),
    # day and month without a year: most recent on or before publication
    ("on May 23", FRI, "2015-05-23", "2015-05-23", "day"),
    ("May 23", FRI, "2015-05-23", "2015-05-23", "day"),
    ("23 May", FRI, "2015-05-23", "2015-05-23", "day"),
    ("the 23rd of May", FRI, "2015-05-23", "2015-05-23", "day"),
    ("May 23rd", FRI, "2015-05-23", "2015-05-23", "day"),
    ("May 23", "2018-05-23", "2018-05-23", "2018-05-23", "day"),
    ("May 23", "2018-05-22", "2017-05-23", "2017-05-23", "day"),
    ("December 31", "2016-01-05", "2015-12-31", "2015-12-31", "day"),
    ("February 29", "2019-03-01", "2016-02-29", "2016-02-29", "day"),
    # day of month only
    ("on the 23rd", FRI, "2015-10-23", "2015-10-23", "day"),
    ("on the 23rd", "2015-11-23", "2015-11-23", "2015-11-23", "day"),
    ("the 31st", FRI, "2015-10-31", "2015-10-31", "day"),
    ("the 31st", "2015-12-05", "2015-10-31", "2015-10-31", "day"),
    ("the 30th", "2016-03-01", "2016-01-30", "2016-01-30", "day"),
    ("the 5th of last month", FRI, "2015-10-05", "2015-10-05", "day"),
    # explicit dates: the same with or without a publication date, even after it
    ("May 23, 2018", None, "2018-05-23", "2018-05-23", "day"),
    ("May 23, 2018", FRI, "2018-05-23", "2018-05-23", "day"),
    ("23 May 2018", None, "2018-05-23", "2018-05-23", "day"),
    ("2018-05-23", None, "2018-05-23", "2018-05-23", "day"),
    ("23/05/2018", None, "2018-05-23", "2018-05-23", "day"),
    ("23.05.2018", None, "2018-05-23", "2018-05-23", "day"),
    ("23/05/18", None, "2018-05-23", "2018-05-23", "day"),
    ("05/23/2018", None, "2018-05-23", "2018-05-23", "day"),  # day-first impossible
    ("04/05/2018", None, "2018-05-04", "2018-05-04", "day"),  # day first when both work
    ("Nov 20th 2015", None, "2015-11-20", "2015-11-20", "day"),
    ("Nov. 20th, 2015", None, "2015-11-20", "2015-11-20", "day"),
    ("Nov 20 2015", None, "2015-11-20", "2015-11-20", "day"),
    ("Sunday 23 August 2015", None, "2015-08-23", "2015-08-23", "day"),
    ("Sunday, 23 August, 2015", SUN, "2015-08-23", "2015-08-23", "day"),
    ("the 23rd of May 2018", None, "2018-05-23", "2018-05-23", "day"),
    ("November 20th, 2015 at 10:30 p.m. local time", None, "2015-11-20", "2015-11-20", "day"),
    ("Tue, 20 Nov 2015 10:00:00 GMT", None, "2015-11-20", "2015-11-20", "day"),
    ("20-23 May 2018", None, "2018-05-20", "2018-05-23", "day"),
    # formats only the dateparser fallback knows
    ("2015 November 20", None, "2015-11-20", "2015-11-20", "day"),
    ("20-Nov-2015", None, "2015-11-20", "2015-11-20", "day"),
    ("20-Nov", "2015-11-22", "2015-11-20", "2015-11-20", "day"),
    ("2015-11", None, "2015-11-01", "2015-11-30", "month"),
]


@pytest.mark.parametrize(("text", "pub", "start", "end", "precision"), RESOLVED)
def test_resolve(text: str, pub: str | None, start: str, end: str, precision: str) -> None:
    got = resolve_date(text, d(pub))
    assert (got.start, got.end, got.precision) == (d(start), d(end), precision)
    assert got.text == text
    assert got.cumulative_start is False


# (expression, publication date, expected start, expected end, precision)
CUMULATIVE = [
    ("since March 2019", "2019-06-01", "2019-03-01", "2019-06-01", "month"),
    ("since March 2019", None, "2019-03-01", None, "month"),
    ("since 2011", FRI, "2011-01-01", FRI, "year"),
    ("since 2011", None, "2011-01-01", None, "year"),
    ("since the start of the war in 2011", FRI, "2011-01-01", FRI, "year"),
    ("since the escalation in October", FRI, "2015-10-01", FRI, "month"),
    ("since Thursday", FRI, "2015-11-19", FRI, "day"),
    ("since Thursday", None, None, None, "day"),
    ("since the beginning of the year", FRI, "2015-01-01", FRI, "year"),
    ("so far this year", FRI, "2015-01-01", FRI, "year"),
    ("from March 2019 onwards", "2019-06-01", "2019-03-01", "2019-06-01", "month"),
    ("since the escalation", FRI, None, FRI, "unknown"),
    ("since the escalation", None, None, None, "unknown"),
]


@pytest.mark.parametrize(("text", "pub", "start", "end", "precision"), CUMULATIVE)
def test_cumulative(text: str, pub: str | None, start: str, end: str, precision: str) -> None:
    got = resolve_date(text, d(pub))
    assert (got.start, got.end, got.precision) == (d(start), d(end), precision)
    assert got.cumulative_start is True


# Relative words cannot be anchored without a publication date; the
# precision they would have had is still reported.
UNANCHORED = [
    ("on Thursday", "day"),
    ("late on Thursday", "day"),
    ("yesterday", "day"),
    ("overnight", "day"),
    ("last week", "week"),
    ("this week", "week"),
    ("in the last 24 hours", "day"),
    ("earlier this month", "month"),
    ("last month", "month"),
    ("in March", "month"),
    ("May 23", "day"),
    ("on the 23rd", "day"),
    ("two days ago", "day"),
    ("three weeks ago", "week"),
    ("last year", "year"),
    ("between Saturday night and Sunday morning", "day"),
    ("20-Nov", "unknown"),  # dateparser would fill in a year; without one it is not a date
    # has a year, but dateparser's answer moves with its base date: relative, so refused
    ("2015 yesterday", "unknown"),
]


@pytest.mark.parametrize(("text", "precision"), UNANCHORED)
def test_relative_without_publication_date_stays_unresolved(text: str, precision: str) -> None:
    assert resolve_date(text, None) == EventDate(text, None, None, precision)


@pytest.mark.parametrize(
    "text", ["Jan 202015", "Nov 202015", "35", "12", "", "   ", "Feb 30 2015", "the 32nd", "!!"]
)
@pytest.mark.parametrize("pub", [None, FRI])
def test_garbage_is_unresolved_not_an_error(text: str, pub: str | None) -> None:
    got = resolve_date(text, d(pub))
    assert (got.start, got.end) == (None, None)
    assert got.text == text.strip()


def test_whole_record_is_a_literal() -> None:
    # Same input, same output, whatever day the suite runs on.
    assert resolve_date("  late on Thursday ", date(2015, 11, 20)) == EventDate(
        "late on Thursday", date(2015, 11, 19), date(2015, 11, 19), "day", False
    )
    assert resolve_date("since March 2019", None) == EventDate(
        "since March 2019", date(2019, 3, 1), None, "month", True
    )


def test_module_never_reads_a_clock() -> None:
    tree = ast.parse(inspect.getsource(dates))
    called = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not called & {"today", "now", "utcnow", "time", "monotonic", "perf_counter"}
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "time" not in imported


def test_dateparser_always_gets_an_explicit_base(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without RELATIVE_BASE dateparser would anchor on the clock.
    import dateparser.date

    seen: list[object] = []
    real = dateparser.date.DateDataParser

    def spy(*args: object, **kwargs: dict[str, object]) -> object:
        seen.append(kwargs["settings"]["RELATIVE_BASE"])
        return real(*args, **kwargs)

    monkeypatch.setattr(dateparser.date, "DateDataParser", spy)
    assert resolve_date("2015 November 20", None).start == date(2015, 11, 20)
    assert resolve_date("20-Nov", date(2015, 11, 22)).start == date(2015, 11, 20)
    assert seen[:2] == list(dates._SENTINEL_BASES)
    assert seen[2:] == [datetime(2015, 11, 22)]
    # No year and no publication date: not even worth asking dateparser.
    assert resolve_date("20-Nov", None).start is None
    assert len(seen) == 3


@pytest.mark.parametrize(
    "text",
    [
        "on Thursday",
        "late on Thursday",
        "Saturday night",
        "last Thursday",
        "between Saturday night and Sunday morning",
        "yesterday",
        "overnight",
        "last week",
        "in March",
        "May 23, 2018",
        "Sunday 23 August 2015",
        "since March 2019",
        "in the last 24 hours",
    ],
)
def test_rule_forms_never_reach_dateparser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # dateparser is ~1 ms a call and wrong on weekdays; these must stay on our rules.
    def refuse(s: str, anchor: date | None) -> None:
        raise AssertionError(f"fallback used for {s!r}")

    monkeypatch.setattr(dates, "_dateparser_fallback", refuse)
    assert resolve_date(text, date(2018, 5, 27)).start is not None


# (sentence, expected span texts in order)
FIND = [
    (
        "Gunmen attacked the village late on Thursday, killing 35 people, "
        "officials said on Friday.",
        ["late on Thursday", "on Friday"],
    ),
    (
        "Between Saturday night and Sunday morning, 12 people died.",
        ["Between Saturday night and Sunday morning"],
    ),
    ("Since March 2019 at least 400 have been killed.", ["Since March 2019"]),
    ("In the last 24 hours, airstrikes killed 23 people.", ["In the last 24 hours"]),
    ("Two days ago another 5 died, and yesterday 3 more.", ["Two days ago", "yesterday"]),
    (
        "Earlier this month the army shelled the town, as it did in March and last week.",
        ["Earlier this month", "in March", "last week"],
    ),
    ("The attack on May 23 killed 35.", ["on May 23"]),
    (
        "Thursday's attack was the deadliest since the start of the war in 2011.",
        ["Thursday's", "since the start of the war in 2011"],
    ),
    ("At least 23 may have died overnight.", ["overnight"]),
    ("On Sunday 23 August 2015 at 10pm fighting resumed.", ["On Sunday 23 August 2015 at 10pm"]),
    ("The report dated 23/05/2018 counted 35 dead, up from 30.", ["23/05/2018"]),
    ("Nov 20 2015 was the worst day, with 2018-05-23 next.", ["Nov 20 2015", "2018-05-23"]),
    ("Casualties have mounted since the escalation.", ["since the escalation"]),
    ("35 people were killed and 12 wounded.", []),
    ("Protesters march in the capital every day.", []),
    ("The Jan 202015 scrape is garbage.", []),
    ("Black-Friday sales went ahead despite the attack.", []),
    (
        "The strikes began late on Saturday and continued into Sunday, killing 12.",
        ["late on Saturday", "Sunday"],
    ),
    (
        "Fighting since the weekend and in the past 48 hours killed 40; "
        "a week ago, on the 23rd, it was calm.",
        ["since the weekend", "in the past 48 hours", "a week ago", "on the 23rd"],
    ),
    ("From 20 to 23 May 2018 the siege continued.", ["From 20 to 23 May 2018"]),
]


@pytest.mark.parametrize(("sentence", "expected"), FIND)
def test_find_date_expressions(sentence: str, expected: list[str]) -> None:
    spans = find_date_expressions(sentence)
    assert [text for _, _, text in spans] == expected
    for start, end, text in spans:
        assert sentence[start:end] == text


@pytest.mark.parametrize(("sentence", "expected"), [case for case in FIND if case[1]])
def test_found_spans_resolve(sentence: str, expected: list[str]) -> None:
    # What the finder hands the extractor must be words the resolver understands.
    for _, _, text in find_date_expressions(sentence):
        got = resolve_date(text, date(2018, 5, 27))
        assert got.precision in dates.PRECISIONS or got.cumulative_start, text
        assert got.start is not None or got.cumulative_start, text


def test_event_date_is_frozen() -> None:
    got = resolve_date("on Thursday", date(2015, 11, 20))
    with pytest.raises(AttributeError):
        got.start = None  # type: ignore[misc]
    assert got.resolved is True
    assert resolve_date("on Thursday", None).resolved is False
