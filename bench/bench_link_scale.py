"""Linking at scale: single-process components vs the Spark blocking join (issue 7).

The synthetic claims are bench_link.py's (a constant number of incidents per day, one to
five outlets each, a tenth tallies). For each size, in a fresh child process:

- single: ``warlog.link.units_of`` + ``warlog.link.components`` (blocked pairs, decision,
  union-find), pinned to one core;
- spark: the same units linked by ``warlog.batch.linkjoin`` on Spark ``local[2]``
  (blocking join on block x day bucket, decision per group, union-find of the edges on
  the driver). Peak memory is the driver process's (Spark's JVM and Python workers are
  not counted).

The two must find the same number of events; the run stops if they differ.

    .venv/bin/python bench/bench_link_scale.py [--sizes 10000,100000,1000000] [--no-spark] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_link import synth_reports
from measure import in_child, mib, pin_to_one_core


def _single(n: int) -> dict[str, Any]:
    from warlog.link import components, units_of

    pin_to_one_core()
    reports, leads = synth_reports(n)
    t0 = time.perf_counter()
    units = units_of(reports, leads)
    comps = components(units)
    secs = time.perf_counter() - t0
    return {
        "engine": "single",
        "claims": n,
        "units": len(units),
        "events": len(comps),
        "seconds": round(secs, 2),
        "claims_per_s": round(n / secs),
        "peak_rss_mib": mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def _spark(n: int) -> dict[str, Any]:
    from warlog.batch import linkjoin, spark
    from warlog.link import units_of

    reports, leads = synth_reports(n)
    units = units_of(reports, leads)
    session = spark.session("local[2]", app="bench-link", shuffle_partitions=8)
    sc = session.sparkContext
    try:
        t0 = time.perf_counter()
        rdd = sc.parallelize(units, 8)
        pairs = linkjoin.edges(rdd, 8).collect()
        root = linkjoin.union_find([u.key for u in units], pairs)
        secs = time.perf_counter() - t0
    finally:
        session.stop()
    return {
        "engine": "spark local[2]",
        "claims": n,
        "units": len(units),
        "events": len(set(root.values())),
        "pairs": len(pairs),
        "seconds": round(secs, 2),
        "claims_per_s": round(n / secs),
        "peak_rss_mib": mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        single = in_child(_single, n)
        rows.append(single)
        print(json.dumps(single) if args.json else _line(single), flush=True)
        if not args.no_spark:
            sp = in_child(_spark, n)
            rows.append(sp)
            print(json.dumps(sp) if args.json else _line(sp), flush=True)
            if sp["events"] != single["events"]:
                raise SystemExit(f"event counts differ: {single['events']} vs {sp['events']}")


def _line(r: dict[str, Any]) -> str:
    extra = " (driver)" if "pairs" in r else ""
    return (
        f"{r['engine']:>15} {r['claims']:>9,} claims {r['units']:>9,} units -> {r['events']:>8,} events "
        f"in {r['seconds']:>7.2f} s ({r['claims_per_s']:,}/s), peak RSS {r['peak_rss_mib']:.0f} MiB{extra}"
    )


if __name__ == "__main__":
    main()
