"""``warlog batch --engine local``: the batch job on this machine's cores, without Spark.

The inputs go through ``warlog run``'s pipeline (``--workers`` processes clean and extract,
this process alone writes) into a SQLite store in the output folder (``warlog.db``), whose
tables are then written as the Spark job's Parquet tables, with the same schemas: whatever
reads a batch output (``--load-db``, your own tools) reads either engine's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from warlog.batch import parquet
from warlog.pipeline import IngestReport, ingest_paths
from warlog.records import Problem
from warlog.settings import IngestOptions
from warlog.store import Store


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
    from warlog.batch.job import _claim_rows_of

    names = [f.name for f in parquet.SCHEMAS["events"] if f.name != "units"]
    rows = store.bulk_rows(names)
    counts: dict[str, int] = {}
    counts["pages"] = _write(out, "pages", [{"input_index": 0, **r} for r in rows.pages])
    counts["articles"] = _write(out, "articles", [{"input_index": 0, **r} for r in rows.articles])
    claim_rows = [row for aid, data in rows.claims.items() for row in _claim_rows_of(aid, data)]
    counts["claims"] = _write(out, "claims", claim_rows)
    counts["units"] = _write(out, "units", rows.units)
    counts["events"] = _write(out, "events", rows.events)
    return counts
