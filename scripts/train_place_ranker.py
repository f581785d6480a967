"""Train the place ranker (``warlog/data/models/place_ranker.json``) and report cross-corpus figures.

    python scripts/train_place_ranker.py                       # train on both, report, write
    python scripts/train_place_ranker.py --report-only         # cross-corpus figures only

Every gold toponym of the development corpora (``../shared/eval/geo/*.jsonl``) gives one row
per gazetteer candidate: its evidence features (``warlog.resolve.toponyms``) and whether it
lies within 161 km of the gold point. A logistic regression (scikit-learn, L2, balanced
classes) learns one weight per feature; the candidate with the highest score wins.

Generalisation is reported cross-corpus: trained on LGL (US local news) and scored on GeoVirus
(world outbreak news), then the other way round; the shipped weights are fitted on both.
Toponyms with no candidate near the gold point teach nothing and are left out of training
(never of scoring). Training is deterministic (liblinear, fixed data order).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warlog.evaluate.places import ACCURACY_KM, read_gold  # noqa: E402
from warlog.resolve.ranker import FEATURES, MODEL_NAME, MODEL_PATH, Ranker  # noqa: E402
from warlog.resolve.toponyms import Geoparser, Mention, haversine_km  # noqa: E402

CORPORA = {
    "lgl": ROOT.parent / "shared" / "eval" / "geo" / "lgl.jsonl",
    "geovirus": ROOT.parent / "shared" / "eval" / "geo" / "geovirus.jsonl",
}
VERSION = 1
C = 1.0

Group = tuple[np.ndarray, np.ndarray]  # features (candidates x features), labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    rules = Ranker.rules()
    first = {
        name: list(corpus_groups(Geoparser(ranker=rules), path)) for name, path in CORPORA.items()
    }
    print(f"{'train':>10} {'test':>10} {'pass 1':>8} {'pass 2':>8} {'rules':>8}")
    for train, test in (("lgl", "geovirus"), ("geovirus", "lgl")):
        ranker = train_ranker(first[train], CORPORA[train])
        one = accuracy(first[test], ranker.weights)
        two = groups_accuracy(Geoparser(ranker=ranker), CORPORA[test])
        print(
            f"{train:>10} {test:>10} {one:8.4f} {two:8.4f} {accuracy(first[test], rules.weights):8.4f}"
        )
    if args.report_only:
        return 0
    ranker = train_ranker(first["lgl"] + first["geovirus"], *CORPORA.values())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "name": f"{MODEL_NAME}.v{VERSION}",
        "about": "Pairwise logistic regression over warlog.resolve.toponyms features, two "
        "passes; trained by scripts/train_place_ranker.py on LGL and GeoVirus.",
        "weights": {f: round(float(w), 6) for f, w in zip(FEATURES, ranker.weights, strict=True)},
        "second": {f: round(float(w), 6) for f, w in zip(FEATURES, ranker.second, strict=True)},
    }
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def train_ranker(first_groups: list[Group], *paths: Path) -> Ranker:
    """Fit the first pass, then the second on the features the first pass's choices give."""
    one = tuple(float(w) for w in fit(first_groups))
    partial = Ranker("partial", one, one)
    second_groups = [g for path in paths for g in corpus_groups(Geoparser(ranker=partial), path)]
    two = tuple(float(w) for w in fit(second_groups))
    return Ranker("trained", one, two)


def groups_accuracy(geoparser: Geoparser, path: Path) -> float:
    groups = list(corpus_groups(geoparser, path))
    return sum(1 for x, y in groups if len(y) and y[0] > 0) / len(groups)


def corpus_groups(geoparser: Geoparser, path: Path) -> Iterator[Group]:
    """One (features, labels) group per gold toponym; labels all 0 when none is near."""
    for doc in read_gold(path):
        mentions = [Mention(t.start, t.end, t.name) for t in doc.toponyms]
        ranked = geoparser.rank(doc.text, mentions)
        for gold, cands in zip(doc.toponyms, ranked, strict=True):
            if not cands:
                yield np.zeros((0, len(FEATURES))), np.zeros(0)
                continue
            x = np.array([c.features for c in cands])
            y = np.array(
                [
                    haversine_km(gold.lat, gold.lon, c.entry.lat, c.entry.lon) <= ACCURACY_KM
                    for c in cands
                ],
                dtype=float,
            )
            yield x, y


def fit(groups: list[Group]) -> np.ndarray:
    """Pairwise logistic regression: each right candidate against each wrong one of its toponym.

    A ranker only has to order a toponym's candidates, so it learns from their differences
    (RankNet with a linear scorer); every toponym weighs the same whatever its candidate count.
    """
    diffs, weights = [], []
    for x, y in groups:
        pos, neg = x[y > 0], x[y == 0]
        if not len(pos) or not len(neg):
            continue
        d = (pos[:, None, :] - neg[None, :, :]).reshape(-1, x.shape[1])
        diffs.append(d)
        weights.append(np.full(len(d), 1.0 / len(d)))
    d = np.vstack(diffs)
    w = np.concatenate(weights)
    x = np.vstack([d, -d])
    y = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    model = LogisticRegression(C=C, solver="liblinear", fit_intercept=False, max_iter=1000)
    model.fit(x, y, sample_weight=np.concatenate([w, w]))
    return model.coef_[0]


def accuracy(groups: list[Group], weights: np.ndarray | tuple[float, ...]) -> float:
    w = np.asarray(weights)
    right = 0
    for x, y in groups:
        if len(y) and y[int(np.argmax(x @ w))] > 0:
            right += 1
    return right / len(groups)


if __name__ == "__main__":
    raise SystemExit(main())
