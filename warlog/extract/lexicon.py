"""The extractor's word lists, loaded once from ``warlog/data/lexicon.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Lexicon:
    version: str
    trigger_outcome: dict[str, str]  # word form -> outcome (verbs and nouns)
    trigger_is_noun: frozenset[str]
    weak_triggers: frozenset[str]  # need a person noun or a victim in a subject/object slot
    phrases: tuple[tuple[str, str], ...]  # (phrase, outcome)
    candidate: re.Pattern[str]  # sentences worth parsing: an outcome word...
    has_count: re.Pattern[str]  # ...and something that can be a count
    civilian_nouns: frozenset[str]
    combatant_nouns: frozenset[str]
    generic_nouns: frozenset[str]
    not_persons: frozenset[str]
    no_casualty: tuple[str, ...]
    cumulative_strong: tuple[str, ...]
    cumulative_cue: re.Pattern[str]  # the cues above as one pattern, longest first
    revision: tuple[str, ...]
    speech_verbs: frozenset[str]
    nationalities: frozenset[str]
    demonyms: MappingProxyType[str, str]  # claimant country code -> "Russian"
    own_force_nouns: frozenset[str]
    event_order: tuple[str, ...]
    event_keywords: tuple[tuple[str, re.Pattern[str]], ...]
    fakes_cause: dict[str, str]
    syntax: MappingProxyType[str, frozenset[str]]

    def is_person(self, word: str) -> bool:
        w = word.lower()
        return w in self.civilian_nouns or w in self.combatant_nouns or w in self.generic_nouns


@cache
def lexicon() -> Lexicon:
    raw = json.loads(resources.files("warlog.data").joinpath("lexicon.json").read_text("utf-8"))
    outcome_of: dict[str, str] = {}
    nouns: set[str] = set()
    weak: set[str] = set()
    phrases: list[tuple[str, str]] = []
    for outcome, entry in raw["outcomes"].items():
        for w in entry["verbs"]:
            outcome_of.setdefault(w, outcome)
        for w in entry["nouns"]:
            outcome_of.setdefault(w, outcome)
            nouns.add(w)
        weak.update(entry.get("weak", []))
        phrases.extend((p, outcome) for p in entry["phrases"])
    persons = raw["person_nouns"]
    ev = raw["event_types"]
    keywords = tuple(
        (
            etype,
            re.compile(
                r"\b(?:"
                + "|".join(
                    _keyword(k) for k in sorted(ev["keywords"][etype], key=len, reverse=True)
                )
                + r")\w*",
                re.I,
            ),
        )
        for etype in ev["order"]
        if etype in ev["keywords"]
    )
    return Lexicon(
        version=raw["version"],
        trigger_outcome=outcome_of,
        trigger_is_noun=frozenset(nouns),
        weak_triggers=frozenset(weak),
        phrases=tuple(sorted(phrases, key=lambda p: -len(p[0]))),
        candidate=re.compile(r"\b(?:" + raw["trigger_stems"] + r")", re.I),
        has_count=re.compile(
            r"\d|\b(?:"
            + "|".join(
                sorted(
                    set(raw["count_words"]) | set(raw["syntax"]["single_roles"]),
                    key=len,
                    reverse=True,
                )
            )
            + r")\b|"
            + raw["named_victim"],
            re.I,
        ),
        civilian_nouns=frozenset(persons["civilians"]),
        combatant_nouns=frozenset(persons["combatants"]),
        generic_nouns=frozenset(persons["generic"]),
        not_persons=frozenset(raw["not_persons"]),
        no_casualty=tuple(raw["no_casualty_cues"]),
        cumulative_strong=tuple(raw["cumulative_strong"]),
        cumulative_cue=re.compile(
            r"\b(?:"
            + "|".join(
                re.escape(c) for c in sorted(raw["cumulative_strong"], key=len, reverse=True)
            )
            + r")\b"
        ),
        revision=tuple(raw["revision_cues"]),
        speech_verbs=frozenset(raw["speech_verbs"]),
        nationalities=frozenset(raw["nationalities"]),
        demonyms=MappingProxyType(dict(raw["demonyms"])),
        own_force_nouns=frozenset(raw["own_force_nouns"]),
        event_order=tuple(ev["order"]),
        event_keywords=keywords,
        fakes_cause=dict(ev["fakes_cause"]),
        syntax=MappingProxyType({k: frozenset(v) for k, v in raw["syntax"].items()}),
    )


def _keyword(k: str) -> str:
    """A literal keyword, or a regex when written "re:..." (for exclusions like "fighting for")."""
    return k[3:] if k.startswith("re:") else re.escape(k)
