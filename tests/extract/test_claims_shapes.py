"""Claim rules for sentence shapes the claim gold missed (issue 12, third pass).

Each sentence is invented in the style of wire copy and stripped feeds (no punctuation
between headline and lead, "Syrias"); none is quoted from an article. Each case names the
rule it pins: a case that fails means that rule broke.
"""

from __future__ import annotations

import pytest
from builders import make_article

from warlog.extract import Extractor
from warlog.records import Claim

Triple = tuple[str, int | None, int | None]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _claims(extractor: Extractor, text: str) -> tuple[Claim, ...]:
    return extractor.extract(make_article(text)).claims


def _triples(found: tuple[Claim, ...]) -> list[Triple]:
    return sorted(((c.outcome, c.low, c.high) for c in found), key=repr)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Army shelling kills 14 including 5 children Army shelling and air raids killed at "
            "least 14 civilians five of them children in the north of the country a monitor said.",
            [("killed", 14, 14), ("killed", 14, None)],
            id="glued-headline-repeat-is-no-part",
        ),
        pytest.param(
            "12 dead in rebel attack on army-held town Monitor AFP Sunday 2 Aug 2015 At least 12 "
            "people were killed Sunday when rebels attacked a town in southern Syria a monitor said.",
            [("killed", 12, 12), ("killed", 12, None)],
            id="count-dead-in-attack-counts-people-not-attack",
        ),
        pytest.param(
            "The fierce fighting claimed the lives of 64 regime loyalists and 51 rebels according "
            "to the monitor.",
            [("killed", 51, 51), ("killed", 64, 64)],
            id="conjunct-count-shares-outcome-word",
        ),
        pytest.param(
            "The battle for the hill cost the lives of 20 soldiers and 17 insurgents the monitor said.",
            [("killed", 17, 17), ("killed", 20, 20)],
            id="conjunct-count-after-cost-the-lives-of",
        ),
        pytest.param(
            "Government forces executed the families of seven alleged militants in the village a "
            "monitoring group said.",
            [],
            id="families-of-n-are-not-the-dead",
        ),
        pytest.param(
            "Air strikes killed at least 30 people in three main battlegrounds in the north a monitor said.",
            [("killed", 30, None)],
            id="battlegrounds-are-no-people",
        ),
        pytest.param(
            "The army said the Nusra Front lost 22 of its fighters in the clashes near the airport.",
            [("killed", 22, 22)],
            id="side-lost-n-of-its-fighters",
        ),
        pytest.param(
            "The troops pushed into the valley, eliminating scores of terrorists, the news agency said.",
            [("killed", 20, 20)],
            id="eliminating-scores-of-terrorists",
        ),
        pytest.param(
            "The group says the militants executed about 90 men in the district while 60 more have "
            "gone missing.",
            [("killed", 90, 90), ("missing", 60, 60)],
            id="gone-missing-completes-its-verb",
        ),
    ],
)
def test_counted_shapes(extractor: Extractor, text: str, expected: list[Triple]) -> None:
    assert _triples(_claims(extractor, text)) == sorted(expected, key=repr)


def test_lost_ground_is_no_loss_of_life(extractor: Extractor) -> None:
    assert _claims(extractor, "The rebels lost ground to 200 soldiers in the north.") == ()


def test_side_that_lost_its_fighters_is_not_their_killer(extractor: Extractor) -> None:
    (c,) = _claims(extractor, "The army said the Nusra Front lost 22 of its fighters near Idlib.")
    assert c.perpetrator is None


def test_conjunct_victims_are_not_the_attacker(extractor: Extractor) -> None:
    found = _claims(
        extractor,
        "The fierce fighting claimed the lives of 64 regime loyalists and 51 rebels, the monitor said.",
    )
    assert {c.low: c.perpetrator for c in found} == {64: None, 51: None}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            '"Some of the bodies were so burned that families could not recognise them" said the '
            "activist.",
            id="some-of-the-bodies-described",
        ),
        pytest.param("The activists said some corpses were beyond recognition.", id="some-corpses"),
        pytest.param("Many of the casualties are women and children.", id="many-of-the-casualties"),
        pytest.param(
            "The brigade also has many hostages including my brother.", id="has-many-hostages"
        ),
        pytest.param(
            "The raid enabled some of the prisoners to escape, the monitor said.",
            id="some-prisoners-escape",
        ),
        pytest.param(
            "The activist said the rebels were focusing on capturing Tal Hamra some five "
            "kilometres from the town.",
            id="capturing-a-village-is-no-kidnapping",
        ),
    ],
)
def test_no_claim(extractor: Extractor, text: str) -> None:
    assert _triples(_claims(extractor, text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Several bodies were found in the river near the town.",
            [("killed", None, None)],
            id="bodies-found-is-an-event",
        ),
        pytest.param(
            "Raids killed many people and wounded dozens.",
            [("killed", None, None), ("wounded", 12, 12)],
            id="vague-count-on-a-verb-stays",
        ),
    ],
)
def test_vague_claims_that_stay(extractor: Extractor, text: str, expected: list[Triple]) -> None:
    assert _triples(_claims(extractor, text)) == sorted(expected, key=repr)


def test_title_case_headline_one_killed_others_injured(extractor: Extractor) -> None:
    found = _claims(extractor, "Soldier Killed Others Injured in Rocket Attack on Checkpoint.")
    assert _triples(found) == [("killed", 1, 1), ("wounded", None, None)]
    killed = next(c for c in found if c.outcome == "killed")
    assert killed.count_text == "Soldier"


def test_a_group_before_a_new_subject_is_no_speaker(extractor: Extractor) -> None:
    # A stripped comma: "... captured by Kurdish forces a monitor said": the monitor speaks.
    (c,) = _claims(
        extractor,
        "At least 14 people were killed Friday when jihadists attacked a town recently "
        "captured by Kurdish forces a monitor said.",
    )
    assert c.claimant is not None and c.claimant.id == "unnamed_monitor"


def test_a_group_that_speaks_is_still_the_speaker(extractor: Extractor) -> None:
    (c,) = _claims(
        extractor, "Kurdish forces said 14 jihadists were killed in the attack on the town."
    )
    assert c.claimant is not None and c.claimant.id == "sdf_media"
