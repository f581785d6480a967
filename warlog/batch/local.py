"""``warlog batch --engine local``: the batch job on this machine's cores, without Spark.

The inputs go through ``warlog run``'s pipeline (``--workers`` processes clean and extract,
this process alone writes) into a SQLite store in the output folder (``warlog.db``), whose
tables are then written as the Spark job's Parquet tables, with the same schemas: whatever
reads a batch output (``--load-db``, your own tools) reads either engine's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import literal_column, select

from warlog.batch import parquet
from warlog.pipeline import IngestReport, ingest_paths
from warlog.records import Problem
from warlog.settings import IngestOptions
from warlog.store import Store, schema


def run(
    paths: list[str],
    out: str | Path,
    options: IngestOptions,
    on_problem: Callable[[Problem], None] | None = None,
) -> tuple[IngestReport, dict[str, int]]:
    out = Path(out).resolve()
    parquet.prepare(out)
    db = out / "warlog.db"
    db.unlink(missing_ok=True)  # a batch output is rewritten whole
    store = Store(f"sqlite:///{db}")
    try:
        report = ingest_paths(store, paths, options, command="batch", on_problem=on_problem)
        counts = export(store, out)
    finally:
        store.close()
    return report, counts


def _write(out: Path, table: str, rows: list[dict[str, Any]]) -> int:
    tbl = pa.Table.from_pylist(rows, schema=parquet.SCHEMAS[table])
    pq.write_table(tbl, str(out / table / "part-00000.parquet"))
    return len(rows)


def export(store: Store, out: Path) -> dict[str, int]:
    """The store's pages, articles, claims, units and events as the batch's Parquet tables."""
    p, a, c = schema.pages.c, schema.articles.c, schema.claims.c
    u, e, lead, lsh = schema.link_units.c, schema.events.c, schema.leads.c, schema.article_lsh.c
    rowid = literal_column("pages.rowid")
    counts: dict[str, int] = {}
    with store.engine.connect() as conn:
        # Storing order is input order: the item index keeps originals before their copies.
        order = {r.sha256: n for n, r in enumerate(conn.execute(select(p.sha256).order_by(rowid)))}
        pages = [
            {"input_index": 0, "item_index": order[r.sha256], **r._asdict()}
            for r in conn.execute(
                select(
                    p.sha256, p.source, p.url, p.format, p.encoding, p.fetched_at, p.size, p.body
                )
            )
        ]
        counts["pages"] = _write(out, "pages", sorted(pages, key=lambda r: r["item_index"]))
        buckets: dict[str, list[str]] = defaultdict(list)
        for r in conn.execute(select(lsh.article_id, lsh.bucket).order_by(lsh.bucket)):
            buckets[r.article_id].append(r.bucket)
        leads = {r.article_id: r.data for r in conn.execute(select(lead.article_id, lead.data))}
        claims: dict[str, list[Any]] = defaultdict(list)
        extractor: dict[str, str] = {}
        for r in conn.execute(select(c.id, c.article_id, c.idx, c.data, c.extractor)):
            claims[r.article_id].append(r)
            extractor[r.article_id] = r.extractor
        arts = []
        for r in conn.execute(select(schema.articles).order_by(a.id)):
            d = r._asdict()
            for drop in ("ingested_at",):
                d.pop(drop, None)
            d["article_index"] = d.pop("idx")
            d["removed"] = json.loads(d["removed"] or "[]")
            d.update(
                input_index=0,
                item_index=order[r.page_sha256],
                buckets=buckets.get(r.id, []),
                n_claims=len(claims.get(r.id, ())),
                lead=leads.get(r.id),
                extractor=extractor.get(r.id, ""),
            )
            arts.append(d)
        arts.sort(key=lambda d: (d["item_index"], d["article_index"]))
        counts["articles"] = _write(out, "articles", arts)
        from warlog.batch.job import _claim_rows_of

        claim_rows = [
            row
            for aid in sorted(claims)
            for row in _claim_rows_of(
                aid, [x.data for x in sorted(claims[aid], key=lambda x: x.idx)]
            )
        ]
        counts["claims"] = _write(out, "claims", claim_rows)
        members: dict[str, list[str]] = defaultdict(list)
        unit_rows = []
        for r in conn.execute(select(u.key, u.article_id, u.kind, u.day, u.event_id, u.data)):
            members[r.event_id].append(r.key)
            unit_rows.append(r._asdict())
        counts["units"] = _write(out, "units", sorted(unit_rows, key=lambda r: r["key"]))
        names = [f.name for f in parquet.SCHEMAS["events"] if f.name != "units"]
        event_rows = [
            {**r._asdict(), "units": sorted(members[r.id])}
            for r in conn.execute(select(*(e[n] for n in names)).order_by(e.id))
        ]
        counts["events"] = _write(out, "events", event_rows)
    return counts
