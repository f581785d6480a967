"""End-to-end throughput: ``warlog run``'s single process vs ``warlog batch`` on Spark local[2].

Both read the same synthetic pages (bench/synth.py: text and HTML, glued pages, near
copies) and do everything: read, clean, find copies, extract claims, resolve places and
dates, link events. The single process stores into SQLite as ``warlog run`` does; the
batch writes Parquet (no --load-db). Model loading is included in both (once for the
single process, once per Spark worker), as a real run pays it.

    .venv/bin/python bench/bench_batch.py [--pages 1000] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import in_child, mib
from synth import generate


def _single(pages_dir: str, db: str) -> dict[str, Any]:
    from warlog.pipeline import ingest_paths
    from warlog.store import Store

    store = Store(f"sqlite:///{db}")
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    report = ingest_paths(store, [pages_dir], command="run")
    secs = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    events = store.count("events")
    store.close()
    n = len(report.articles_new)
    return {
        "engine": "single process",
        "articles": n,
        "claims": report.claims_new,
        "events": events,
        "seconds": round(secs, 1),
        "articles_per_s": round(n / secs, 1),
        "articles_per_cpu_s": round(n / cpu, 1),
        "peak_rss_mib": mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def _spark(pages_dir: str, out: str) -> dict[str, Any]:
    from warlog.batch import job, spark

    session = spark.session("local[2]", app="bench-batch", shuffle_partitions=8)
    try:
        t0 = time.perf_counter()
        report = job.run(session.sparkContext, [pages_dir], out, partitions=8)
        secs = time.perf_counter() - t0
    finally:
        session.stop()
    return {
        "engine": "spark local[2]",
        "articles": report.articles,
        "claims": report.claims,
        "events": report.events,
        "seconds": round(secs, 1),
        "articles_per_s": round(report.articles / secs, 1),
        "articles_per_core_s": round(report.articles / secs / 2, 1),
        "stages_s": {k: round(v, 1) for k, v in report.seconds.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="warlog-bench-batch-") as tmp:
        pages = Path(tmp) / "pages"
        generate(pages, args.pages)
        rows = [
            in_child(_single, str(pages), str(Path(tmp) / "run.db")),
            in_child(_spark, str(pages), str(Path(tmp) / "out")),
        ]
    for r in rows:
        print(json.dumps(r) if args.json else _line(r), flush=True)
    if rows[0]["events"] != rows[1]["events"] or rows[0]["claims"] != rows[1]["claims"]:
        raise SystemExit("the two engines disagree on claims or events")


def _line(r: dict[str, Any]) -> str:
    return (
        f"{r['engine']:>15}: {r['articles']:,} articles, {r['claims']:,} claims, {r['events']:,} events "
        f"in {r['seconds']} s = {r['articles_per_s']} articles/s "
        + (f"({r['articles_per_cpu_s']} per CPU-second)" if "articles_per_cpu_s" in r
           else f"({r['articles_per_core_s']} per core; stages {r['stages_s']})")
    )  # fmt: skip


if __name__ == "__main__":
    main()
