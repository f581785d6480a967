"""Ingestion throughput and peak memory of warlog on a synthetic corpus.

    .venv/bin/python bench/bench_ingest.py [--pages N] [--out DIR] [--json] [--profile N]

Generates a deterministic corpus (bench/synth.py: text scrapes and ~10% HTML,
glued double articles and near-copies), ingests it with
:func:`warlog.pipeline.ingest_paths` into a fresh SQLite file, then ingests it
again (nothing new: every page is already stored) and reports both.

Ingestion runs in a fresh child process pinned to one CPU, so the figures are
per core and the peak RSS is the ingesting process's own. That is also why this
module imports nothing heavy and generation runs in a child of its own: on Linux
a child's ``ru_maxrss`` starts from its parent's peak at fork time (it survives
``exec``), so a large parent would put a floor under every figure measured here.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, TypedDict, TypeVar

import synth  # bench/ is on sys.path when this file runs as a script, and in spawned children
from measure import (
    cpu_model,
    in_child,
    mib,
    pin_to_one_core,
    proc_status_kib,
    profile_text,
    runqueue_seconds,
)

T = TypeVar("T")


class FormatTally(TypedDict):
    pages: int
    seconds: float
    cpu_seconds: float


class RunResult(TypedDict):
    pinned: bool
    import_seconds: float
    rss_after_import_kib: int | None
    seconds: float
    cpu_seconds: float
    runqueue_seconds: float | None
    involuntary_switches: int
    voluntary_switches: int
    inputs: int
    pages_new: int
    pages_unchanged: int
    articles: int
    duplicates: int
    problems: int
    problem_samples: list[str]
    formats: dict[str, FormatTally]
    maxrss_kib: int
    hwm_kib: int | None
    profile: str | None


class _FormatClock:
    """Splits one run's wall and CPU time by input format.

    ingest_paths announces each input before reading it, so the time between two
    announcements belongs to the earlier input: one run gives per-format figures
    without a second pass, which would meet a different store.
    """

    def __init__(self) -> None:
        self.tallies: dict[str, FormatTally] = {
            f: {"pages": 0, "seconds": 0.0, "cpu_seconds": 0.0} for f in ("text", "html")
        }
        self._open: tuple[str, float, float] | None = None

    def start(self, name: str) -> None:
        self.stop()
        fmt = "html" if name.endswith(".html") else "text"
        self._open = (fmt, time.perf_counter(), time.process_time())

    def stop(self) -> None:
        if self._open is None:
            return
        fmt, wall0, cpu0 = self._open
        tally = self.tallies[fmt]
        tally["pages"] += 1
        tally["seconds"] += time.perf_counter() - wall0
        tally["cpu_seconds"] += time.process_time() - cpu0
        self._open = None


def ingest_run(corpus: str, db: str, profile_top: int = 0, claims: bool = False) -> RunResult:
    """One ``ingest_paths`` over ``corpus`` into ``db``; meant to run in a child process."""
    pinned = pin_to_one_core()
    t0 = time.perf_counter()
    from warlog.pipeline import ingest_paths
    from warlog.settings import IngestOptions
    from warlog.store import Store

    import_seconds = time.perf_counter() - t0
    rss_after_import = proc_status_kib("VmRSS")

    clock = _FormatClock()
    store = Store(f"sqlite:///{db}")
    profiler = cProfile.Profile() if profile_top else None
    if profiler is not None:
        profiler.enable()
    # Wall time on a shared machine includes waiting for the CPU; the run-queue wait
    # and context switches tell that apart from waiting for the disk.
    ru0, rq0 = resource.getrusage(resource.RUSAGE_SELF), runqueue_seconds()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    # The ingestion stage alone by default; --with-claims adds extraction and resolution.
    report = ingest_paths(store, [corpus], IngestOptions(), extract=claims, on_input=clock.start)
    clock.stop()
    seconds, cpu_seconds = time.perf_counter() - wall0, time.process_time() - cpu0
    ru1, rq1 = resource.getrusage(resource.RUSAGE_SELF), runqueue_seconds()
    if profiler is not None:
        profiler.disable()
    store.close()

    return {
        "pinned": pinned,
        "import_seconds": import_seconds,
        "rss_after_import_kib": rss_after_import,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "runqueue_seconds": None if rq0 is None or rq1 is None else rq1 - rq0,
        "involuntary_switches": ru1.ru_nivcsw - ru0.ru_nivcsw,
        "voluntary_switches": ru1.ru_nvcsw - ru0.ru_nvcsw,
        "inputs": report.inputs,
        "pages_new": report.pages_new,
        "pages_unchanged": report.pages_unchanged,
        "articles": len(report.articles_new),
        "duplicates": report.duplicates,
        "problems": len(report.problems),
        "problem_samples": [str(p) for p in report.problems[:5]],
        "formats": clock.tallies,
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "hwm_kib": proc_status_kib("VmHWM"),
        "profile": profile_text(profiler, profile_top) if profiler is not None else None,
    }


def generate_corpus(out: str, pages: int, seed: int) -> dict[str, Any]:
    """Write the corpus; meant to run in a child process."""
    t0 = time.perf_counter()
    man = synth.generate(Path(out), pages, seed)
    return {**asdict(man), "seconds": time.perf_counter() - t0}


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else 0.0


def _round(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


def _size_mib(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 1_048_576, 1)


def summarise(
    corpus: dict[str, Any], first: RunResult, rerun: RunResult, db: Path
) -> dict[str, Any]:
    text, html = first["formats"]["text"], first["formats"]["html"]
    re_text, re_html = rerun["formats"]["text"], rerun["formats"]["html"]
    return {
        "date": date.today().isoformat(),
        "pages": first["inputs"],
        "text_pages": text["pages"],
        "html_pages": html["pages"],
        "pages_new": first["pages_new"],
        "articles": first["articles"],
        "articles_planted": corpus["articles"],
        "duplicates": first["duplicates"],
        "near_copies_planted": corpus["near_copies"],
        "glued_pages_planted": corpus["glued_pages"],
        "problems": first["problems"],
        "seconds": round(first["seconds"], 2),
        "pages_per_s": _rate(first["inputs"], first["seconds"]),
        "text_seconds": round(text["seconds"], 2),
        "text_pages_per_s": _rate(text["pages"], text["seconds"]),
        "html_seconds": round(html["seconds"], 2),
        "html_pages_per_s": _rate(html["pages"], html["seconds"]),
        "cpu_seconds": round(first["cpu_seconds"], 2),
        "pages_per_cpu_s": _rate(first["inputs"], first["cpu_seconds"]),
        "text_pages_per_cpu_s": _rate(text["pages"], text["cpu_seconds"]),
        "html_pages_per_cpu_s": _rate(html["pages"], html["cpu_seconds"]),
        "runqueue_wait_seconds": _round(first["runqueue_seconds"]),
        "involuntary_switches": first["involuntary_switches"],
        "voluntary_switches": first["voluntary_switches"],
        "peak_rss_mib": mib(first["maxrss_kib"]),
        "peak_rss_hwm_mib": mib(first["hwm_kib"]),
        "rss_after_import_mib": mib(first["rss_after_import_kib"]),
        "import_seconds": round(first["import_seconds"], 2),
        "rerun_seconds": round(rerun["seconds"], 2),
        "rerun_pages_per_s": _rate(rerun["inputs"], rerun["seconds"]),
        "rerun_cpu_seconds": round(rerun["cpu_seconds"], 2),
        "rerun_text_pages_per_s": _rate(re_text["pages"], re_text["seconds"]),
        "rerun_html_pages_per_s": _rate(re_html["pages"], re_html["seconds"]),
        "rerun_runqueue_wait_seconds": _round(rerun["runqueue_seconds"]),
        "rerun_pages_new": rerun["pages_new"],
        "rerun_articles_new": rerun["articles"],
        "rerun_peak_rss_mib": mib(rerun["maxrss_kib"]),
        "corpus_mib": round(corpus["bytes"] / 1_048_576, 1),
        "db_mib": _size_mib(db),
        "generate_seconds": round(corpus.get("seconds", 0.0), 2),
        "pinned_to_one_cpu": first["pinned"],
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpu_model": cpu_model(),
    }


def table(r: dict[str, Any]) -> str:
    rows = [
        ("overall", r["pages"], r["seconds"], r["pages_per_s"], r["cpu_seconds"],
         r["pages_per_cpu_s"]),
        ("text", r["text_pages"], r["text_seconds"], r["text_pages_per_s"], None,
         r["text_pages_per_cpu_s"]),
        ("HTML", r["html_pages"], r["html_seconds"], r["html_pages_per_s"], None,
         r["html_pages_per_cpu_s"]),
        ("re-run", r["pages"], r["rerun_seconds"], r["rerun_pages_per_s"], r["rerun_cpu_seconds"],
         _rate(r["pages"], r["rerun_cpu_seconds"])),
    ]  # fmt: skip
    lines = [
        f"warlog ingest: {r['pages']:,} pages ({r['corpus_mib']} MiB), {r['date']}",
        f"{'':10} {'pages':>8} {'seconds':>9} {'pages/s':>9} {'CPU s':>8} {'pages/CPU s':>12}",
    ]
    for name, pages, secs, rate, cpu, cpu_rate in rows:
        cpu_cell = f"{cpu:8.1f}" if cpu is not None else f"{'':8}"
        lines.append(f"{name:10} {pages:8,} {secs:9.1f} {rate:9.1f} {cpu_cell} {cpu_rate:12.1f}")
    rq = r["runqueue_wait_seconds"]
    if rq is not None and rq > 0.02 * r["seconds"]:
        # A wait for the CPU means another process shared CPU 0: the wall figures are low.
        lines.append(f"waited {rq:.1f} s for the CPU (other processes on CPU 0)")
    lines += [
        f"articles {r['articles']:,} (planted {r['articles_planted']:,}), "
        f"duplicates {r['duplicates']:,} (near-copies planted {r['near_copies_planted']:,}), "
        f"problems {r['problems']}",
        f"peak RSS {r['peak_rss_mib']} MiB (after imports {r['rss_after_import_mib']} MiB), "
        f"database {r['db_mib']} MiB; re-run added {r['rerun_pages_new']} pages",
        f"Python {r['python']}, SQLite {r['sqlite']}, {r['cpu_model']}"
        + (", pinned to CPU 0" if r["pinned_to_one_cpu"] else ", not pinned"),
    ]
    return "\n".join(lines)


def _prepare_corpus(out: Path, pages: int, seed: int) -> dict[str, Any]:
    found = synth.read_manifest(out)
    wanted = {"pages": pages, "seed": seed, "version": synth.GENERATOR_VERSION}
    if found and all(found.get(k) == v for k, v in wanted.items()):
        return found  # the same corpus again: generation is deterministic
    if out.exists() and any(out.iterdir()):
        # Refuse rather than mix stray files into the measured corpus, or delete someone's data.
        sys.exit(f"{out} is not empty and holds no matching corpus; give an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    return in_child(generate_corpus, str(out), pages, seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10_000, help="corpus size (default 10000)")
    ap.add_argument("--out", type=Path, help="corpus folder, kept (default: a temp folder)")
    ap.add_argument("--db", type=Path, help="SQLite file to create, kept (default: a temp file)")
    ap.add_argument("--seed", type=int, default=20261122, help="corpus seed")
    ap.add_argument("--json", action="store_true", help="print a JSON object on stdout")
    ap.add_argument(
        "--with-claims",
        action="store_true",
        help="also extract and resolve claims (the full main job)",
    )
    ap.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile both runs and print their top N functions (slows them down)",
    )
    args = ap.parse_args(argv)
    if args.pages < 1:
        ap.error("--pages must be positive")
    if args.db and args.db.exists():
        ap.error(f"{args.db} exists; the benchmark needs a fresh database")
    say = (lambda s: print(s, file=sys.stderr)) if args.json else print

    scratch = Path(tempfile.mkdtemp(prefix="warlog-bench-"))
    try:
        corpus_dir = args.out or scratch / "corpus"
        db = args.db or scratch / "bench.db"
        print(f"corpus: {args.pages:,} pages in {corpus_dir}", file=sys.stderr)
        corpus = _prepare_corpus(corpus_dir, args.pages, args.seed)
        print("ingesting...", file=sys.stderr)
        first = in_child(ingest_run, str(corpus_dir), str(db), args.profile, args.with_claims)
        print(f"  {first['seconds']:.1f} s; re-ingesting...", file=sys.stderr)
        rerun = in_child(ingest_run, str(corpus_dir), str(db), args.profile, args.with_claims)
        result = summarise(corpus, first, rerun, db)
        for title, run in (("first run", first), ("re-run", rerun)):
            if run["profile"]:
                say(f"=== profile of the {title} ===\n{run['profile']}")
        say(table(result))
        for p in first["problem_samples"]:
            say(f"  problem: {p}")
        if args.json:
            print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if rerun["pages_new"] or rerun["articles"]:
        print("FAIL: the re-run stored new pages or articles", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
