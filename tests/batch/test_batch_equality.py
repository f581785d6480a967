"""The Spark batch gives what ``warlog run`` stores: same articles, claims and events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from warlog.batch import job, parquet
from warlog.batch.load import load
from warlog.ingest.tabular import parse_map
from warlog.pipeline import ingest_paths
from warlog.settings import IngestOptions
from warlog.store import Store, schema

pytestmark = pytest.mark.slow

FAKES_MAP = "text=text,title=title,outlet=outlet,id=id"


def stored(store: Store) -> dict[str, Any]:
    """What a store holds, in the shape the batch output is compared in."""
    a, c, u, e = (schema.articles.c, schema.claims.c, schema.link_units.c, schema.events.c)
    with store.engine.connect() as conn:
        articles = {r.id: r.duplicate_of for r in conn.execute(select(a.id, a.duplicate_of))}
        claims = {r.id: json.loads(r.data) for r in conn.execute(select(c.id, c.data))}
        members: dict[str, list[str]] = {}
        for r in conn.execute(select(u.key, u.event_id)):
            members.setdefault(r.event_id, []).append(r.key)
        events = {r.id: json.loads(r.data) for r in conn.execute(select(e.id, e.data))}
    return {
        "articles": articles,
        "claims": claims,
        "members": {k: sorted(v) for k, v in members.items()},
        "events": events,
    }


def from_parquet(out: Path) -> dict[str, Any]:
    arts = parquet.read(out, "articles").select(["id", "duplicate_of"]).to_pylist()
    claims = parquet.read(out, "claims").select(["id", "data"]).to_pylist()
    events = parquet.read(out, "events").select(["id", "units", "data"]).to_pylist()
    return {
        "articles": {r["id"]: r["duplicate_of"] for r in arts},
        "claims": {r["id"]: json.loads(r["data"]) for r in claims},
        "members": {r["id"]: sorted(r["units"]) for r in events},
        "events": {r["id"]: json.loads(r["data"]) for r in events},
    }


def killed(events: dict[str, Any]) -> dict[str, Any]:
    return {k: v["killed"] for k, v in events.items()}


def compare(single: dict[str, Any], batch: dict[str, Any]) -> None:
    assert batch["articles"] == single["articles"]
    assert batch["claims"].keys() == single["claims"].keys()
    assert batch["claims"] == single["claims"]
    # Membership and figures first: their failures read better than a whole-JSON diff.
    assert batch["members"] == single["members"]
    assert killed(batch["events"]) == killed(single["events"])
    assert batch["events"] == single["events"]


def run_both(
    sc: Any, tmp_path: Path, paths: list[str], options: IngestOptions, **kw: Any
) -> tuple[dict[str, Any], dict[str, Any], Path]:
    store = Store(f"sqlite:///{tmp_path / 'run.db'}")
    try:
        report = ingest_paths(store, paths, options, command="run")
        assert not report.failed
        single = stored(store)
    finally:
        store.close()
    out = tmp_path / "out"
    result = job.run(sc, paths, out, options, **kw)
    assert not result.failed
    return single, from_parquet(out), out


def test_seeds_batch_equals_run(spark_context: Any, seeds_dir: Path, tmp_path: Path) -> None:
    single, batch, out = run_both(spark_context, tmp_path, [str(seeds_dir)], IngestOptions())
    assert single["claims"] and single["events"]
    compare(single, batch)
    # --load-db: the loaded store holds the same as the one `warlog run` filled.
    loaded = Store(f"sqlite:///{tmp_path / 'loaded.db'}")
    try:
        load(loaded, out)
        compare(single, stored(loaded))
    finally:
        loaded.close()


def test_fakes_dev_batch_equals_run(spark_context: Any, fakes_dev: Path, tmp_path: Path) -> None:
    options = IngestOptions(column_map=parse_map(FAKES_MAP))
    # Small record ranges: the one JSONL file is read by several tasks, as a big one would be.
    # Linked by the blocking join on the executors (what a job too big for the driver does).
    single, batch, out = run_both(
        spark_context, tmp_path, [str(fakes_dev)], options, records_per_task=64, driver_link_max=0
    )
    assert len(single["articles"]) > 200 and len(single["events"]) > 100
    compare(single, batch)
    joined = json.loads((out / "_report.json").read_text())
    # The same job linked on the driver (the default below 50,000 articles): same events,
    # and the same number of linked pairs as the join found.
    out2 = tmp_path / "out-driver"
    report = job.run(spark_context, [str(fakes_dev)], out2, options, records_per_task=64)
    compare(single, from_parquet(out2))
    assert report.pairs == joined["linked_pairs"] > 0
    assert report.units == joined["units"]
