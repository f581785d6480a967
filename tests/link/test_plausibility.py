"""Plausibility flags: each check on an event JSON built from sentences in the style of the
seeds, and the shape of warlog/data/plausibility.json."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from warlog.link.plausibility import FLAG_CODES, flags, outside_country, rules, with_flags


def _event(
    kind: str = "incident",
    killed: int | None = 12,
    count_text: str = "12",
    sentence: str = "Air strikes killed 12 people in Saraqeb on Wednesday, activists said.",
    civilians: int | None = None,
    country: str | None = "SY",
) -> dict[str, Any]:
    source = {"count_text": count_text, "low": killed, "high": killed}
    estimates: list[dict[str, Any]] = [
        {
            "outcome": "killed",
            "group": "total",
            "low": killed,
            "best": killed,
            "high": killed,
            "low_claims": ["a:0"],
            "best_claims": ["a:0"],
            "high_claims": ["a:0"],
            "sources": [source],
        }
    ]
    if civilians is not None:
        estimates.append(
            {"outcome": "killed", "group": "civilians", "best": civilians, "sources": []}
        )
    return {
        "id": "i-0",
        "kind": kind,
        "place": {"name": "Saraqeb", "country": country} if country else None,
        "estimates": estimates,
        "claims": [{"key": "a:0", "claim": {"evidence": {"sentence": sentence}}}],
    }


def _codes(ev: dict[str, Any]) -> list[str]:
    return [f["code"] for f in flags(ev)]


def test_rules_file_shape() -> None:
    raw = json.loads(resources.files("warlog.data").joinpath("plausibility.json").read_text())
    assert raw["version"] == 1 and raw["incident_max_killed"] > 0
    assert len(raw["year_range"]) == 2 and raw["tally_phrases"]
    r = rules()
    assert r.year_range[0] < r.year_range[1] and all(p.pattern for p in r.tally_phrases)


def test_an_ordinary_incident_has_no_flag() -> None:
    assert flags(_event()) == []


@pytest.mark.parametrize(("killed", "flagged"), [(1000, False), (1001, True), (170000, True)])
def test_large_incident(killed: int, flagged: bool) -> None:
    ev = _event(killed=killed, count_text=f"more than {killed}")
    assert ("large_incident" in _codes(ev)) is flagged
    # A tally of that size is what a tally is: no flag.
    assert "large_incident" not in _codes(_event(kind="tally", killed=killed))


@pytest.mark.parametrize(
    ("count_text", "killed", "flagged"),
    [
        ("2011", 2011, True),
        ("(1881)", 1881, True),
        ("2,011", 2011, False),
        ("at least 2011", 2011, False),
        ("1300", 1300, False),
    ],
)
def test_figure_is_year(count_text: str, killed: int, flagged: bool) -> None:
    ev = _event(killed=killed, count_text=count_text)
    assert ("figure_is_year" in _codes(ev)) is flagged


def test_civilians_above_total() -> None:
    ev = _event(killed=1300, count_text="1,300", civilians=1400)
    found = [f for f in flags(ev) if f["code"] == "civilians_above_total"]
    assert found and "1,400 civilians but 1,300 in total" in found[0]["message"]
    assert "civilians_above_total" not in _codes(_event(killed=14, civilians=14))


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("More than 170000 people have been killed in Syria's civil war since 2011.", True),
        ("The conflict that has left at least 210000 people dead shows no sign of ending.", True),
        ("Some 40 people have been killed so far, the Observatory said.", True),
        ("Air strikes killed 12 people in Saraqeb on Wednesday, activists said.", False),
        ("It was the deadliest attack on the town this month, killing 12.", False),
    ],
)
def test_tally_phrase_in_an_incident(sentence: str, flagged: bool) -> None:
    assert ("tally_phrase" in _codes(_event(sentence=sentence))) is flagged
    assert "tally_phrase" not in _codes(_event(kind="tally", sentence=sentence))


def test_outside_country_depends_on_the_collection() -> None:
    ev = _event(country="AU")
    assert outside_country(ev, "SY")["code"] == "outside_country"  # type: ignore[index]
    assert outside_country(ev, "AU") is None and outside_country(ev, None) is None
    assert [f["code"] for f in with_flags(_event(country="US"), "SY")["flags"]] == [
        "outside_country"
    ]


def test_codes_are_declared() -> None:
    ev = _event(killed=2011, count_text="2011", civilians=3000, country="US")
    assert {f["code"] for f in with_flags({**ev, "flags": flags(ev)}, "SY")["flags"]} <= set(
        FLAG_CODES
    )
