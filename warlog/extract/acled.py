"""ACLED alignment: an actor class for every perpetrator, ACLED event types for every claim.

ACLED files each actor under one of eight types (its ``inter`` codes: 1 state forces,
2 rebel groups, 3 political militias, 4 identity militias, 5 rioters, 6 protesters,
7 civilians, 8 external/other forces); warlog keeps a ninth, the unidentified armed
group, which ACLED codes as a political militia (3). The class comes from the actor
dictionary when the perpetrator is a known actor (its ``kind``; a state's forces outside
their own country are external/other forces), else from the perpetrator's own words
("militia", "gunmen", "police", "Fulani herdsmen", "Mexican police"), so that a group warlog
has never heard of still gets one. Rules and tables are data: ``warlog/data/acled.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from warlog.extract.actors import Actor, ActorDictionary
from warlog.records import ActorRef

CLASSES = (
    "state forces",
    "rebel groups",
    "political militias",
    "identity militias",
    "rioters",
    "protesters",
    "civilians",
    "external/other forces",
    "unidentified armed group",
)
UNIDENTIFIED = "unidentified armed group"
EXTERNAL = "external/other forces"
STATE = "state forces"


@dataclass(frozen=True, slots=True)
class AcledEvent:
    disorder_type: str
    event_type: str
    sub_event_type: str


@dataclass(frozen=True)
class AcledTables:
    inter: dict[str, int]
    kinds: dict[str, str]
    actors: dict[str, str]
    words: tuple[tuple[str, re.Pattern[str]], ...]
    countries: dict[str, str]
    country_words: re.Pattern[str]
    events: dict[str, AcledEvent]
    civilian_targeting: dict[str, AcledEvent]

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AcledTables:
        countries = {k.lower(): v for k, v in doc["countries"].items()}
        # Longest first so "south sudanese" wins over "sudanese".
        names = sorted(countries, key=len, reverse=True)
        return cls(
            inter={k: int(v["inter"]) for k, v in doc["classes"].items()},
            kinds=dict(doc["kinds"]),
            actors=dict(doc.get("actors", {})),
            words=tuple((c, re.compile(rx, re.I)) for c, rx in doc["words"]),
            countries=countries,
            country_words=re.compile(
                r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.I
            ),
            events={k: AcledEvent(*v) for k, v in doc["event_types"].items()},
            civilian_targeting={k: AcledEvent(*v) for k, v in doc["civilian_targeting"].items()},
        )


@cache
def tables() -> AcledTables:
    path = resources.files("warlog").joinpath("data", "acled.json")
    return AcledTables.from_doc(json.loads(path.read_text(encoding="utf-8")))


def class_of_words(text: str) -> str:
    """The class a perpetrator's words give, without the actor dictionary."""
    for cls, rx in tables().words:
        if rx.search(text):
            return cls
    return UNIDENTIFIED


def country_of_words(text: str) -> str | None:
    """The country a phrase names ("French troops" -> FR), if any."""
    m = tables().country_words.search(text)
    return tables().countries[m.group(1).lower()] if m else None


def actor_class(ref: ActorRef, country: str | None = None) -> str:
    """The ACLED-aligned class of a perpetrator; ``country`` is where the event happened
    (ISO alpha-2), when known: a state's forces elsewhere are external/other forces."""
    t = tables()
    home: str | None = None
    cls: str | None = None
    if ref.id is not None:
        cls = t.actors.get(ref.id)
        actor = _actor(ref.id)
        if actor is not None:
            home = actor.country
            if cls is None and actor.kind != "unknown":
                cls = t.kinds.get(actor.kind)
    if cls is None and ref.kind is not None and ref.kind != "unknown":
        cls = t.kinds.get(ref.kind)
    if cls is None:
        # Not in the dictionary, or a bare label ("gunmen", "terrorists"): read the words.
        cls = class_of_words(ref.text)
    if cls == STATE:
        home = country_of_words(ref.text) or home
        if home and country and home != country:
            return EXTERNAL
    return cls


def inter_code(cls: str) -> int:
    """ACLED's ``inter`` code of a class (the unidentified armed group is 3, as in ACLED)."""
    return tables().inter[cls]


def acled_event(event_type: str | None, civilian_target: bool = False) -> AcledEvent:
    """ACLED's disorder type, event type and sub-event type of a warlog event type."""
    t = tables()
    key = event_type if event_type in t.events else "other"
    if civilian_target and key in t.civilian_targeting:
        return t.civilian_targeting[key]
    return t.events[key]


def _actor(actor_id: str) -> Actor | None:
    try:
        return ActorDictionary.load().actor(actor_id)
    except KeyError:
        return None  # a claim stored by an older dictionary: fall back to its kind and words
