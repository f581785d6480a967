"""The place ranker: a logistic model over a candidate's evidence, with rule weights as fallback.

Weights live in ``warlog/data/models/place_ranker.json``, written by
``scripts/train_place_ranker.py`` (scikit-learn's LogisticRegression on the development
geoparsing corpora); scoring needs no library, only a dot product. Without the file the
hand-set :data:`RULE_WEIGHTS` decide, in the order the rules always did: the hierarchy named
next to the mention, then the document's country, then spelling, then size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["FEATURES", "MODEL_PATH", "RULE_WEIGHTS", "Ranker"]

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "place_ranker.json"
MODEL_NAME = "warlog.place_ranker"

FEATURES: tuple[str, ...] = (
    "bias",
    "spelled",
    "variant",
    "fuzzy",
    "log_pop",
    "log_pop_area",
    "top_pop",
    "pop_share",
    "log_alternates",
    "is_country",
    "is_admin1",
    "is_admin2",
    "is_region",
    "is_demonym",
    "is_local",
    "hier_inside",
    "hier_conflict",
    "doc_country",
    "doc_admin1",
    "doc_none",
    "support_country",
    "support_admin1",
    "support_near",
    "support_close",
    "focus",
    "anchor_near",
    "no_anchor",
    "cue_match",
    "log_candidates",
    "name_exact",
    # Second pass only (zero in the first): agreement with the other names' first choices.
    "chosen_country",
    "chosen_admin1",
    "chosen_near",
)

RULE_WEIGHTS: dict[str, float] = {
    "hier_inside": 4.0,
    "hier_conflict": -4.0,
    "focus": 2.0,
    "doc_country": 3.0,
    "doc_admin1": 2.0,
    "support_country": 2.0,
    "support_admin1": 2.0,
    "support_near": 2.0,
    "support_close": 2.0,
    "spelled": 2.0,
    "cue_match": 1.5,
    "anchor_near": 2.0,
    "is_country": 1.0,
    "is_admin1": 0.8,
    "log_pop": 3.0,
    "log_pop_area": 2.0,
    "top_pop": 0.5,
    "name_exact": 0.5,
    "fuzzy": -1.0,
    "variant": -0.3,
}
# Words for the evidence a feature carries, in a toponym's ``how``.
_EXPLAIN = {
    "hier_inside": "hierarchy",
    "doc_country": "article country",
    "doc_admin1": "article admin1",
    "support_country": "other places' country",
    "support_admin1": "other places' admin1",
    "support_near": "near other places",
    "support_close": "beside other places",
    "focus": "focus country",
    "anchor_near": "near other places",
    "spelled": "spelling",
    "cue_match": "cue",
    "log_pop": "population",
    "log_pop_area": "population",
    "top_pop": "largest",
    "log_alternates": "prominence",
    "is_country": "country",
    "is_admin1": "admin1",
    "is_admin2": "admin2",
    "is_demonym": "demonym",
    "name_exact": "exact name",
    "is_local": "curated",
    "chosen_country": "other places' country",
    "chosen_admin1": "other places' admin1",
    "chosen_near": "near other places",
}


@dataclass(frozen=True, slots=True)
class Ranker:
    name: str
    weights: tuple[float, ...]  # first pass
    second: tuple[float, ...] | None = None  # second pass, over the first pass's choices

    @classmethod
    def rules(cls) -> Ranker:
        return cls("rules", tuple(RULE_WEIGHTS.get(f, 0.0) for f in FEATURES))

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Ranker:
        vectors = []
        for part in ("weights", "second"):
            weights = data.get(part)
            if weights is None and part == "second":
                vectors.append(None)
                continue
            if not isinstance(weights, dict) or set(weights) != set(FEATURES):
                raise ValueError(f"{MODEL_NAME}: {part} must name exactly {', '.join(FEATURES)}")
            vectors.append(tuple(float(weights[f]) for f in FEATURES))
        first, second = vectors
        assert first is not None
        return cls(str(data["name"]), first, second)

    @staticmethod
    def load(path: Path | None = None) -> Ranker:
        return _load(path or MODEL_PATH)

    def score(self, x: list[float]) -> float:
        return sum(w * v for w, v in zip(self.weights, x, strict=True))

    def explain(self, x: list[float], most: int = 3, *, second: bool = False) -> tuple[str, ...]:
        """The evidence that weighed most for a candidate, strongest first."""
        weights = self.second if second and self.second is not None else self.weights
        parts = [
            (w * v, f)
            for w, v, f in zip(weights, x, FEATURES, strict=True)
            if f in _EXPLAIN and w * v > 0.05
        ]
        parts.sort(reverse=True)
        return tuple(_EXPLAIN[f] for _, f in parts[:most])


@cache
def _load(path: Path) -> Ranker:
    if not path.exists():
        return Ranker.rules()
    return Ranker.from_json(json.loads(path.read_text(encoding="utf-8")))
