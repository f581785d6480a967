"""Score extracted claims claim by claim against a hand-coded gold file.

The gold file (``tests/fixtures/claims_gold.jsonl``; how it was coded is in
``tests/fixtures/README.md``) holds one JSON object per article::

    {"article": "fakes-...", "line": 7, "claims": [
        {"outcome": "killed", "low": 6, "high": 6, "scope": "incident",
         "claimant": null, "evidence": "it had killed six Nusra Front fighters"}]}

An article with ``"claims": []`` is in the gold too: every claim found there is a false one.

Matching, per article. A claim's *figure* is ``low`` if set, else ``high`` (``None`` for
"several", "many"). A predicted claim matches a gold claim with the same outcome and figure,
each used once: first pairs whose predicted evidence sentence contains the gold's quoted words
(so two claims of 18 in one article pair with the right sentences), then any left with the
same outcome and figure anywhere in the article. Precision = matched / predicted, recall =
matched / gold, F1 their harmonic mean; scope and claimant (canonical id, ``None`` for the
outlet's own voice or a speaker not in ``claimants.json``) are scored on matched pairs only.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warlog.errors import E, WarlogError
from warlog.evaluate.calibration import auc
from warlog.records import OUTCOMES, SCOPES, Claim

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class GoldClaim:
    outcome: str
    low: int | None
    high: int | None
    scope: str
    claimant: str | None
    evidence: str

    @property
    def figure(self) -> int | None:
        return self.low if self.low is not None else self.high


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    claims: tuple[GoldClaim, ...]


@dataclass(frozen=True, slots=True)
class Predicted:
    """The fields of an extracted claim the scorer reads (built from a :class:`Claim`)."""

    outcome: str
    figure: int | None
    scope: str
    claimant: str | None
    sentence: str

    @classmethod
    def of(cls, claim: Claim) -> Predicted:
        return cls(
            outcome=claim.outcome,
            figure=claim.low if claim.low is not None else claim.high,
            scope=claim.scope,
            claimant=claim.claimant.id if claim.claimant else None,
            sentence=claim.evidence.sentence,
        )


@dataclass(slots=True)
class ClaimScores:
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    scope_right: int = 0
    claimant_right: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    # every predicted claim, right when it matched a gold claim: labelled data for calibration
    samples: list[tuple[Claim, bool]] = field(default_factory=list)
    claims_of: dict[str, tuple[Claim, ...]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def scope_accuracy(self) -> float:
        return self.scope_right / self.matched if self.matched else 0.0

    @property
    def claimant_accuracy(self) -> float:
        return self.claimant_right / self.matched if self.matched else 0.0

    def as_dict(self) -> dict[str, Any]:
        a = auc([(c.confidence, ok) for c, ok in self.samples])
        return {
            "articles": self.articles,
            "gold_claims": self.gold,
            "predicted_claims": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "scope_accuracy": round(self.scope_accuracy, 4),
            "claimant_accuracy": round(self.claimant_accuracy, 4),
            # does confidence separate matched claims from the rest (None: one class only)
            "confidence_auc": None if math.isnan(a) else round(a, 4),
        }


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def match(gold: Sequence[GoldClaim], predicted: Sequence[Predicted]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of one article, each side used at most once."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for same_sentence in (True, False):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            quote = _norm(g.evidence)
            for pi, p in enumerate(predicted):
                if pi in used_p or (p.outcome, p.figure) != (g.outcome, g.figure):
                    continue
                if same_sentence and quote not in _norm(p.sentence):
                    continue
                used_g.add(gi)
                used_p.add(pi)
                pairs.append((gi, pi))
                break
    return sorted(pairs)


def score_article(
    scores: ClaimScores, gold: GoldArticle, predicted: Sequence[Predicted], keep_errors: bool
) -> list[tuple[int, int]]:
    """Add one article to ``scores``; returns its matched pairs."""
    pairs = match(gold.claims, predicted)
    scores.articles += 1
    scores.gold += len(gold.claims)
    scores.predicted += len(predicted)
    scores.matched += len(pairs)
    for gi, pi in pairs:
        g, p = gold.claims[gi], predicted[pi]
        scores.scope_right += int(g.scope == p.scope)
        scores.claimant_right += int(g.claimant == p.claimant)
        if keep_errors and (g.scope != p.scope or g.claimant != p.claimant):
            scores.errors.append(
                {
                    "article": gold.id,
                    "kind": "field",
                    "gold": _gold_dict(g),
                    "scope": p.scope,
                    "claimant": p.claimant,
                }
            )
    if keep_errors:
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold.claims):
            if gi not in matched_g:
                scores.errors.append({"article": gold.id, "kind": "missed", "gold": _gold_dict(g)})
        for pi, p in enumerate(predicted):
            if pi not in matched_p:
                scores.errors.append(
                    {
                        "article": gold.id,
                        "kind": "spurious",
                        "outcome": p.outcome,
                        "figure": p.figure,
                        "sentence": p.sentence,
                    }
                )
    return pairs


def _gold_dict(g: GoldClaim) -> dict[str, Any]:
    return {
        "outcome": g.outcome,
        "figure": g.figure,
        "scope": g.scope,
        "claimant": g.claimant,
        "evidence": g.evidence,
    }


def read_gold(path: Path) -> list[GoldArticle]:
    """The gold file; a malformed line is one [E118] error naming the file and line."""
    out: list[GoldArticle] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise WarlogError(E.E118, what=f"claim gold {path}", reason=str(exc)) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(_gold_article(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise WarlogError(
                E.E118,
                what=f"claim gold {path} line {n}",
                reason=f'expected {{"article": ID, "claims": [{{"outcome", "low", "high", '
                f'"scope", "claimant", "evidence"}}]}} ({type(exc).__name__}: {exc})',
            ) from exc
    return out


def _gold_article(obj: dict[str, Any]) -> GoldArticle:
    claims = []
    for c in obj["claims"]:
        if c["outcome"] not in OUTCOMES:
            raise ValueError(f"outcome {c['outcome']!r} is not one of {', '.join(OUTCOMES)}")
        if c["scope"] not in SCOPES:
            raise ValueError(f"scope {c['scope']!r} is not one of {', '.join(SCOPES)}")
        for bound in ("low", "high"):
            if c[bound] is not None and not isinstance(c[bound], int):
                raise TypeError(f"{bound} must be an integer or null, not {c[bound]!r}")
        claims.append(
            GoldClaim(
                outcome=c["outcome"],
                low=c["low"],
                high=c["high"],
                scope=c["scope"],
                claimant=c["claimant"],
                evidence=str(c["evidence"]),
            )
        )
    return GoldArticle(id=str(obj["article"]), claims=tuple(claims))


def read_dataset(path: Path) -> dict[str, dict[str, Any]]:
    """The JSONL rows the gold refers to (``id``, ``text``, ``title``, ``outlet``), by id."""
    rows: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                rows[str(r["id"])] = {
                    "text": str(r["text"]),
                    "title": r.get("title"),
                    "outlet": r.get("outlet"),
                }
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise WarlogError(
                    E.E118,
                    what=f"dataset {path} line {n}",
                    reason=f"expected a JSON object with id and text ({type(exc).__name__}: {exc})",
                ) from exc
    return rows


def extract_gold_articles(
    gold: Iterable[GoldArticle], dataset: Path
) -> list[tuple[GoldArticle, list[Claim]]]:
    """Run the extractor on the dataset rows the gold names (each gold article with its claims)."""
    from warlog.evaluate.fakes import article_of
    from warlog.extract import Extractor

    gold = list(gold)
    rows = read_dataset(dataset)
    missing = [g.id for g in gold if g.id not in rows]
    if missing:
        raise WarlogError(
            E.E118,
            what=f"claim gold for {dataset}",
            reason=f"{len(missing)} article(s) not in the dataset, e.g. {missing[0]!r}",
        )
    articles = [article_of(dataset, g.id, **rows[g.id]) for g in gold]
    results = Extractor().extract_many(articles)
    return [(g, list(r.claims)) for g, r in zip(gold, results, strict=True)]


def evaluate_claims(gold_path: Path, dataset: Path, keep_errors: bool = True) -> ClaimScores:
    scores = ClaimScores()
    for gold, claims in extract_gold_articles(read_gold(gold_path), dataset):
        pairs = score_article(scores, gold, [Predicted.of(c) for c in claims], keep_errors)
        matched = {pi for _, pi in pairs}
        scores.samples.extend((c, i in matched) for i, c in enumerate(claims))
        if claims:
            scores.claims_of[claims[0].article_id] = tuple(claims)
    return scores
