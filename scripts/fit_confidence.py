"""Refit the claim confidence model and write warlog/data/confidence.json.

Usage: python scripts/fit_confidence.py [--dataset JSONL] [--gold JSONL] [--folds 5] [--l2 1.0]
                                        [--check]

Labelled claims: the FA-KES dev leads (right when the figure equals the gold toll) and every
claim extracted from the claim gold's articles (right when it matches a gold claim). The
script prints, on held-out folds grouped by article (each article's claims are scored by a
model that never saw that article), the AUC of right vs wrong per source and pooled, and the
calibration table; the same for the weights shipped before the run; then fits on everything
and writes the weights with those figures. Deterministic: folds are a hash of the article
id and the fit is Newton's method from zero, so a rerun on the same code writes the same file.
``--check`` prints without writing. Run it again whenever extraction rules change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from warlog.evaluate.calibration import (  # noqa: E402
    Sample,
    auc,
    cross_validate,
    ece,
    fit,
    reliability,
    training_samples,
)
from warlog.extract.confidence import FEATURES, features, model, score, weights  # noqa: E402

OUT = REPO / "warlog" / "data" / "confidence.json"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _measures(pairs: list[tuple[Sample, float]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in ("fakes", "claims", "all"):
        sub = [(p, s.right) for s, p in pairs if name in ("all", s.source)]
        a = auc(sub)
        out[name] = {
            "n": len(sub),
            "right": sum(ok for _, ok in sub),
            "auc": None if math.isnan(a) else round(a, 3),
            "ece": round(ece(sub), 3),
        }
    out["calibration"] = [
        {
            "low": b.low,
            "high": b.high,
            "claims": b.n,
            "mean_confidence": round(b.mean_confidence, 3),
            "share_right": round(b.share_right, 3),
        }
        for b in reliability([(p, s.right) for s, p in pairs])
    ]
    return out


def _print(title: str, m: dict[str, object]) -> None:
    print(f"\n{title}")
    for name in ("fakes", "claims", "all"):
        r = m[name]
        assert isinstance(r, dict)
        print(f"  {name:7s} n={r['n']:4d} right={r['right']:4d} AUC={r['auc']} ECE={r['ece']}")
    print("  confidence   claims  mean conf  share right")
    for b in m["calibration"]:  # type: ignore[union-attr]
        print(
            f"  {b['low']:.1f}-{b['high']:.1f}    {b['claims']:6d}     {b['mean_confidence']:.2f}"
            f"         {b['share_right']:.2f}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", type=Path, default=REPO.parent / "shared/eval/fakes/dev.jsonl")
    ap.add_argument("--gold", type=Path, default=REPO / "tests/fixtures/claims_gold.jsonl")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--check", action="store_true", help="print the figures, write nothing")
    args = ap.parse_args()

    samples = training_samples(args.dataset, args.gold)
    shipped = weights()
    before = _measures([(s, score(features(s.claim, s.siblings), shipped)) for s in samples])
    _print("Shipped weights on every labelled claim (in-sample where they were fitted):", before)
    held_out = _measures(cross_validate(samples, args.folds, args.l2))
    _print(f"Refit, held-out ({args.folds}-fold by article, l2={args.l2}):", held_out)
    w = fit(samples, args.l2)
    after = _measures([(s, score(features(s.claim, s.siblings), w)) for s in samples])
    _print("Refit on everything, in-sample:", after)
    print("\nweights:", json.dumps(w))
    if args.check:
        return 0
    doc = {
        "version": str(int(model().get("version", "0")) + (w != shipped)),
        "about": model()["about"],
        "features": list(FEATURES),
        "weights": w,
        "fit": {
            "method": "logistic regression, Newton's method, L2 penalty (bias unpenalised)",
            "l2": args.l2,
            "folds": args.folds,
            "dataset_sha256": _sha(args.dataset),
            "gold_sha256": _sha(args.gold),
            "held_out": held_out,
            "in_sample": after,
        },
    }
    OUT.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
