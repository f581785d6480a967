"""How likely a claim is right: a logistic score over the evidence the extractor had.

The weights live in ``warlog/data/confidence.json`` and are plain numbers, so the score is
explainable: each feature moves the log-odds by its weight. They are refitted, with
cross-validation, by ``python scripts/fit_confidence.py`` (see
:mod:`warlog.evaluate.calibration`), which rewrites that file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from warlog.records import Claim

# The features, in the order of the weights file; ``features`` computes each of them.
FEATURES: tuple[str, ...] = (
    "bias",
    "attach_parse",
    "attach_order",
    "vague_amount",
    "no_number",
    "weak_trigger",
    "claimant",
    "headline",
    "person_victims",
    "perpetrator",
    "corroborated",
    "largest_incident",
)


@cache
def model() -> dict[str, Any]:
    """The shipped weights file, read once."""
    path = resources.files("warlog").joinpath("data", "confidence.json")
    return json.loads(path.read_text(encoding="utf-8"))


def weights() -> dict[str, float]:
    return {k: float(v) for k, v in model()["weights"].items()}


def _figure(c: Claim) -> int | None:
    return c.low if c.low is not None else c.high


def features(claim: Claim, siblings: Sequence[Claim] = ()) -> dict[str, float]:
    """``siblings``: every claim of the claim's article (the claim itself may be among them)."""
    others = [o for o in siblings if o is not claim]
    figure = _figure(claim)
    # The same count stated twice (headline and body, or two sources) is corroborated.
    corroborated = figure is not None and any(
        o.outcome == claim.outcome and _figure(o) == figure for o in others
    )
    incident_killed = [
        f
        for o in others
        if o.outcome == "killed" and o.scope == "incident" and (f := _figure(o)) is not None
    ]
    largest = (
        claim.outcome == "killed"
        and claim.scope == "incident"
        and figure is not None
        and all(figure >= f for f in incident_killed)
    )
    return {
        "bias": 1.0,
        "attach_parse": float(claim.attach == "parse"),
        "attach_order": float(claim.attach == "order"),
        "vague_amount": float(claim.vague and claim.low is not None),
        "no_number": float(claim.low is None and claim.high is None),
        "weak_trigger": float(claim.weak_trigger),
        "claimant": float(claim.claimant is not None),
        "headline": float(claim.in_headline),
        "person_victims": float(claim.victims.kind != "unknown" or bool(claim.victims.text)),
        "perpetrator": float(claim.perpetrator is not None),
        "corroborated": float(corroborated),
        "largest_incident": float(largest),
    }


def score(x: dict[str, float], w: dict[str, float]) -> float:
    z = sum(w.get(k, 0.0) * v for k, v in x.items())
    return 1.0 / (1.0 + math.exp(-z))


def confidence(claim: Claim, siblings: Sequence[Claim] = ()) -> float:
    return round(score(features(claim, siblings), weights()), 3)
