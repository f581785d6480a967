"""Claim extraction and resolution on executors, the models loaded once per worker process.

spaCy and the gazetteer take seconds to load and hundreds of MB; Spark reuses its Python
workers (``spark.python.worker.reuse``), so a module-level singleton loads them on the
first partition a worker sees and every later partition reuses them.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from warlog.batch.dedup import Copy
from warlog.batch.read import ArticleRow, Order
from warlog.codec import claim_json, lead_json, report_from_json
from warlog.link.units import Unit, article_units

if TYPE_CHECKING:
    from warlog.extract import Extractor
    from warlog.resolve import Resolver

_MODELS: dict[str | None, tuple[Extractor, Resolver]] = {}
_LOAD = threading.Lock()  # held while loading: an extraction waits for a preload under way
_STARTED: set[str | None] = set()
_START = threading.Lock()


def models(focus: str | None) -> tuple[Extractor, Resolver]:
    with _LOAD:
        if focus not in _MODELS:
            from warlog.extract import Extractor
            from warlog.resolve import Resolver

            _MODELS[focus] = (Extractor(), Resolver(focus=focus))
            # The models are millions of long-lived Python objects (the gazetteer's above
            # all): out of the collector's sight, a full collection no longer walks them.
            gc.freeze()
    return _MODELS[focus]


def preload(focus: str | None) -> None:
    """Start loading the models in a background thread of this worker process, once.

    Called by the read stage: its tasks run in the same reused Python workers as the
    extraction, which otherwise sit idle while the driver plans the next stages, so the
    seconds of loading mostly fill that gap instead of starting the extract stage.
    """
    if not os.environ.get("SPARK_REUSE_WORKER"):
        return  # a worker per task (spark.python.worker.reuse=false): it would load in vain
    with _START:
        if focus in _STARTED:
            return
        _STARTED.add(focus)
    threading.Thread(target=_load_quietly, args=(focus,), daemon=True).start()


def _load_quietly(focus: str | None) -> None:
    # A failure here is not lost: the extraction's own models() call loads again and raises.
    with contextlib.suppress(Exception):
        models(focus)


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
    return article_units_of(a.id, a.outlet, a.published, a.duplicate_of, a.title, x.claims, x.lead)


def article_units_of(
    aid: str,
    outlet: str | None,
    published: date | None,
    duplicate_of: str | None,
    title: str | None,
    claims: Iterable[str],
    lead: str | None,
) -> list[Unit]:
    """An article's units from the fields the store (and the Parquet ``articles`` and
    ``claims`` tables) keep: its claims' JSON in claim order and its lead's JSON."""
    reports = [
        report_from_json(
            {
                "article_id": aid,
                "outlet": outlet,
                "published": published.isoformat() if published else None,
                "copy_of": duplicate_of,
                "title": title,
                "claim": d,
            }
        )
        for d in map(json.loads, claims)
    ]
    lead_claims = tuple((json.loads(lead) if lead else {}).get("claims", ()))
    return article_units(reports, lead_claims)
