"""Loading a batch output into a store (SQLite or PostgreSQL) with the store's own writers.

Rows go in input order (so an original is stored before its copies, as the
``duplicate_of`` key requires), in transactions of a few hundred articles; pages and
articles already in the store are skipped, so a killed load can simply be run again.
Events are rebuilt from their units with :func:`warlog.link.build_event` (deterministic)
and written in bulk by the store (:class:`warlog.store.bulk.BulkLoad`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from warlog.batch import parquet
from warlog.codec import claim_from_json
from warlog.link import build_event
from warlog.link.units import Unit
from warlog.records import Article, ArticleClaims, PageFormat, RawPage
from warlog.store import Store
from warlog.store.bulk import unit_from_row

CHUNK = 500


def load(store: Store, out: str | Path) -> dict[str, int]:
    run_id = store.start_run("batch-load")
    counts = {"pages": 0, "articles": 0, "claims": 0, "events": 0}
    pages = parquet.read(out, "pages").sort_by(
        [("input_index", "ascending"), ("item_index", "ascending")]
    )
    for chunk in _chunks(pages.to_pylist()):
        with store.transaction() as tx:
            for r in chunk:
                if tx.has_page(r["sha256"]):
                    continue
                tx.add_page(_page(r), run_id)
                counts["pages"] += 1
    arts = parquet.read(out, "articles").sort_by(
        [("input_index", "ascending"), ("item_index", "ascending"), ("article_index", "ascending")]
    )
    claims: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in parquet.read(out, "claims").select(["article_id", "idx", "data"]).to_pylist():
        claims[r["article_id"]].append((r["idx"], r["data"]))
    for chunk in _chunks(arts.to_pylist()):
        with store.transaction() as tx:
            have = tx.bulk.stored_articles(r["id"] for r in chunk)
            for r in chunk:
                if r["id"] in have:
                    continue
                art = _article(r)
                tx.add_article(art, r["minhash"], r["buckets"] or [])
                found = tuple(
                    claim_from_json(art.id, json.loads(d)) for _, d in sorted(claims[art.id])
                )
                # The lead is stored from its JSON as is: the batch already resolved it.
                tx.replace_claims(ArticleClaims(art, found, None), r["extractor"])
                if r["lead"]:
                    tx.bulk.add_lead(art.id, r["lead"])
                counts["articles"] += 1
                counts["claims"] += len(found)
    units: dict[str, list[Unit]] = defaultdict(list)
    for r in parquet.read(out, "units").to_pylist():
        units[r["event_id"]].append(unit_from_row(r["key"], r["kind"], r["data"]))
    ids = sorted(units)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        with store.transaction() as tx:
            # A re-run replaces what an interrupted load wrote.
            tx.bulk.replace_events(chunk, [(build_event(units[e]), units[e]) for e in chunk])
        counts["events"] += len(chunk)
    store.finish_run(run_id, 0, counts["pages"], counts["articles"], 0)
    return counts


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def _page(r: dict[str, Any]) -> RawPage:
    fetched = r["fetched_at"]
    if fetched is not None and fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    return RawPage(
        body=r["body"],
        text="",  # the store keeps the bytes; the decoded text is not stored
        format=PageFormat(r["format"]),
        source=r["source"],
        url=r["url"],
        fetched_at=fetched,
        encoding=r["encoding"],
    )


def _article(r: dict[str, Any]) -> Article:
    return Article(
        id=r["id"],
        page_sha256=r["page_sha256"],
        index=r["article_index"],
        title=r["title"],
        text=r["text"],
        outlet=r["outlet"],
        outlet_how=r["outlet_how"],
        url=r["url"],
        published=r["published"],
        published_how=r["published_how"],
        source=r["source"],
        external_id=r["external_id"],
        removed=tuple(r["removed"] or ()),
        duplicate_of=r["duplicate_of"],
        duplicate_how=r["duplicate_how"],
    )
