"""Is confidence calibrated? Reliability tables and the fit behind ``extract.confidence``.

Labelled claims come from the FA-KES development set: an article's lead claim
is right when its figure equals the gold death toll. Claims of every article
are binned by confidence; in a calibrated extractor the share right in each
bin matches the bin's mean confidence.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from warlog.extract.confidence import WEIGHTS, features
from warlog.records import Claim

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 1.0001)


@dataclass(frozen=True, slots=True)
class Bin:
    low: float
    high: float
    n: int
    mean_confidence: float
    share_right: float


def table(samples: list[tuple[Claim, bool]]) -> list[Bin]:
    out = []
    for lo, hi in itertools.pairwise(BINS):
        inside = [(c, ok) for c, ok in samples if lo <= c.confidence < hi]
        if not inside:
            out.append(Bin(lo, min(hi, 1.0), 0, 0.0, 0.0))
            continue
        out.append(
            Bin(
                lo,
                min(hi, 1.0),
                len(inside),
                sum(c.confidence for c, _ in inside) / len(inside),
                sum(ok for _, ok in inside) / len(inside),
            )
        )
    return out


def expected_calibration_error(samples: list[tuple[Claim, bool]]) -> float:
    n = len(samples)
    if not n:
        return 0.0
    return sum(b.n / n * abs(b.mean_confidence - b.share_right) for b in table(samples) if b.n)


def fit(
    samples: list[tuple[Claim, bool]], steps: int = 4000, rate: float = 0.1, l2: float = 0.01
) -> dict[str, float]:
    """Logistic regression by gradient descent; the weights go into ``extract/confidence.py``."""
    names = list(WEIGHTS)
    xs = [[features(c)[k] for k in names] for c, _ in samples]
    ys = [1.0 if ok else 0.0 for _, ok in samples]
    w = [0.0] * len(names)
    for _ in range(steps):
        grad = [0.0] * len(names)
        for x, y in zip(xs, ys, strict=True):
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-z))
            for k, xi in enumerate(x):
                grad[k] += (p - y) * xi
        w = [wi - rate * (g / len(xs) + l2 * wi) for wi, g in zip(w, grad, strict=True)]
    return {k: round(v, 3) for k, v in zip(names, w, strict=True)}
