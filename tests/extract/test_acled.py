"""ACLED alignment: actor classes for perpetrators anywhere, ACLED event types for claims.

Every sentence and phrase here is invented in the style of wire copy; none is quoted.
"""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources

import pytest
from builders import make_article

from warlog.codec import article_json
from warlog.extract import Extractor
from warlog.extract.acled import (
    CLASSES,
    AcledTables,
    acled_event,
    actor_class,
    class_of_words,
    country_of_words,
    inter_code,
    tables,
)
from warlog.extract.actors import ActorDictionary
from warlog.records import ActorRef, Article


def _doc(name: str) -> dict:
    return json.loads(resources.files("warlog").joinpath("data", name).read_text("utf-8"))


# --- the data file ---------------------------------------------------------------------------


def test_acled_data_file_shape() -> None:
    doc = _doc("acled.json")
    assert doc["version"]
    assert tuple(doc["classes"]) == CLASSES
    inter = {c: v["inter"] for c, v in doc["classes"].items()}
    # ACLED's eight actor types keep their own codes; the unidentified armed group is ACLED's 3.
    assert [inter[c] for c in CLASSES[:8]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert inter["unidentified armed group"] == 3
    actor_kinds = set(_doc("actors.json")["kinds"])
    assert set(doc["kinds"]) == actor_kinds
    assert set(doc["kinds"].values()) <= set(CLASSES)
    actor_ids = {a["id"] for a in _doc("actors.json")["actors"]}
    assert set(doc["actors"]) <= actor_ids
    assert set(doc["actors"].values()) <= set(CLASSES)
    for cls, rx in doc["words"]:
        assert cls in CLASSES
        re.compile(rx)
    assert all(re.fullmatch(r"[A-Z]{2}", v) for v in doc["countries"].values())
    event_types = _doc("lexicon.json")["event_types"]["order"]
    assert set(doc["event_types"]) == set(event_types)
    assert set(doc["civilian_targeting"]) <= set(event_types)
    for row in [*doc["event_types"].values(), *doc["civilian_targeting"].values()]:
        assert len(row) == 3 and all(isinstance(x, str) and x for x in row)
    AcledTables.from_doc(doc)  # compiles


@pytest.mark.parametrize("actor", ActorDictionary.load().actors, ids=lambda a: a.id)
def test_acled_every_dictionary_actor_has_a_class(actor) -> None:
    ref = ActorRef(actor.aliases[0], actor.id, actor.name, actor.kind)
    assert actor_class(ref) in CLASSES
    assert actor_class(ref, "SY") in CLASSES


# --- classes from the actor dictionary -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "actor", "kind", "country", "expected"),
    [
        ("Syrian army", "syrian_government", "state", "SY", "state forces"),
        ("Russian warplanes", "russia", "state", "SY", "external/other forces"),
        ("Russian warplanes", "russia", "state", None, "state forces"),  # country unknown
        ("Iraqi army", "iraq", "state", "IQ", "state forces"),
        ("Peshmerga", "peshmerga", "state", "SY", "external/other forces"),
        ("US-led coalition", "us_led_coalition", "coalition", "IQ", "external/other forces"),
        ("Wagner", "wagner", "pmc", "ML", "external/other forces"),
        ("Hezbollah", "hezbollah", "militia", "SY", "political militias"),
        ("rebels", "armed_opposition", "rebel", "SY", "rebel groups"),
        ("IS", "islamic_state", "jihadist", "IQ", "rebel groups"),
        ("Houthis", "houthis", "rebel", "YE", "rebel groups"),
        ("SDF", "sdf", "separatist", "SY", "rebel groups"),
        ("unidentified gunmen", "unknown_gunmen", "unknown", "NG", "unidentified armed group"),
        ("terrorists", "state_media_terrorists", "unknown", "SY", "unidentified armed group"),
    ],
)
def test_acled_class_from_the_dictionary(
    text: str, actor: str, kind: str, country: str | None, expected: str
) -> None:
    assert actor_class(ActorRef(text, actor, None, kind), country) == expected


# --- classes from the words (names the dictionary does not know) ---------------------------


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        # Nigeria
        ("Boko Haram fighters", "NG", "rebel groups"),
        ("ISWAP insurgents", "NG", "rebel groups"),
        ("Fulani herdsmen", "NG", "identity militias"),
        ("bandits", "NG", "unidentified armed group"),
        ("Nigerian troops", "NG", "state forces"),
        ("a mob", "NG", "rioters"),
        # Mexico
        ("Mexican police", "MX", "state forces"),
        ("CJNG hitmen", "MX", "political militias"),
        ("members of the Sinaloa Cartel", "MX", "political militias"),
        ("a gang", "MX", "political militias"),
        # Afghanistan, Pakistan
        ("Taliban fighters", "AF", "rebel groups"),
        ("Afghan security forces", "AF", "state forces"),
        ("US drones", "AF", "external/other forces"),
        # Sahel
        ("JNIM militants", "ML", "rebel groups"),
        ("French troops", "ML", "external/other forces"),
        ("Malian soldiers", "ML", "state forces"),
        ("Dozo hunters", "ML", "identity militias"),
        ("Dan Na Ambassagou militiamen", "ML", "identity militias"),
        ("UN peacekeepers", "ML", "external/other forces"),
        # elsewhere
        ("al-Shabaab militants", "SO", "rebel groups"),
        ("Kenyan troops", "SO", "external/other forces"),
        ("Janjaweed militiamen", "SD", "political militias"),
        ("pro-government militiamen", "SY", "political militias"),
        ("a militia", None, "political militias"),
        ("tribal gunmen", "YE", "identity militias"),
        ("protesters", "KE", "protesters"),
        ("rioters", "IN", "rioters"),
        ("villagers", "CD", "civilians"),
        ("an unknown armed group", "BF", "unidentified armed group"),
        ("unidentified assailants", "MX", "unidentified armed group"),
        ("gunmen", "NG", "unidentified armed group"),
        ("jihadists", "BF", "rebel groups"),
        ("police", "PK", "state forces"),
        ("the army", None, "state forces"),
        ("rebels", "CF", "rebel groups"),
        ("a group of men", "NG", "unidentified armed group"),  # nothing to go on
    ],
)
def test_acled_class_from_the_words(text: str, country: str | None, expected: str) -> None:
    assert actor_class(ActorRef(text, None, None, None), country) == expected


@pytest.mark.parametrize(
    ("text", "country"),
    [("French troops", "FR"), ("South Sudanese soldiers", "SS"), ("the army", None)],
)
def test_acled_country_of_words(text: str, country: str | None) -> None:
    assert country_of_words(text) == country


def test_acled_a_label_in_the_dictionary_still_reads_its_words() -> None:
    # "terrorists" is a bare label: its words decide, and they say nothing more.
    assert class_of_words("terrorists") == "unidentified armed group"
    assert actor_class(ActorRef("militiamen", "unknown_gunmen", None, "unknown")) == (
        "political militias"
    )


@pytest.mark.parametrize(("cls", "code"), [("state forces", 1), ("unidentified armed group", 3)])
def test_acled_inter_codes(cls: str, code: int) -> None:
    assert inter_code(cls) == code


# --- event types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "civilians", "expected"),
    [
        ("air/drone strike", False, ("Explosions/Remote violence", "Air/drone strike")),
        ("car bomb", True, ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("attack/shooting", False, ("Battles", "Armed clash")),
        ("attack/shooting", True, ("Violence against civilians", "Attack")),
        ("abduction", True, ("Violence against civilians", "Abduction/forced disappearance")),
        ("arrest", False, ("Strategic developments", "Arrests")),
        ("no such type", False, ("Battles", "Armed clash")),
    ],
)
def test_acled_event_types(event_type: str, civilians: bool, expected: tuple[str, str]) -> None:
    e = acled_event(event_type, civilians)
    assert (e.event_type, e.sub_event_type) == expected


def test_acled_every_warlog_event_type_maps() -> None:
    for name in _doc("lexicon.json")["event_types"]["order"]:
        assert name in tables().events


# --- through the extractor: the JSON of `warlog extract` -------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _article(text: str) -> Article:
    return make_article(text, id="art-acled", published=date(2019, 3, 4))


@pytest.mark.parametrize(
    ("text", "perpetrator_class", "acled_type"),
    [
        (
            "Gunmen opened fire on a market in Zamfara state on Sunday, killing 12 villagers.",
            "unidentified armed group",
            ("Violence against civilians", "Attack"),
        ),
        (
            "Jihadists killed 15 soldiers in an ambush near Mopti in central Mali on Tuesday.",
            "rebel groups",
            ("Battles", "Armed clash"),
        ),
        (
            "A car bomb planted by unidentified gunmen killed six policemen in Kabul on Monday.",
            "unidentified armed group",
            ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ),
    ],
)
def test_acled_fields_in_extract_json(
    extractor: Extractor, text: str, perpetrator_class: str, acled_type: tuple[str, str]
) -> None:
    out = article_json(extractor.extract(_article(text)))
    claim = out["claims"][0]
    assert claim["perpetrator"]["acled_class"] == perpetrator_class
    assert claim["perpetrator"]["acled_inter"] == inter_code(perpetrator_class)
    assert (claim["acled_event_type"], claim["acled_sub_event_type"]) == acled_type
    assert claim["event_type"]  # today's name is kept beside ACLED's
    assert out["lead"]["perpetrator"]["acled_class"] == perpetrator_class
