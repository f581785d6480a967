"""Claim extraction and resolution on executors, the models loaded once per worker process.

spaCy and the gazetteer take seconds to load and hundreds of MB; Spark reuses its Python
workers (``spark.python.worker.reuse``), so a module-level singleton loads them on the
first partition a worker sees and every later partition reuses them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from warlog.batch.dedup import Copy
from warlog.batch.read import ArticleRow, Order
from warlog.codec import claim_json, lead_json, report_from_json
from warlog.link.units import Unit, article_units

if TYPE_CHECKING:
    from warlog.extract import Extractor
    from warlog.resolve import Resolver

_MODELS: dict[str | None, tuple[Extractor, Resolver]] = {}


def models(focus: str | None) -> tuple[Extractor, Resolver]:
    if focus not in _MODELS:
        from warlog.extract import Extractor
        from warlog.resolve import Resolver

        _MODELS[focus] = (Extractor(), Resolver(focus=focus))
    return _MODELS[focus]


@dataclass(frozen=True, slots=True)
class Extracted:
    """An article with its claims and lead in their public JSON (what the store keeps)."""

    row: ArticleRow
    claims: tuple[str, ...]  # JSON text, as the store keeps it (units read it back from it)
    lead: str | None
    extractor: str

    @property
    def order(self) -> Order:
        return self.row.order


def extract_partition(
    rows: Iterable[ArticleRow], copies: dict[str, Copy], focus: str | None
) -> Iterator[Extracted]:
    rows = [_mark(r, copies) for r in rows]
    if not rows:
        return
    extractor, resolver = models(focus)
    results = extractor.extract_many(r.article for r in rows)
    for row, result in zip(rows, results, strict=True):
        result = resolver.resolve(result)
        yield Extracted(
            row,
            tuple(_dumps(claim_json(c)) for c in result.claims),
            _dumps(lead_json(result.lead)) if result.lead is not None else None,
            extractor.version,
        )


def _dumps(d: Any) -> str:
    return json.dumps(d, ensure_ascii=False)


def _mark(row: ArticleRow, copies: dict[str, Copy]) -> ArticleRow:
    c = copies.get(row.article.id)
    if c is None:
        return row
    return replace(
        row, article=replace(row.article, duplicate_of=c.duplicate_of, duplicate_how=c.how)
    )


def units(x: Extracted) -> list[Unit]:
    """The article's units, from its claims read back from JSON exactly as the store's are."""
    a = x.row.article
    reports = [
        report_from_json(
            {
                "article_id": a.id,
                "outlet": a.outlet,
                "published": a.published.isoformat() if a.published else None,
                "copy_of": a.duplicate_of,
                "title": a.title,
                "claim": d,
            }
        )
        for d in map(json.loads, x.claims)
    ]
    lead = tuple((json.loads(x.lead) if x.lead else {}).get("claims", ()))
    return article_units(reports, lead)
