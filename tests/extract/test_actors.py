"""Tests for the actor / claimant dictionaries and their matcher.

All example sentences are invented in wire-copy style; none is quoted from a real article.
"""

from __future__ import annotations

import copy
import itertools
import json
from importlib import resources
from typing import Any

import pytest

from warlog.extract.actors import (
    Actor,
    ActorDictionary,
    Claimant,
    DictionaryError,
    Mention,
    alias_key,
)

FAKES_CLASSES = {
    "syrian government or russian troops",
    "the organization of the islamic state in iraq and the levant - isis",
    "international coalition forces",
    "armed opposition groups",
    "self administration forces",
    "al-nusra front",
    "unknown",
}
CLAIMANT_KINDS = {
    "monitor",
    "government",
    "military",
    "state media",
    "news agency",
    "armed group",
    "UN/NGO",
    "local",
    "unknown",
}


def _doc(name: str) -> dict[str, Any]:
    return json.loads(resources.files("warlog").joinpath("data", name).read_text("utf-8"))


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return ActorDictionary.load()


def found(mentions: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.id) for m in mentions]


# --- data files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"), [("actors.json", "actors"), ("claimants.json", "claimants")]
)
def test_data_file_shape(name: str, key: str) -> None:
    doc = _doc(name)
    assert doc["version"] == "1"
    kinds = doc["kinds"]
    assert kinds and all(isinstance(v, str) and v for v in kinds.values())
    entries = doc[key]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e["id"] and e["id"] == e["id"].lower() and " " not in e["id"]
        assert isinstance(e["name"], str) and e["name"]
        assert e["kind"] in kinds
        assert e["aliases"] and all(isinstance(a, str) and a.strip() == a for a in e["aliases"])
        assert len(e["aliases"]) == len(set(e["aliases"])), e["id"]
        forms = set(e["aliases"])
        for c in e.get("compounds", ()):
            forms.update(c["modifiers"])
            nouns = c["nouns"]
            if isinstance(nouns, str):
                assert nouns[1:] in doc["noun_sets"]
            else:
                forms.update(nouns)
        assert set(e.get("case_sensitive_aliases", ())) <= forms, e["id"]


def test_actor_kinds_and_fakes_classes() -> None:
    doc = _doc("actors.json")
    assert set(doc["fakes_classes"]) == FAKES_CLASSES
    assert set(doc["kinds"]) == {
        "state",
        "coalition",
        "militia",
        "pmc",
        "rebel",
        "jihadist",
        "separatist",
        "unknown",
    }
    used = {e["fakes_class"] for e in doc["actors"]}
    assert used == FAKES_CLASSES  # every FA-KES class is reachable
    for e in doc["actors"]:
        assert e["fakes_class"] in FAKES_CLASSES
        assert e["country"] is None or (len(e["country"]) == 2 and e["country"].isupper())


def test_claimant_kinds_and_partisan_flags() -> None:
    doc = _doc("claimants.json")
    assert set(doc["kinds"]) == CLAIMANT_KINDS
    by_id = {e["id"]: e for e in doc["claimants"]}
    for e in doc["claimants"]:
        assert isinstance(e["partisan"], bool)
    for partisan in (
        "russian_mod",
        "syrian_state_media",
        "islamic_state_media",
        "tass",
        "coalition_cjtf",
        "turkish_mod",
        "sdf_media",
        "idf",
        "centcom",
    ):
        assert by_id[partisan]["partisan"] is True, partisan
    for neutral in (
        "sohr",
        "snhr",
        "vdc",
        "afp",
        "reuters",
        "un",
        "msf",
        "white_helmets",
        "activists",
        "witnesses",
    ):
        assert by_id[neutral]["partisan"] is False, neutral


@pytest.mark.parametrize(
    "actor_id",
    [
        "islamic_state",
        "syrian_government",
        "national_defence_forces",
        "russia",
        "wagner",
        "us_led_coalition",
        "sdf",
        "hts",
        "armed_opposition",
        "jaish_al_islam",
        "ahrar_al_sham",
        "turkey",
        "israel",
        "iran",
        "iran_backed_militias",
        "hezbollah",
        "iraq",
        "state_media_terrorists",
        "unknown_gunmen",
    ],
)
def test_required_actors_present(d: ActorDictionary, actor_id: str) -> None:
    assert isinstance(d.actor(actor_id), Actor)


@pytest.mark.parametrize(
    "claimant_id",
    [
        "sohr",
        "snhr",
        "vdc",
        "lcc",
        "white_helmets",
        "russian_mod",
        "russian_mfa",
        "tass",
        "ria_novosti",
        "interfax",
        "syrian_state_media",
        "syrian_army_command",
        "conflict_intelligence_team",
        "centcom",
        "coalition_cjtf",
        "pentagon",
        "turkish_mod",
        "idf",
        "sdf_media",
        "islamic_state_media",
        "un",
        "ocha",
        "unicef",
        "who",
        "msf",
        "amnesty",
        "hrw",
        "afp",
        "reuters",
        "ap",
        "activists",
        "unnamed_monitor",
        "medical_sources",
        "local_sources",
        "witnesses",
        "hospital_officials",
    ],
)
def test_required_claimants_present(d: ActorDictionary, claimant_id: str) -> None:
    assert isinstance(d.claimant(claimant_id), Claimant)


def test_no_alias_maps_to_two_ids(d: ActorDictionary) -> None:
    for entries in (d.actors, d.claimants):
        owner: dict[str, str] = {}
        for e in entries:
            for alias in e.aliases:
                assert owner.setdefault(alias_key(alias), e.id) == e.id, (alias, e.id)


def test_loaded_objects(d: ActorDictionary) -> None:
    assert ActorDictionary.load() is d  # cached
    is_ = d.actor("islamic_state")
    assert is_.kind == "jihadist" and "Daesh" in is_.aliases
    assert is_.fakes_class == "the organization of the islamic state in iraq and the levant - isis"
    # Compound expansions are part of the alias list.
    assert "Russian warplanes" in d.actor("russia").aliases
    sohr = d.claimant("sohr")
    assert sohr.kind == "monitor" and sohr.partisan is False and "OSDH" in sohr.aliases
    with pytest.raises(KeyError):
        d.actor("nope")


def test_inconsistent_data_is_rejected() -> None:
    actors, claimants = _doc("actors.json"), _doc("claimants.json")
    bad = copy.deepcopy(actors)
    bad["actors"][1]["aliases"].append("Daesh")  # already islamic_state
    with pytest.raises(DictionaryError, match="Daesh"):
        ActorDictionary(bad, claimants)
    bad = copy.deepcopy(actors)
    bad["actors"][0]["fakes_class"] = "isis"
    with pytest.raises(DictionaryError, match="fakes_class"):
        ActorDictionary(bad, claimants)
    bad = copy.deepcopy(claimants)
    bad["claimants"][0]["kind"] = "blogger"
    with pytest.raises(DictionaryError, match="kind"):
        ActorDictionary(actors, bad)


# --- actor matching ---------------------------------------------------------------------

ACTOR_CASES = [
    # Islamic State
    (
        "Islamic State militants stormed the village at dawn.",
        "Islamic State militants",
        "islamic_state",
    ),
    ("The Islamic State group claimed the bombing.", "Islamic State group", "islamic_state"),
    ("Residents fled as IS jihadists advanced.", "IS jihadists", "islamic_state"),
    ("Troops retook the town from ISIS on Sunday.", "ISIS", "islamic_state"),
    ("A suicide attack by ISIL killed nine.", "ISIL", "islamic_state"),
    ("Daesh fighters shelled the district.", "Daesh fighters", "islamic_state"),
    ("Fighting with Daish continued overnight.", "Daish", "islamic_state"),
    ("The IS group lost its last enclave.", "The IS group", "islamic_state"),
    ("The jihadist group has since lost ground.", "The jihadist group", "islamic_state"),
    # Syrian government
    (
        "Assad's troops entered the town after a week of shelling.",
        "Assad's troops",
        "syrian_government",
    ),
    (
        "Assads troops entered the town after a week of shelling.",
        "Assads troops",
        "syrian_government",
    ),
    ("Assad’s forces pressed the assault.", "Assad’s forces", "syrian_government"),
    ("Regime forces shelled the suburb.", "Regime forces", "syrian_government"),
    ("Regime warplanes struck a market.", "Regime warplanes", "syrian_government"),
    ("Government forces retook the hill.", "Government forces", "syrian_government"),
    ("Pro-government forces massed near the front.", "Pro-government forces", "syrian_government"),
    ("Pro-regime fighters entered the town.", "Pro-regime fighters", "syrian_government"),
    ("Syrian troops pushed north.", "Syrian troops", "syrian_government"),
    ("The Syrian army said it repelled an attack.", "Syrian army", "syrian_government"),
    ("The Syrian air force carried out raids.", "Syrian air force", "syrian_government"),
    ("The elite Tiger Forces led the push.", "Tiger Forces", "syrian_government"),
    ("Helicopters dropped barrel bombs on the town.", "barrel bombs", "syrian_government"),
    ("The regime denied the charge.", "The regime", "syrian_government"),
    ("Shabiha militiamen raided homes.", "Shabiha militiamen", "national_defence_forces"),
    (
        "National Defence Forces fighters manned checkpoints.",
        "National Defence Forces fighters",
        "national_defence_forces",
    ),
    # Russia and contractors
    ("Russian warplanes pounded the town.", "Russian warplanes", "russia"),
    ("Russian jets struck a hospital.", "Russian jets", "russia"),
    ("Russian raids killed eleven.", "Russian raids", "russia"),
    ("Russian strikes hit the market.", "Russian strikes", "russia"),
    ("Russian bombing intensified.", "Russian bombing", "russia"),
    ("The Russian Aerospace Forces denied involvement.", "Russian Aerospace Forces", "russia"),
    ("Moscow's forces opened a corridor.", "Moscow's forces", "russia"),
    ("Wagner mercenaries were among the dead.", "Wagner mercenaries", "wagner"),
    (
        "Russian private military contractors guarded the field.",
        "Russian private military contractors",
        "wagner",
    ),
    # Coalition
    ("US-led coalition strikes killed 14.", "US-led coalition strikes", "us_led_coalition"),
    (
        "U.S.-led coalition aircraft struck a bridge.",
        "U.S.-led coalition aircraft",
        "us_led_coalition",
    ),
    ("US-led strikes hit an oil field.", "US-led strikes", "us_led_coalition"),
    ("American warplanes flew overhead.", "American warplanes", "us_led_coalition"),
    (
        "The international coalition said it was investigating.",
        "international coalition",
        "us_led_coalition",
    ),
    ("French strikes targeted a training camp.", "French strikes", "us_led_coalition"),
    ("British jets took part in the raid.", "British jets", "us_led_coalition"),
    # Kurdish-led forces
    ("The Syrian Democratic Forces captured the dam.", "Syrian Democratic Forces", "sdf"),
    ("SDF fighters cleared the last pocket.", "SDF fighters", "sdf"),
    ("The YPG denied the claim.", "YPG", "sdf"),
    ("Kurdish forces held the crossing.", "Kurdish forces", "sdf"),
    ("The People's Protection Units withdrew.", "People's Protection Units", "sdf"),
    ("Self administration forces arrested suspects.", "Self administration forces", "sdf"),
    ("The PYD rejected the offer.", "PYD", "sdf"),
    # HTS / Nusra / al-Qaeda
    ("Hayat Tahrir al-Sham controls most of the province.", "Hayat Tahrir al-Sham", "hts"),
    ("HTS fighters stormed the village.", "HTS fighters", "hts"),
    ("The al-Nusra Front claimed the attack.", "al-Nusra Front", "hts"),
    ("The al Nusra Front claimed the attack.", "al Nusra Front", "hts"),
    ("Jabhat al-Nusra seized the base.", "Jabhat al-Nusra", "hts"),
    ("Jabhat Fateh al-Sham rebranded last year.", "Jabhat Fateh al-Sham", "hts"),
    (
        "The town is held by al-Qaeda's former Syria affiliate.",
        "al-Qaeda's former Syria affiliate",
        "hts",
    ),
    ("Fighters from Hurras al-Din were killed.", "Hurras al-Din", "al_qaeda"),
    # Opposition
    ("Rebels shelled a government-held district.", "Rebels", "armed_opposition"),
    ("The Free Syrian Army said six fighters died.", "Free Syrian Army", "armed_opposition"),
    ("FSA fighters regrouped.", "FSA fighters", "armed_opposition"),
    ("The armed opposition rejected the truce.", "armed opposition", "armed_opposition"),
    ("Jaish al-Islam fired rockets at the capital.", "Jaish al-Islam", "jaish_al_islam"),
    ("Ahrar al-Sham fighters withdrew.", "Ahrar al-Sham fighters", "ahrar_al_sham"),
    (
        "Turkish-backed factions entered the town.",
        "Turkish-backed factions",
        "syrian_national_army",
    ),
    # State-media labels and unknowns
    (
        "Terrorists targeted a residential area with rockets.",
        "Terrorists",
        "state_media_terrorists",
    ),
    ("Takfiri groups shelled the neighbourhood.", "Takfiri groups", "state_media_terrorists"),
    ("Unknown gunmen shot dead a local official.", "Unknown gunmen", "unknown_gunmen"),
    ("Unidentified warplanes struck the convoy.", "Unidentified warplanes", "unknown_gunmen"),
    # Other states and allies
    ("Turkish jets bombed positions near the border.", "Turkish jets", "turkey"),
    ("The Turkish army shelled the village.", "Turkish army", "turkey"),
    ("Israeli strikes hit a depot near the airport.", "Israeli strikes", "israel"),
    ("Israeli jets fired missiles from Lebanese airspace.", "Israeli jets", "israel"),
    ("The Zionist enemy carried out an aggression.", "Zionist enemy", "israel"),
    ("An IRGC adviser was among the dead.", "IRGC", "iran"),
    (
        "Iranian-backed militias reinforced the town.",
        "Iranian-backed militias",
        "iran_backed_militias",
    ),
    ("Hezbollah fighters joined the offensive.", "Hezbollah fighters", "hezbollah"),
    ("Iraqi forces shelled the border crossing.", "Iraqi forces", "iraq"),
]


@pytest.mark.parametrize(("sentence", "surface", "actor_id"), ACTOR_CASES)
def test_actor_alias_families(
    d: ActorDictionary, sentence: str, surface: str, actor_id: str
) -> None:
    assert (surface, actor_id) in found(d.find_actors(sentence))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("IS claimed the attack.", [("IS", "islamic_state")]),
        ("The town is calm and this is it.", []),
        ("Is the truce holding? It is.", []),
        ("IS fighters said the target is gone.", [("IS fighters", "islamic_state")]),
        ("us forces and US forces", [("US forces", "us_led_coalition")]),
    ],
)
def test_case_sensitive_aliases(
    d: ActorDictionary, sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert found(d.find_actors(sentence)) == expected


@pytest.mark.parametrize(
    ("sentence", "surface", "actor_id"),
    [
        # A corpus with apostrophes and commas stripped.
        ("Assads forces killed 12 the monitor said", "Assads forces", "syrian_government"),
        ("Hezbollahs fighters crossed the border", "Hezbollahs fighters", "hezbollah"),
        ("Moscows forces advanced", "Moscows forces", "russia"),
        ("Peoples Protection Units", "Peoples Protection Units", "sdf"),
        # Possessive on a bare alias is matched but left out of the span.
        ("Hezbollah's leader spoke.", "Hezbollah", "hezbollah"),
        ("Hezbollahs leader spoke.", "Hezbollah", "hezbollah"),
        ("Hezbollah’s leader spoke.", "Hezbollah", "hezbollah"),
        # Curly apostrophes, hyphen/space/joined, dotted abbreviations.
        ("Hay’at Tahrir al-Sham denied it.", "Hay’at Tahrir al-Sham", "hts"),
        ("alNusra fighters attacked", "alNusra fighters", "hts"),
        ("al-Nusra", "al-Nusra", "hts"),
        ("al – Nusra", "al – Nusra", "hts"),
        ("US led coalition raids", "US led coalition raids", "us_led_coalition"),
        ("the U.S. military said", "U.S. military", "us_led_coalition"),
        ("pro government forces", "pro government forces", "syrian_government"),
        ("Russian air\nstrikes", "Russian air\nstrikes", "russia"),
    ],
)
def test_spelling_variants(d: ActorDictionary, sentence: str, surface: str, actor_id: str) -> None:
    assert (surface, actor_id) in found(d.find_actors(sentence))


def test_longest_match_wins(d: ActorDictionary) -> None:
    assert found(d.find_actors("The Islamic State group said")) == [
        ("Islamic State group", "islamic_state")
    ]
    # "Syrian forces" would be the government; the longer Kurdish alias must win.
    assert found(d.find_actors("Syrian Democratic Forces said")) == [
        ("Syrian Democratic Forces", "sdf")
    ]
    # "government forces" alone is the Syrian government; a longer qualified alias wins.
    assert found(d.find_actors("Iraqi government forces and government forces")) == [
        ("Iraqi government forces", "iraq"),
        ("government forces", "syrian_government"),
    ]
    assert found(d.find_actors("Nusra terrorists and ISIS terrorists")) == [
        ("Nusra terrorists", "hts"),
        ("ISIS terrorists", "islamic_state"),
    ]


def test_mentions_are_ordered_spans(d: ActorDictionary) -> None:
    text = (
        "Russian jets and regime helicopters struck rebel positions while IS fighters and "
        "Kurdish-led forces clashed, and Turkish drones hit a car."
    )
    mentions = d.find_actors(text)
    assert [m.id for m in mentions] == [
        "russia",
        "syrian_government",
        "armed_opposition",
        "islamic_state",
        "sdf",
        "turkey",
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text
    for a, b in itertools.pairwise(mentions):
        assert a.end <= b.start


def test_no_actor_in_neutral_text(d: ActorDictionary) -> None:
    text = (
        "The island is known for its olive groves and is visited by thousands each summer, "
        "and the festival committee said the programme would include music and poetry."
    )
    assert d.find_actors(text) == []


# --- canonical forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "actor_id"),
    [
        ("Assad's troops", "syrian_government"),
        ("Assads troops", "syrian_government"),
        ("Russian warplanes", "russia"),
        ("the Russian air force", "russia"),
        ("US-led coalition aircraft", "us_led_coalition"),
        ("rebels of Jaish al-Islam", "jaish_al_islam"),  # specific beats generic
        ("gunmen loyal to the Islamic State group", "islamic_state"),
        ("Hayat Tahrir al-Shaam", "hts"),  # fuzzy fallback for a typo
    ],
)
def test_canonical_actor(d: ActorDictionary, phrase: str, actor_id: str) -> None:
    actor = d.canonical_actor(phrase)
    assert actor is not None and actor.id == actor_id


def test_canonical_actor_none(d: ActorDictionary) -> None:
    assert d.canonical_actor("the weather") is None
    assert d.canonical_actor("Hayat Tahrir al-Shaam", fuzzy_cutoff=100) is None


# --- claimants ----------------------------------------------------------------------------

SOHR_FORMS = [
    "the Syrian Observatory for Human Rights said",
    "according to SOHR",
    "the OSDH reported",
    "the Observatory said",
    "the Britain-based monitor said",
    "the war monitor said",
    "Rami Abdel Rahman, who heads the group",
    "Observatory director Rami Abdel Rahmane said",
    "the Human Rights' Observatory Group said",
]


@pytest.mark.parametrize("phrase", SOHR_FORMS)
def test_sohr_forms(d: ActorDictionary, phrase: str) -> None:
    claimant = d.canonical_claimant(phrase)
    assert claimant is not None and claimant.id == "sohr"


@pytest.mark.parametrize(
    ("phrase", "claimant_id"),
    [
        ("Observatory head Rami Abdel Rahman told AFP", "sohr"),
        ("quoted by state news agency TASS", "tass"),
        ("state news agency SANA reported", "syrian_state_media"),
        ("the state news agency said", "syrian_state_media"),
        ("a Syrian military source told SANA", "syrian_state_media"),
        ("state TV said", "syrian_state_media"),
        ("the Syrian Network for Human Rights said", "snhr"),
        ("the Violations Documentation Center said", "vdc"),
        ("the Local Coordination Committees reported", "lcc"),
        ("the White Helmets rescue service said", "white_helmets"),
        ("Syria Civil Defence said", "white_helmets"),
        ("Moscow's Defense Ministry said", "russian_mod"),
        ("Russian defence ministry spokesman Igor Konashenkov said", "russian_mod"),
        ("Russian Deputy Foreign Minister Oleg Syromolotov said", "russian_mfa"),
        ("RIA Novosti reported", "ria_novosti"),
        ("Interfax news agency reported", "interfax"),
        ("the Conflict Intelligence Team said", "conflict_intelligence_team"),
        ("US Central Command said", "centcom"),
        ("a coalition spokesman said", "coalition_cjtf"),
        ("the Pentagon said", "pentagon"),
        ("Turkey's defence ministry said", "turkish_mod"),
        ("the Israeli army said", "idf"),
        ("the SDF press office said", "sdf_media"),
        ("the IS-linked Amaq news agency said", "islamic_state_media"),
        ("the group claimed in a statement", "islamic_state_media"),
        ("the UN human rights office said", "un"),
        ("OCHA said", "ocha"),
        ("UNICEF said", "unicef"),
        ("the WHO said", "who"),
        ("Doctors Without Borders said", "msf"),
        ("Amnesty International said", "amnesty"),
        ("Human Rights Watch said", "hrw"),
        ("activists told AFP", "activists"),
        ("witnesses told Reuters", "witnesses"),
        ("a medical source said", "medical_sources"),
        ("hospital officials said", "hospital_officials"),
        ("local sources said", "local_sources"),
        ("a monitor said", "unnamed_monitor"),
        ("an AFP correspondent saw the bodies", "afp"),
        ("The Associated Press reported", "ap"),
    ],
)
def test_canonical_claimant(d: ActorDictionary, phrase: str, claimant_id: str) -> None:
    claimant = d.canonical_claimant(phrase)
    assert claimant is not None and claimant.id == claimant_id


def test_claimant_mentions(d: ActorDictionary) -> None:
    text = "Observatory head Rami Abdel Rahman told AFP that the toll, quoted by state news agency TASS, was wrong."
    assert found(d.find_claimants(text)) == [
        ("Observatory head Rami Abdel Rahman", "sohr"),
        ("AFP", "afp"),
        ("state news agency TASS", "tass"),
    ]
    # "WHO" and "AP" are case-sensitive, "who" and "ap" are words.
    assert found(d.find_claimants("those who saw it, the WHO and AP said")) == [
        ("WHO", "who"),
        ("AP", "ap"),
    ]


# --- spaCy ------------------------------------------------------------------------------


def test_spacy_patterns_shape(d: ActorDictionary) -> None:
    patterns = d.spacy_patterns()
    assert {p["label"] for p in patterns} == {"ACTOR", "CLAIMANT"}
    actor_ids = {a.id for a in d.actors}
    claimant_ids = {c.id for c in d.claimants}
    for p in patterns:
        assert p["id"] in (actor_ids if p["label"] == "ACTOR" else claimant_ids)
        for token in p["pattern"]:
            assert len(token) == 1
            ((attr, value),) = token.items()
            assert attr in ("LOWER", "ORTH")
            if attr == "LOWER":
                assert value == value.lower()
    assert {"label": "ACTOR", "pattern": [{"ORTH": "IS"}], "id": "islamic_state"} in patterns


def test_spacy_entity_ruler(d: ActorDictionary) -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(d.spacy_patterns())
    doc = nlp(
        "Russian warplanes and Assads troops pounded IS fighters near the town, the "
        "Britain-based Syrian Observatory for Human Rights said, while state news agency "
        "TASS quoted Konashenkov. This is it."
    )
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("Russian warplanes", "ACTOR", "russia"),
        ("Assads troops", "ACTOR", "syrian_government"),
        ("IS fighters", "ACTOR", "islamic_state"),
        ("Britain-based Syrian Observatory for Human Rights", "CLAIMANT", "sohr"),
        ("state news agency TASS", "CLAIMANT", "tass"),
        ("Konashenkov", "CLAIMANT", "russian_mod"),
    ]
    doc = nlp("Assad’s forces and al Nusra Front fighters; the U.S.-led coalition said")
    assert [(e.text, e.ent_id_) for e in doc.ents] == [
        ("Assad’s forces", "syrian_government"),
        ("al Nusra Front fighters", "hts"),
        ("U.S.-led coalition", "us_led_coalition"),
    ]
