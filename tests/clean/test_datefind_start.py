"""The date finder's first-word check changes speed, never matches.

``_FIND`` looks ahead for a word an expression can start with before trying its twenty
alternatives. These tests run the pattern without that check beside it: on a phrase for each
alternative written here, and on every sentence of the seeds and FA-KES dev. A word missing
from the first-word list would show as a date the full pattern finds and ``_FIND`` misses.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from warlog.clean.datefind import _F_ALTERNATIVES, _FIND, find_date_expressions
from warlog.clean.sentences import split_sentences

_FULL = re.compile(r"(?<![\w'-])(?:" + "|".join(_F_ALTERNATIVES) + r")(?!\w)", re.IGNORECASE)

PHRASES = [
    "between 3 and 5 March 2016",
    "from 12 to 14 of Oct",
    "on March 3 - 5, 2016",
    "in July through August",
    "ever since the outbreak of the war in 2011",
    "since the start of the uprising",
    "from last Monday onwards",
    "so far this year",
    "earlier this month",
    "the current week",
    "late overnight into Tuesday",
    "since 2016-03-05",
    "on 5/3/2016 at 10:30 GMT",
    "Tuesday, 3rd of March 2016",
    "during mid-March of 2015",
    "throughout late December",
    "the end of January",
    "in 2014",
    "mid-2015",
    "over the past 48 hours",
    "within the previous twenty-four hours",
    "the preceding fortnight",
    "the month before last",
    "a couple of days ago",
    "a few weeks ago",
    "an hour ago",
    "seventy-two hours ago",
    "three minutes ago",
    "over the weekend",
    "this past weekend's",
    "in the early hours of Friday",
    "since yesterday afternoon",
    "the day before yesterday",
    "tonight",
    "last night",
    "this morning",
    "early on Sunday",
    "next Saturday",
    "previous Wednesday evening",
    "Thursday of last week",
    "on the 14th",
    "Sept. 11",
    "Jan 2",
    "May 2015",
]


@pytest.mark.parametrize("phrase", PHRASES)
def test_each_shape_is_found_as_the_full_pattern_finds_it(phrase: str) -> None:
    for text in (phrase, f"Shelling was reported {phrase} near the town.", phrase.upper()):
        full = [m.span() for m in _FULL.finditer(text)]
        assert full, f"the phrase list is meant to hold dates: {text!r}"
        assert [m.span() for m in _FIND.finditer(text)] == full


def _sentences(paths: list[Path]) -> list[str]:
    texts: list[str] = []
    for path in paths:
        if path.suffix == ".jsonl":
            texts.extend(json.loads(line)["text"] for line in path.read_text("utf-8").splitlines())
        else:
            texts.append(path.read_text("utf-8"))
    return [s.text for t in texts for s in split_sentences(t)]


def test_real_sentences_give_the_same_dates(seeds_dir: Path, fakes_dev: Path) -> None:
    sentences = _sentences([*sorted(seeds_dir.glob("*.txt")), fakes_dev])
    found = 0
    for s in sentences:
        full = [(m.start(), m.end()) for m in _FULL.finditer(s)]
        assert [(m.start(), m.end()) for m in _FIND.finditer(s)] == full, s
        found += len(full)
    assert found > 500  # the corpus is full of dates: the comparison saw them


def test_spans_drop_trailing_commas() -> None:
    assert find_date_expressions("Clashes erupted on Tuesday, killing two") == [
        (16, 26, "on Tuesday")
    ]
