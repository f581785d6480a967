"""``warlog batch --engine local``: this machine's cores, no Spark, the Spark job's Parquet."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from batch.test_batch_equality import compare, from_parquet, stored
from warlog.batch.load import load
from warlog.cli import main
from warlog.pipeline import ingest_paths
from warlog.settings import IngestOptions
from warlog.store import Store

pytestmark = pytest.mark.slow


def test_local_engine_with_workers_writes_what_run_stores(seeds_dir: Path, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'run.db'}")
    try:
        assert not ingest_paths(store, [str(seeds_dir)], IngestOptions(), command="run").failed
        single = stored(store)
    finally:
        store.close()
    out = tmp_path / "out"
    loaded = tmp_path / "loaded.db"
    res = CliRunner().invoke(
        main,
        ["batch", "--engine", "local", "--workers", "2", str(seeds_dir), "--out", str(out),
         "--load-db", str(loaded)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    compare(single, from_parquet(out))
    # The Parquet tables load into a store as the Spark job's do: the same ledger again.
    with Store(f"sqlite:///{loaded}") as again:
        compare(single, stored(again))
        # Loading it again (a killed load run again) skips what is stored, rewrites events.
        counts = load(again, out)
        assert counts["pages"] == counts["articles"] == counts["claims"] == 0
        assert counts["events"] == len(single["events"])
        compare(single, stored(again))
