"""How likely a claim is right: a logistic score over the evidence the extractor had.

The weights were fitted on the FA-KES development set (see
``warlog eval fakes --calibration``) and are kept here as plain numbers so the
score is explainable: each feature moves the log-odds by its weight.
"""

from __future__ import annotations

import math

from warlog.extract.claims import Found
from warlog.records import Claim

WEIGHTS: dict[str, float] = {
    "bias": 1.2,
    "attach_parse": 0.9,
    "attach_order": -0.2,
    "vague_amount": -1.0,
    "no_number": -1.5,
    "weak_trigger": -1.0,
    "claimant": 0.3,
    "headline": 0.3,
    "person_victims": 0.6,
    "perpetrator": 0.2,
}


def features(claim: Claim, found: Found) -> dict[str, float]:
    return {
        "bias": 1.0,
        "attach_parse": float(found.attach == "parse"),
        "attach_order": float(found.attach == "order"),
        "vague_amount": float(claim.vague and claim.low is not None),
        "no_number": float(claim.low is None and claim.high is None),
        "weak_trigger": float(found.weak_trigger),
        "claimant": float(claim.claimant is not None),
        "headline": float(claim.in_headline),
        "person_victims": float(claim.victims.kind != "unknown" or bool(claim.victims.text)),
        "perpetrator": float(claim.perpetrator is not None),
    }


def confidence(claim: Claim, found: Found) -> float:
    z = sum(WEIGHTS[k] * v for k, v in features(claim, found).items())
    return round(1.0 / (1.0 + math.exp(-z)), 3)
