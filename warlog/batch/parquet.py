"""Parquet output: one directory per table, one file per Spark partition (pyarrow).

Each executor writes its own partition's file (so ``--out`` must be a filesystem every
executor sees: local disk with ``local[*]``, a shared mount on a cluster). Nested records
(a claim, a lead, an event) are kept whole as JSON text next to flat key columns, so
the Parquet files answer the usual questions without parsing and lose nothing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ("pages", "articles", "claims", "units", "events")

_ORDER = [("input_index", pa.int64()), ("item_index", pa.int64())]

SCHEMAS: dict[str, pa.Schema] = {
    "pages": pa.schema(
        [
            *_ORDER,
            ("sha256", pa.string()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("format", pa.string()),
            ("encoding", pa.string()),
            ("fetched_at", pa.timestamp("us", tz="UTC")),
            ("size", pa.int64()),
            ("body", pa.binary()),
        ]
    ),
    "articles": pa.schema(
        [
            *_ORDER,
            ("article_index", pa.int64()),
            ("id", pa.string()),
            ("page_sha256", pa.string()),
            ("title", pa.string()),
            ("text", pa.string()),
            ("outlet", pa.string()),
            ("outlet_how", pa.string()),
            ("url", pa.string()),
            ("published", pa.date32()),
            ("published_how", pa.string()),
            ("content_hash", pa.string()),
            ("duplicate_of", pa.string()),
            ("duplicate_how", pa.string()),
            ("external_id", pa.string()),
            ("source", pa.string()),
            ("removed", pa.list_(pa.string())),
            ("minhash", pa.binary()),
            ("buckets", pa.list_(pa.string())),
            ("n_claims", pa.int64()),
            ("lead", pa.string()),
            ("extractor", pa.string()),
        ]
    ),
    "claims": pa.schema(
        [
            ("id", pa.string()),
            ("article_id", pa.string()),
            ("idx", pa.int64()),
            ("outcome", pa.string()),
            ("low", pa.int64()),
            ("high", pa.int64()),
            ("scope", pa.string()),
            ("event_type", pa.string()),
            ("country", pa.string()),
            ("admin1", pa.string()),
            ("date_start", pa.date32()),
            ("confidence", pa.float64()),
            ("data", pa.string()),
        ]
    ),
    "units": pa.schema(
        [
            ("key", pa.string()),
            ("article_id", pa.string()),
            ("kind", pa.string()),
            ("day", pa.date32()),
            ("event_id", pa.string()),
            ("data", pa.string()),
        ]
    ),
    "events": pa.schema(
        [
            ("id", pa.string()),
            ("kind", pa.string()),
            ("date_start", pa.date32()),
            ("date_end", pa.date32()),
            ("country", pa.string()),
            ("admin1", pa.string()),
            ("place_name", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("event_type", pa.string()),
            ("perpetrator_id", pa.string()),
            ("perpetrator_name", pa.string()),
            ("killed_low", pa.int64()),
            ("killed_best", pa.int64()),
            ("killed_high", pa.int64()),
            ("wounded_best", pa.int64()),
            ("n_reports", pa.int64()),
            ("n_articles", pa.int64()),
            ("n_outlets", pa.int64()),
            ("n_claimants", pa.int64()),
            ("conflict", pa.int64()),
            ("units", pa.list_(pa.string())),
            ("data", pa.string()),
        ]
    ),
}


def prepare(out: Path) -> None:
    """Empty the output's table directories (a batch output is rewritten whole)."""
    out.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        shutil.rmtree(out / t, ignore_errors=True)
        (out / t).mkdir()


def writer(
    out: str, tables: dict[str, Callable[[Any], Iterable[dict[str, Any]]]]
) -> Callable[[int, Iterable[Any]], Iterator[tuple[int, ...]]]:
    """A mapPartitionsWithIndex function writing one Parquet file per table from one pass
    over the partition; it yields the row count of each table, in order."""

    def write(index: int, items: Iterable[Any]) -> Iterator[tuple[int, ...]]:
        items = list(items)
        counts = []
        for table, to_rows in tables.items():
            rows = [r for item in items for r in to_rows(item)]
            tbl = pa.Table.from_pylist(rows, schema=SCHEMAS[table])
            pq.write_table(tbl, str(Path(out) / table / f"part-{index:05d}.parquet"))
            counts.append(len(rows))
        yield tuple(counts)

    return write


def read(out: str | Path, table: str) -> pa.Table:
    return pq.read_table(str(Path(out) / table), schema=SCHEMAS[table])


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None
