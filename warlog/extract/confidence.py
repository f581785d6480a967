"""How likely a claim is right: a logistic score over the evidence the extractor had.

The weights were fitted on the FA-KES development set (see
``warlog eval fakes --calibration``) and are kept here as plain numbers so the
score is explainable: each feature moves the log-odds by its weight.
"""

from __future__ import annotations

import math

from warlog.records import Claim

WEIGHTS: dict[str, float] = {
    # Fitted with warlog.evaluate.calibration.fit on the FA-KES dev leads (243 labelled claims).
    "bias": 0.175,
    "attach_parse": 0.981,
    "attach_order": 0.101,
    "vague_amount": -0.989,
    "no_number": -1.0,  # no labelled example; set by hand: a claim without a figure is a weak one
    "weak_trigger": -0.556,
    "claimant": -0.464,
    "headline": 0.631,
    "person_victims": 0.311,
    "perpetrator": -0.047,
}


def features(claim: Claim) -> dict[str, float]:
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
    }


def confidence(claim: Claim) -> float:
    z = sum(WEIGHTS[k] * v for k, v in features(claim).items())
    return round(1.0 / (1.0 + math.exp(-z)), 3)
