from __future__ import annotations

from datetime import date

import pytest

from warlog.pubdate import find_date, parse_dateline_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published November 20th, 2015 - 05:00 GMT", date(2015, 11, 20)),
        ("Fri Nov 20, 2015 15:20:59", date(2015, 11, 20)),
        ("08 October 2017", date(2017, 10, 8)),
        ("Updated 28 May 2018", date(2018, 5, 28)),
        ("Tuesday, 17 July 2018", date(2018, 7, 17)),
        ("Last updated: 2016-03-09 14:02", date(2016, 3, 9)),
        ("24.08.2013", date(2013, 8, 24)),
        ("18-12-2014", date(2014, 12, 18)),
        ("Posted on Sept 3, 2013 at 10:15 am", date(2013, 9, 3)),
    ],
)
def test_dateline_lines(line: str, expected: date) -> None:
    found = parse_dateline_line(line)
    assert found is not None and found.date == expected


@pytest.mark.parametrize(
    "line",
    [
        "Updated 5 min ago",
        "Russia and Iran sign a deal on 5 May 2015 in Tehran",
        "31 February 2015",
        "Talks resume on Monday",
    ],
)
def test_not_a_dateline(line: str) -> None:
    assert parse_dateline_line(line) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sun 05 Jul 2015 22 dead in raids on Raqa", date(2015, 7, 5)),
        (
            "Car bomb kills 34 in Hama State media AFP Friday 20 Jun 2014 A car bomb",
            date(2014, 6, 20),
        ),
        ("Last updated at Jul 152015 BEIRUT Thirteen civilians", date(2015, 7, 15)),
        ("21.08.2013Get short URL 0 0 0 Syrian forces fired", date(2013, 8, 21)),
        ("Extremists Admit Killing 30 Alawites 6-09-2013", date(2013, 9, 6)),
    ],
)
def test_find_date_in_stripped_text(text: str, expected: date) -> None:
    found = find_date(text)
    assert found is not None and found.date == expected


def test_find_date_never_invents_one() -> None:
    assert find_date("Rebels said on Thursday that 2015 had been the deadliest year") is None
