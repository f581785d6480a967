"""The records the claim rules pass around: an outcome word and a claim read from one sentence.

Kept apart from ``claims`` (attachment) and ``victims`` (the people counted, claims with no
figure) so that both can build them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from warlog.extract.numbers import Count
from warlog.records import ActorRef, Part, Victims


@dataclass(frozen=True, slots=True)
class Trigger:
    token: Token
    outcome: str
    weak: bool


@dataclass(frozen=True, slots=True)
class Found:
    """A claim as read from one sentence, before article-level context is added."""

    outcome: str
    count: Count | None
    victims: Victims
    perpetrator: ActorRef | None
    event_type: str
    place_text: str | None
    date_text: str | None
    parts: tuple[Part, ...]
    children: int | None
    women: int | None
    attach: str  # "parse" | "order" | "vague"
    weak_trigger: bool
    trigger_text: str
    trigger_i: int  # token index of the outcome word in the sentence's doc
    victim_span: tuple[int, int]  # char offsets in the sentence
