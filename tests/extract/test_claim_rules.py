"""Claim rules for news warlog was not tuned on (issue 12), one kind of miss at a time.

Every sentence is invented in the style of wire copy and short event reports; none is
quoted from an article. Each test names the rule it guards.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tests.extract.test_claims import claims, make_article, one
from warlog.extract import Extractor
from warlog.extract.roles import mention_role, unnamed_attackers
from warlog.records import Claim


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def perpetrator_id(c: Claim) -> str | None:
    return c.perpetrator.id if c.perpetrator else None


# --- the attacker is not the territory, the target, the victims' side or the speaker -------


@pytest.mark.parametrize(
    ("text", "not_attacker"),
    [
        # territory
        ("Air strikes on a rebel-held village in Idlib province killed 12 civilians on Monday.", "armed_opposition"),
        ("Strikes on Douma, the besieged rebel-held town, killed 15 civilians on Monday.", "armed_opposition"),
        ("Shelling of regime-controlled districts of Aleppo killed nine people on Tuesday.", "syrian_government"),
        # target
        ("Warplanes pounded IS positions near Raqqa on Sunday, killing 30 people.", "islamic_state"),
        # speaker
        ("Five civilians were killed in the attack, the IS-run Amaq agency said.", "islamic_state"),
    ],
)  # fmt: skip
def test_territory_target_and_speaker_are_not_the_attacker(
    extractor: Extractor, text: str, not_attacker: str
) -> None:
    c = one(claims(extractor, text))
    assert c.outcome == "killed"
    assert perpetrator_id(c) != not_attacker
    lead = extractor.extract(make_article(text)).lead
    assert lead is not None
    assert lead.perpetrator is None or lead.perpetrator.id != not_attacker


def test_victims_side_after_the_count_is_not_the_attacker(extractor: Extractor) -> None:
    c = one(claims(extractor, "Russian strikes kill 120 IS fighters in Deir Ezzor"))
    assert (c.low, perpetrator_id(c)) == (120, "russia")


def test_attacker_in_the_same_sentence_as_a_held_town(extractor: Extractor) -> None:
    text = "Government shelling of rebel-controlled districts of Aleppo killed nine people."
    assert perpetrator_id(one(claims(extractor, text))) == "syrian_government"


@pytest.mark.parametrize(
    ("text", "start", "role"),
    [
        ("air strikes on a rebel-held village", 17, "territory"),
        ("the IS-run Amaq agency said", 4, "territory"),
        ("raids on IS positions near Raqqa", 9, "target"),
        ("shelling of Kurdish forces in Afrin", 12, "target"),
        ("IS said 10 people were killed", 0, "speaker"),
        ("IS said it had killed 10 soldiers", 0, None),
        ("IS claimed responsibility for the bombing", 0, None),
        ("IS fighters killed 10 soldiers", 0, None),
    ],
)
def test_mention_role(text: str, start: int, role: str | None) -> None:
    end = start + len(text[start:].split()[0].split("-")[0])
    assert mention_role(text, start, end) == role


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Masked men killed two brothers in the village of Tafas on Friday.", 2),
        ("An unknown armed group attacked a checkpoint near Deraa, killing four policemen.", 4),
    ],
)
def test_unnamed_attackers_have_an_actor(extractor: Extractor, text: str, count: int) -> None:
    c = one(claims(extractor, text))
    assert (c.low, perpetrator_id(c)) == (count, "unknown_gunmen")


def test_unnamed_attackers_data_shape() -> None:
    raw = json.loads(
        resources.files("warlog.data").joinpath("unnamed_attackers.json").read_text("utf-8")
    )
    assert raw["actor_id"] == "unknown_gunmen"
    forms = raw["surface_forms"]
    assert forms and all(isinstance(f, str) and f == f.strip() and f for f in forms)
    assert len(set(forms)) == len(forms)
    assert [m.text for m in unnamed_attackers("Masked men shot dead a farmer.")] == ["Masked men"]
