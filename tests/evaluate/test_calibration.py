"""The confidence model: its features, the shipped weights file, the fit and its held-out scores."""

from __future__ import annotations

import json
import math
import random
from importlib import resources

import pytest

from warlog.evaluate.calibration import (
    Sample,
    auc,
    cross_validate,
    ece,
    fit,
    fit_matrix,
    fold_of,
    reliability,
)
from warlog.extract.confidence import FEATURES, confidence, features, weights
from warlog.records import Claim, Evidence, Victims


def _claim(
    low: int | None,
    outcome: str = "killed",
    scope: str = "incident",
    article: str = "a",
    sentence: str = "Shelling killed five people on Monday.",
) -> Claim:
    return Claim(
        article_id=article,
        outcome=outcome,
        low=low,
        high=low,
        count_text=str(low),
        approx=False,
        vague=False,
        victims=Victims("people", "unknown", None, None),
        perpetrator=None,
        event_type="shelling/artillery/missile",
        place_text=None,
        date_text=None,
        scope=scope,
        claimant=None,
        evidence=Evidence(sentence, 0, len(sentence)),
        confidence=0.0,
    )


# --- features ---------------------------------------------------------------------------------


def test_confidence_corroborated_when_another_claim_states_the_same_figure() -> None:
    headline, body, other = _claim(5), _claim(5), _claim(7)
    siblings = (headline, body, other)
    assert features(headline, siblings)["corroborated"] == 1.0
    assert features(other, siblings)["corroborated"] == 0.0
    # Alone (or compared only with itself) nothing corroborates it.
    assert features(headline, (headline,))["corroborated"] == 0.0
    assert features(_claim(5, outcome="wounded"), siblings)["corroborated"] == 0.0


def test_confidence_largest_incident_ignores_tallies_and_other_outcomes() -> None:
    incident, smaller = _claim(20), _claim(4)
    tally = _claim(230000, scope="cumulative")
    wounded = _claim(50, outcome="wounded")
    siblings = (incident, smaller, tally, wounded)
    assert features(incident, siblings)["largest_incident"] == 1.0
    assert features(smaller, siblings)["largest_incident"] == 0.0
    assert features(tally, siblings)["largest_incident"] == 0.0
    assert features(wounded, siblings)["largest_incident"] == 0.0
    assert features(_claim(None), siblings)["largest_incident"] == 0.0


def test_confidence_features_are_the_declared_ones() -> None:
    assert tuple(features(_claim(5))) == FEATURES


def test_confidence_weights_file_shape() -> None:
    doc = json.loads(
        resources.files("warlog").joinpath("data", "confidence.json").read_text("utf-8")
    )
    assert doc["version"] and doc["about"]
    assert tuple(doc["features"]) == FEATURES
    assert tuple(doc["weights"]) == FEATURES
    assert all(math.isfinite(v) for v in doc["weights"].values())
    held_out = doc["fit"]["held_out"]
    assert held_out["all"]["n"] >= 400  # FA-KES leads and the claim gold's claims
    assert 0.5 < held_out["all"]["auc"] <= 1.0
    assert weights() == doc["weights"]


def test_confidence_is_a_probability() -> None:
    c = _claim(5)
    assert 0.0 < confidence(c, (c,)) < 1.0


# --- scores ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(0.9, True), (0.8, True), (0.2, False)], 1.0),
        ([(0.1, True), (0.8, False)], 0.0),
        ([(0.5, True), (0.5, False)], 0.5),  # ties count half
        ([(0.9, True), (0.3, True), (0.5, False), (0.1, False)], 0.75),
    ],
)
def test_calibration_auc(pairs: list[tuple[float, bool]], expected: float) -> None:
    assert auc(pairs) == pytest.approx(expected)


def test_calibration_auc_needs_both_classes() -> None:
    assert math.isnan(auc([(0.9, True), (0.2, True)]))


def test_calibration_reliability_and_ece() -> None:
    pairs = [(0.95, True), (0.95, True), (0.6, False), (0.6, True)]
    bins = {(b.low, b.high): b for b in reliability(pairs)}
    assert bins[(0.9, 1.0)].n == 2 and bins[(0.9, 1.0)].share_right == 1.0
    assert bins[(0.5, 0.7)].share_right == 0.5
    # |0.95 - 1| on half the claims, |0.6 - 0.5| on the other half.
    assert ece(pairs) == pytest.approx(0.5 * 0.05 + 0.5 * 0.1)


# --- the fit ------------------------------------------------------------------------------------


def test_calibration_fit_recovers_known_weights() -> None:
    rng = random.Random(7)
    true = [-0.5, 2.0, -1.5]
    xs, ys = [], []
    for _ in range(3000):
        x = [1.0, float(rng.random() < 0.5), float(rng.random() < 0.3)]
        p = 1 / (1 + math.exp(-sum(w * v for w, v in zip(true, x, strict=True))))
        xs.append(x)
        ys.append(float(rng.random() < p))
    got = fit_matrix(xs, ys, l2=0.0)
    assert got == pytest.approx(true, abs=0.25)
    # The penalty shrinks the weights (never the bias) toward zero.
    shrunk = fit_matrix(xs, ys, l2=500.0)
    assert abs(shrunk[1]) < abs(got[1]) and abs(shrunk[2]) < abs(got[2])


def _samples(n_articles: int) -> list[Sample]:
    out = []
    for i in range(n_articles):
        a, b = _claim(5, article=f"art-{i}"), _claim(9, article=f"art-{i}")
        siblings = (a, b)
        out += [Sample(a, siblings, i % 3 != 0, "claims"), Sample(b, siblings, i % 2 == 0, "fakes")]
    return out


def test_calibration_folds_keep_an_article_together() -> None:
    samples = _samples(40)
    held = cross_validate(samples, folds=5)
    assert sorted(id(s) for s, _ in held) == sorted(id(s) for s in samples)  # each scored once
    for s in samples:
        assert fold_of(s.group, 5) == fold_of(s.claim.article_id, 5)
    assert len({fold_of(s.group, 5) for s in samples}) == 5


def test_calibration_fit_names_every_feature() -> None:
    w = fit(_samples(30))
    assert tuple(w) == FEATURES
    assert all(math.isfinite(v) for v in w.values())
