"""Is confidence calibrated, and does it separate right from wrong? The fit behind it.

Labelled claims come from two hand-made sources on the FA-KES development set:

* ``fakes``: an article's lead claim is right when its figure equals the FA-KES gold toll;
* ``claims``: every claim extracted from the 42 articles of the claim gold
  (``tests/fixtures/claims_gold.jsonl``) is right when it matches a gold claim on
  (outcome, figure) (:mod:`warlog.evaluate.claims`).

Claims are binned by confidence; in a calibrated extractor the share right in each bin
matches the bin's mean confidence. The model (``extract/confidence.py``) is a logistic
regression fitted by Newton's method with an L2 penalty; :func:`cross_validate` scores it on
held-out folds, grouped by article so that no article is both fitted and scored.
``scripts/fit_confidence.py`` runs all of this and writes ``warlog/data/confidence.json``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from warlog.extract.confidence import FEATURES, features, score
from warlog.records import Claim

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 1.0001)


@dataclass(frozen=True, slots=True)
class Bin:
    low: float
    high: float
    n: int
    mean_confidence: float
    share_right: float


@dataclass(frozen=True, slots=True)
class Sample:
    """A labelled claim, with its article's claims (features read them) and where it came from."""

    claim: Claim
    siblings: tuple[Claim, ...]
    right: bool
    source: str  # "fakes" | "claims"

    @property
    def group(self) -> str:
        return self.claim.article_id


def reliability(pairs: Sequence[tuple[float, bool]]) -> list[Bin]:
    """Bins of (probability, right) pairs."""
    out = []
    for lo, hi in itertools.pairwise(BINS):
        inside = [(p, ok) for p, ok in pairs if lo <= p < hi]
        if not inside:
            out.append(Bin(lo, min(hi, 1.0), 0, 0.0, 0.0))
            continue
        out.append(
            Bin(
                lo,
                min(hi, 1.0),
                len(inside),
                sum(p for p, _ in inside) / len(inside),
                sum(ok for _, ok in inside) / len(inside),
            )
        )
    return out


def table(samples: list[tuple[Claim, bool]]) -> list[Bin]:
    return reliability([(c.confidence, ok) for c, ok in samples])


def ece(pairs: Sequence[tuple[float, bool]]) -> float:
    n = len(pairs)
    if not n:
        return 0.0
    return sum(b.n / n * abs(b.mean_confidence - b.share_right) for b in reliability(pairs) if b.n)


def expected_calibration_error(samples: list[tuple[Claim, bool]]) -> float:
    return ece([(c.confidence, ok) for c, ok in samples])


def auc(pairs: Sequence[tuple[float, bool]]) -> float:
    """Area under the ROC curve: the chance a right claim scores above a wrong one (ties half)."""
    ranked = sorted(pairs, key=lambda p: p[0])
    pos = sum(ok for _, ok in ranked)
    neg = len(ranked) - pos
    if not pos or not neg:
        return float("nan")
    # Mann-Whitney U from average ranks (ties share their rank).
    rank_sum = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        avg = (i + j) / 2 + 1
        rank_sum += avg * sum(ok for _, ok in ranked[i : j + 1])
        i = j + 1
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the systems here are 12 x 12)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for i in range(n):
        p = max(range(i, n), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        for r in range(n):
            if r != i and m[i][i]:
                f = m[r][i] / m[i][i]
                for k in range(i, n + 1):
                    m[r][k] -= f * m[i][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit_matrix(
    xs: Sequence[Sequence[float]], ys: Sequence[float], l2: float = 1.0, steps: int = 50
) -> list[float]:
    """Logistic regression by Newton's method; the penalty spares the bias (column 0)."""
    d = len(xs[0])
    w = [0.0] * d
    for _ in range(steps):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for x, y in zip(xs, ys, strict=True):
            p = 1.0 / (1.0 + math.exp(-sum(wi * xi for wi, xi in zip(w, x, strict=True))))
            for i in range(d):
                grad[i] += (p - y) * x[i]
                for j in range(d):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, d):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        hess[0][0] += 1e-9
        step = _solve(hess, grad)
        w = [wi - s for wi, s in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return w


def fit(samples: Sequence[Sample], l2: float = 1.0) -> dict[str, float]:
    """Weights for ``warlog/data/confidence.json``, fitted on every sample."""
    xs = [[features(s.claim, s.siblings)[k] for k in FEATURES] for s in samples]
    w = fit_matrix(xs, [float(s.right) for s in samples], l2)
    return {k: round(v, 3) for k, v in zip(FEATURES, w, strict=True)}


def fold_of(group: str, folds: int) -> int:
    """A fixed fold per article (a hash, so the split does not depend on sample order)."""
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % folds


def cross_validate(
    samples: Sequence[Sample], folds: int = 5, l2: float = 1.0
) -> list[tuple[Sample, float]]:
    """Each sample with the probability a model fitted on the other folds gives it."""
    out: list[tuple[Sample, float]] = []
    for f in range(folds):
        train = [s for s in samples if fold_of(s.group, folds) != f]
        test = [s for s in samples if fold_of(s.group, folds) == f]
        if not train or not test:
            continue
        w = fit(train, l2)
        out.extend((s, score(features(s.claim, s.siblings), w)) for s in test)
    return out


def training_samples(dataset: Path, gold: Path) -> list[Sample]:
    """Every labelled claim available: FA-KES dev leads and the claim gold's claims."""
    from warlog.evaluate.claims import evaluate_claims
    from warlog.evaluate.fakes import evaluate

    report = evaluate(dataset, keep_errors=False)
    out = [Sample(c, report.claims_of[c.article_id], ok, "fakes") for c, ok in report.samples]
    scores = evaluate_claims(gold, dataset, keep_errors=False)
    out += [Sample(c, scores.claims_of[c.article_id], ok, "claims") for c, ok in scores.samples]
    return out
