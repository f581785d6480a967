"""Ingestion rate into PostgreSQL against SQLite, on the same synthetic corpus.

Generates ``--pages`` pages with synth.py (the corpus of bench_ingest.py), then
ingests them (the ingestion stage: read, clean, dedup, store; no claims) once
into a fresh SQLite file and once into a fresh schema of a PostgreSQL server,
each in a new child process pinned to CPU 0, and prints pages/s, the client's
CPU time and its peak RSS. The PostgreSQL server's own processes are not
pinned: on 2 cores they run beside the client, so the figure is what a client
sees, not a per-core figure for client and server together.

    .venv/bin/python bench/bench_pg.py --pg-url postgresql://user:pw@127.0.0.1/db [--pages N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench_ingest import _prepare_corpus  # bench/ is on sys.path when run as a script
from measure import cpu_model, in_child, mib, pin_to_one_core, proc_status_kib


def ingest_run(corpus: str, url: str) -> dict[str, Any]:
    """One ingestion of ``corpus`` into ``url``; meant to run in a child process."""
    pinned = pin_to_one_core()
    from warlog.pipeline import ingest_paths
    from warlog.store import Store

    rss_after_import = proc_status_kib("VmRSS")
    store = Store(url)  # migrations are not timed
    wall0, cpu0 = time.perf_counter(), time.process_time()
    report = ingest_paths(store, [corpus], extract=False)
    seconds, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    store.close()
    return {
        "pinned": pinned,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "pages": report.pages_new,
        "articles": len(report.articles_new),
        "duplicates": report.duplicates,
        "problems": len(report.problems),
        "rss_after_import_kib": rss_after_import,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _pg_schema(base: str, name: str, create: bool) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(base).set(drivername="postgresql+psycopg"))
    with engine.begin() as conn:
        sql = f"CREATE SCHEMA {name}" if create else f"DROP SCHEMA IF EXISTS {name} CASCADE"
        conn.exec_driver_sql(sql)
    engine.dispose()


def _schema_url(base: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(base).update_query_dict({"options": f"-csearch_path={name}"})
    return url.render_as_string(hide_password=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2_000, help="corpus size (default 2000)")
    ap.add_argument(
        "--pg-url",
        default=os.environ.get("WARLOG_TEST_PG_URL"),
        help="PostgreSQL server (default $WARLOG_TEST_PG_URL); a fresh schema is made and dropped",
    )
    ap.add_argument("--out", type=Path, help="corpus folder, kept (default: a temp folder)")
    ap.add_argument("--seed", type=int, default=20261122, help="corpus seed")
    ap.add_argument("--json", action="store_true", help="print a JSON object on stdout")
    args = ap.parse_args(argv)
    if not args.pg_url:
        ap.error("give --pg-url or set WARLOG_TEST_PG_URL")
    if args.pages < 1:
        ap.error("--pages must be positive")

    scratch = Path(tempfile.mkdtemp(prefix="warlog-bench-pg-"))
    schema = f"warlog_bench_{uuid.uuid4().hex[:10]}"
    results: dict[str, dict[str, Any]] = {}
    try:
        corpus_dir = args.out or scratch / "corpus"
        print(f"corpus: {args.pages:,} pages in {corpus_dir}", file=sys.stderr)
        _prepare_corpus(corpus_dir, args.pages, args.seed)
        print("ingesting into SQLite...", file=sys.stderr)
        results["sqlite"] = in_child(ingest_run, str(corpus_dir), f"sqlite:///{scratch}/b.db")
        _pg_schema(args.pg_url, schema, create=True)
        print("ingesting into PostgreSQL...", file=sys.stderr)
        results["postgresql"] = in_child(
            ingest_run, str(corpus_dir), _schema_url(args.pg_url, schema)
        )
    finally:
        _pg_schema(args.pg_url, schema, create=False)
        shutil.rmtree(scratch, ignore_errors=True)

    out = sys.stderr if args.json else sys.stdout
    print(f"warlog ingest into SQLite and PostgreSQL: {args.pages:,} pages", file=out)
    print(
        f"{'':12}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'CPU s':>8}{'pages/CPU s':>13}"
        f"{'peak RSS MiB':>14}",
        file=out,
    )
    for name, r in results.items():
        r["pages_per_second"] = round(r["pages"] / r["seconds"], 1)
        r["pages_per_cpu_second"] = round(r["pages"] / r["cpu_seconds"], 1)
        r["peak_rss_mib"] = mib(r["maxrss_kib"])
        print(
            f"{name:12}{r['pages']:>8,}{r['seconds']:>10.1f}{r['pages_per_second']:>10.1f}"
            f"{r['cpu_seconds']:>8.1f}{r['pages_per_cpu_second']:>13.1f}{r['peak_rss_mib']:>14}",
            file=out,
        )
    lite, pg = results["sqlite"], results["postgresql"]
    same = (lite["pages"], lite["articles"], lite["duplicates"]) == (
        pg["pages"],
        pg["articles"],
        pg["duplicates"],
    )
    print(
        f"articles {pg['articles']:,} / {lite['articles']:,}, duplicates {pg['duplicates']} / "
        f"{lite['duplicates']} (PostgreSQL / SQLite): {'same' if same else 'DIFFERENT'}; "
        f"{cpu_model()}, client pinned to CPU 0",
        file=out,
    )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
