"""Both cores and Spark, before and after, side by side in one run.

1. ``warlog run`` on FA-KES dev repeated to N articles (each copy its own record id, so
   every copy is read, extracted, stored as an exact copy and linked): end to end, store
   and linking included, with ``--workers 1`` and ``--workers 2``, and the same command
   of an older checkout (``--before``), with no ``--workers``: its own default.
2. The batch bench corpus (bench/synth.py pages): ``warlog run --workers 2`` against
   ``warlog batch --master local[2]`` (Parquet out, no --load-db), this checkout and the
   older one.

Every side runs as the real command in a fresh process (``PYTHONPATH`` names the checkout),
model loading included, as a user would run it. The ledgers are compared: claims (whole
JSON), events (whole JSON) and links must be identical between ``--workers 1`` and
``--workers 2``, and between ``warlog run`` and ``warlog batch``.

    python bench/bench_batch.py --before /tmp/wt-base [--articles 1000] [--pages 600] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import FAKES_DEV, cpu_model
from synth import generate

HERE = Path(__file__).resolve().parents[1]
FAKES_MAP = "text=text,title=title,outlet=outlet,id=id"


def fakes_repeated(n: int, out: Path) -> Path:
    rows = [json.loads(line) for line in FAKES_DEV.read_text("utf-8").splitlines() if line]
    with out.open("w", encoding="utf-8") as f:
        for k in range(n):
            row = dict(rows[k % len(rows)])
            row["id"] = f"{row.get('id')}~{k // len(rows)}"  # new bytes: not a stored page
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def warlog(checkout: Path, args: list[str]) -> dict[str, Any]:
    """Run one ``warlog`` command of ``checkout``; wall time, CPU time and peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    cmd = [sys.executable, "-c", "from warlog.cli import main; main()", *args]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=checkout
    )
    tree: dict[int, float] = {}  # pid -> its own CPU seconds when last seen
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        _poll_tree(proc.pid, tree)
        time.sleep(0.25)
    secs = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {code}:\n{err[-2000:]}")
    return {
        "seconds": round(secs, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        # Spark's JVM and Python workers are not waited for by the command, so its rusage
        # misses them: the CPU of every process of the command's tree, polled.
        "tree_cpu_seconds": round(sum(tree.values()), 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        "stderr_tail": err.strip().splitlines()[-1:] if err.strip() else [],
    }


def _poll_tree(root: int, tree: dict[int, float]) -> None:
    """Record the own CPU time (utime + stime) of ``root`` and all its descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            raw = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        f = raw[raw.rindex(")") + 2 :].split()  # fields after the command name
        stats[int(d)] = (int(f[1]), (int(f[11]) + int(f[12])) / tick)
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            tree[pid] = max(tree.get(pid, 0.0), stats[pid][1])
        todo += children.get(pid, [])


def ledger(db: Path) -> dict[str, Any]:
    con = sqlite3.connect(db)
    try:
        return {
            "articles": con.execute("select count(*) from articles").fetchone()[0],
            "claims": dict(con.execute("select id, data from claims")),
            "events": dict(con.execute("select id, data from events")),
            "links": sorted(con.execute("select key, event_id from link_units")),
        }
    finally:
        con.close()


def from_parquet(out: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    claims = pq.read_table(out / "claims", columns=["id", "data"]).to_pylist()
    events = pq.read_table(out / "events", columns=["id", "data"]).to_pylist()
    arts = pq.read_table(out / "articles", columns=["id"]).num_rows
    return {
        "articles": arts,
        "claims": {r["id"]: r["data"] for r in claims},
        "events": {r["id"]: r["data"] for r in events},
    }


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Claims and events equal as JSON values (key order aside); links too where both have them."""
    for k in ("claims", "events"):
        if {i: json.loads(v) for i, v in a[k].items()} != {
            i: json.loads(v) for i, v in b[k].items()
        }:
            return False
    return "links" not in a or "links" not in b or a["links"] == b["links"]


def part_run(sides: dict[str, Path], tmp: Path, n: int) -> list[dict[str, Any]]:
    corpus = fakes_repeated(n, tmp / f"fakes{n}.jsonl")
    rows, ledgers = [], {}
    for name, checkout in sides.items():
        # The older checkout runs with its own default (no --workers: one process before the
        # option existed, the machine's cores after): labelled so, not as one worker.
        for workers in (1, 2) if name == "after" else (None,):
            db = tmp / f"run-{name}-{workers}.db"
            args = ["run", str(corpus), "--map", FAKES_MAP, "--db", str(db)]
            if workers is not None:
                args += ["--workers", str(workers)]
            r = warlog(checkout, args)
            led = ledger(db)
            ledgers[(name, workers)] = led
            rows.append(
                {
                    "what": f"warlog run, FA-KES dev x{n}",
                    "side": name,
                    "workers": workers,
                    "articles": led["articles"],
                    "claims": len(led["claims"]),
                    "events": len(led["events"]),
                    "articles_per_s": round(led["articles"] / r["seconds"], 1),
                    **r,
                }
            )
    base = ledgers[("after", 1)]
    for row in rows:
        row["same_ledger_as_after_1"] = same(ledgers[(row["side"], row["workers"])], base)
    return rows


def part_spark(sides: dict[str, Path], tmp: Path, pages: int) -> list[dict[str, Any]]:
    corpus = tmp / "pages"
    generate(corpus, pages)
    rows = []
    db = tmp / "synth-run.db"
    r = warlog(sides["after"], ["run", str(corpus), "--db", str(db), "--workers", "2"])
    single = ledger(db)
    rows.append(
        {
            "what": f"batch bench corpus, {pages} pages",
            "side": "after",
            "engine": "warlog run --workers 2",
            "articles": single["articles"],
            "claims": len(single["claims"]),
            "events": len(single["events"]),
            "articles_per_s": round(single["articles"] / r["seconds"], 1),
            **r,
        }
    )
    for name, checkout in sides.items():
        out = tmp / f"out-{name}"
        r = warlog(checkout, ["batch", str(corpus), "--out", str(out), "--master", "local[2]"])
        got = from_parquet(out)
        report = json.loads((out / "_report.json").read_text())
        rows.append(
            {
                "what": f"batch bench corpus, {pages} pages",
                "side": name,
                "engine": "warlog batch local[2]",
                "articles": got["articles"],
                "claims": len(got["claims"]),
                "events": len(got["events"]),
                "articles_per_s": round(got["articles"] / r["seconds"], 1),
                "tasks": report.get("tasks"),
                "stages_s": report.get("seconds"),
                "same_claims_and_events_as_run": same(got, single),
                **r,
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", type=Path, help="an older checkout (e.g. a git worktree)")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--skip-run", action="store_true")
    ap.add_argument("--skip-spark", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sides = {"after": HERE}
    if args.before:
        sides = {"before": args.before.resolve(), **sides}
    print(f"# {cpu_model()}, {os.cpu_count()} cores, load {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="warlog-bench-batch-") as t:
        tmp = Path(t)
        rows = [] if args.skip_run else part_run(sides, tmp, args.articles)
        for row in rows:
            print(json.dumps(row) if args.json else _line(row), flush=True)
        spark_rows = [] if args.skip_spark else part_spark(sides, tmp, args.pages)
        for row in spark_rows:
            print(json.dumps(row) if args.json else _line(row), flush=True)
    print(f"# load after: {os.getloadavg()}", flush=True)
    after = [r for r in rows if r["side"] == "after"]
    if len(after) == 2:
        print(f"# speed-up of --workers 2 over 1: {after[0]['seconds'] / after[1]['seconds']:.2f}x")
    if spark_rows:
        run_rate = spark_rows[0]["articles_per_s"]
        for r in spark_rows[1:]:
            print(f"# spark {r['side']}: {r['articles_per_s'] / run_rate:.2f}x of run --workers 2")
    bad = [r for r in rows if not r["same_ledger_as_after_1"]]
    bad += [r for r in spark_rows[1:] if not r["same_claims_and_events_as_run"]]
    if bad:
        raise SystemExit(f"ledgers differ: {bad}")


def _line(r: dict[str, Any]) -> str:
    who = r.get("engine") or (
        f"warlog run --workers {r['workers']}" if r["workers"] else "warlog run (its default)"
    )
    extra = f" tasks {r['tasks']}, stages {r['stages_s']}" if "tasks" in r else ""
    return (
        f"{r['what']:>30} | {r['side']:>6} | {who:>24}: {r['articles']:,} articles, "
        f"{r['claims']:,} claims, {r['events']:,} events in {r['seconds']} s = "
        f"{r['articles_per_s']} articles/s (CPU {r['tree_cpu_seconds']} s, peak RSS "
        f"{r['peak_rss_mib']} MiB){extra}"
    )


if __name__ == "__main__":
    main()
