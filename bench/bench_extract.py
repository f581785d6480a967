"""Claim-extraction throughput and peak memory of warlog, on one core.

    .venv/bin/python bench/bench_extract.py [--articles N] [--corpus C] [--json] [--profile N]

Runs :meth:`warlog.extract.Extractor.extract_many` over ``N`` articles (default
1,000) of two corpora, reported apart:

- ``fakes``: the FA-KES dev file (247 real articles of about 1,800 characters),
  cycled through until there are ``N`` articles;
- ``synthetic``: the pages of bench/synth.py, read and cleaned as ingestion does
  (``warlog.ingest.read`` and ``warlog.clean.page.clean_page``), the first ``N``
  articles.

Articles are prepared in a child process of their own and handed over in a
pickle, so cleaning is neither timed nor counted in the peak memory. Extraction
runs in a fresh child pinned to CPU 0 that imports warlog itself: the articles/s
are per core, the peak RSS (``ru_maxrss``) is the extracting process's own, and
loading the models is timed apart from extracting. This module imports nothing
heavy for the reason bench_ingest.py gives: on Linux a child's ``ru_maxrss``
starts from its parent's peak.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import pickle
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import synth  # bench/ is on sys.path when this file runs as a script, and in spawned children
from measure import (
    FAKES_DEV,
    cpu_model,
    in_child,
    mib,
    pin_to_one_core,
    proc_status_kib,
    profile_text,
    runqueue_seconds,
)

T = TypeVar("T")

TARGET_PER_S = 50.0  # the product spec: at least 50 articles/s on one core


# --- preparing the articles (a child process; not timed) ---------------------------


def _read_and_clean(paths: list[str]) -> tuple[list[Any], int]:
    """Articles of ``paths`` as ingestion makes them, and how many pages gave none."""
    from warlog import ingest
    from warlog.clean.page import clean_page
    from warlog.errors import InputError
    from warlog.records import Problem
    from warlog.settings import IngestOptions

    options = IngestOptions()
    articles: list[Any] = []
    failed = 0
    for inp in ingest.expand(paths):
        if isinstance(inp, Problem):
            failed += 1
            continue
        try:
            for page in ingest.read(inp, options):
                if isinstance(page, Problem):
                    failed += 1
                    continue
                try:
                    articles.extend(clean_page(page))
                except InputError:
                    failed += 1
        except InputError:
            failed += 1
    return articles, failed


def prepare_fakes(path: str, n: int, out: str) -> dict[str, Any]:
    """FA-KES dev articles, cycled to ``n``, pickled to ``out``; meant to run in a child."""
    t0 = time.perf_counter()
    distinct, failed = _read_and_clean([path])
    if not distinct:
        raise SystemExit(f"{path}: no articles")
    articles = list(itertools.islice(itertools.cycle(distinct), n))
    with open(out, "wb") as f:
        pickle.dump(articles, f, protocol=pickle.HIGHEST_PROTOCOL)
    return {
        "source": path,
        "distinct_articles": len(distinct),
        "cycled": n > len(distinct),
        "pages_without_article": failed,
        "prepare_seconds": time.perf_counter() - t0,
    }


def prepare_synthetic(n: int, seed: int, scratch: str, out: str) -> dict[str, Any]:
    """The first ``n`` articles of a synth.py corpus, pickled to ``out``; meant to run in a child."""
    t0 = time.perf_counter()
    pages = n
    while True:
        corpus = Path(scratch) / f"synth-{pages}"
        man = synth.generate(corpus, pages, seed)
        articles, failed = _read_and_clean([str(corpus)])
        if len(articles) >= n:
            break
        shutil.rmtree(corpus, ignore_errors=True)
        pages = pages + (n - len(articles)) * 2 + 10
    articles = articles[:n]
    with open(out, "wb") as f:
        pickle.dump(articles, f, protocol=pickle.HIGHEST_PROTOCOL)
    return {
        "source": f"bench/synth.py, seed {seed}, {pages:,} pages",
        "distinct_articles": len(articles),
        "cycled": False,
        "pages_without_article": failed,
        "html_pages": man.html_pages,
        "glued_pages": man.glued_pages,
        "near_copies": man.near_copies,
        "prepare_seconds": time.perf_counter() - t0,
    }


# --- extracting (a fresh child pinned to one CPU) -----------------------------------


def _percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def extract_run(
    articles_file: str,
    batch_size: int,
    latency_articles: int,
    profile_top: int,
    profile_articles: int,
) -> dict[str, Any]:
    """Load the models, then extract every article of ``articles_file``; meant to run in a child."""
    pinned = pin_to_one_core()
    t0 = time.perf_counter()
    import spacy

    from warlog.clean.sentences import split_sentences
    from warlog.extract import Extractor

    import_seconds = time.perf_counter() - t0
    rss_after_import = proc_status_kib("VmRSS")

    t0, c0 = time.perf_counter(), time.process_time()
    extractor = Extractor()
    load_seconds, load_cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    rss_after_load = proc_status_kib("VmRSS")

    with open(articles_file, "rb") as f:
        articles = pickle.load(f)

    # The first call builds what spaCy builds lazily; it is reported, not counted.
    t0 = time.perf_counter()
    extractor.extract(articles[0])
    first_seconds = time.perf_counter() - t0

    # The timed pass: the product's batch path. extract_many works in batches of
    # ``batch_size`` articles, and parses lazily while it yields, so one batch's time
    # runs from the previous batch's last article to its own last one.
    stamps: list[float] = []
    claims: list[int] = []
    with_lead = 0
    ru0, rq0 = resource.getrusage(resource.RUSAGE_SELF), runqueue_seconds()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for result in extractor.extract_many(articles, batch_size=batch_size):
        stamps.append(time.perf_counter())
        claims.append(len(result.claims))
        with_lead += result.lead is not None
    seconds, cpu_seconds = time.perf_counter() - wall0, time.process_time() - cpu0
    ru1, rq1 = resource.getrusage(resource.RUSAGE_SELF), runqueue_seconds()
    maxrss = ru1.ru_maxrss
    hwm = proc_status_kib("VmHWM")

    batch_ms: list[float] = []
    prev = wall0
    for k in range(0, len(stamps), batch_size):
        last = stamps[min(k + batch_size, len(stamps)) - 1]
        batch_ms.append((last - prev) * 1000 / min(batch_size, len(stamps) - k))
        prev = last

    # What was parsed, counted apart from the timing with the extractor's own rules.
    sentences = parsed = tokens = chars = 0
    for art in articles:
        sents = split_sentences(art.text)
        cand = [s.text for s in sents if extractor.lex.candidate.search(s.text)]
        sentences += len(sents)
        parsed += len(cand)
        tokens += sum(len(extractor.nlp.tokenizer(t)) for t in cand)
        chars += len(art.text)

    # One article at a time (extract), for a latency distribution per article.
    latency_ms: list[float] = []
    for art in articles[:latency_articles]:
        t0 = time.perf_counter()
        extractor.extract(art)
        latency_ms.append((time.perf_counter() - t0) * 1000)

    profile = None
    if profile_top:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in extractor.extract_many(articles[:profile_articles], batch_size=batch_size):
            pass
        profiler.disable()
        profile = profile_text(
            profiler, profile_top, f"{min(profile_articles, len(articles))} articles; "
        )
        profile += _component_times(extractor, articles[:profile_articles])

    n = len(articles)
    return {
        "articles": n,
        "pinned": pinned,
        "batch_size": batch_size,
        "import_seconds": import_seconds,
        "load_seconds": load_seconds,
        "load_cpu_seconds": load_cpu_seconds,
        "first_article_seconds": first_seconds,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "runqueue_seconds": None if rq0 is None or rq1 is None else rq1 - rq0,
        "involuntary_switches": ru1.ru_nivcsw - ru0.ru_nivcsw,
        "chars": chars,
        "sentences": sentences,
        "parsed_sentences": parsed,
        "parsed_tokens": tokens,
        "claims": sum(claims),
        "articles_with_claims": sum(1 for c in claims if c),
        "articles_with_lead": with_lead,
        "batch_ms_per_article": batch_ms,
        "latency_ms": latency_ms,
        "rss_after_import_kib": rss_after_import,
        "rss_after_load_kib": rss_after_load,
        "maxrss_kib": maxrss,
        "hwm_kib": hwm,
        "spacy": spacy.__version__,
        "model": f"{extractor.nlp.meta.get('name')} {extractor.nlp.meta.get('version')}",
        "pipes": list(extractor.nlp.pipe_names),
        "profile": profile,
    }


def _component_times(extractor: Any, articles: list[Any]) -> str:
    """Seconds each spaCy component spends on the sentences extract_many parses."""
    from warlog.clean.sentences import split_sentences

    texts = [
        s.text
        for art in articles
        for s in split_sentences(art.text)
        if extractor.lex.candidate.search(s.text)
    ]
    t0 = time.perf_counter()
    docs = [extractor.nlp.make_doc(t) for t in texts]
    rows = [("tokenizer", time.perf_counter() - t0)]
    for name, proc in extractor.nlp.pipeline:
        t0 = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=128))  # as Extractor._batch
        else:
            docs = [proc(d) for d in docs]
        rows.append((name, time.perf_counter() - t0))
    total = sum(sec for _, sec in rows)
    tokens = sum(len(d) for d in docs)
    out = [
        f"--- spaCy components on the {len(texts):,} parsed sentences ({tokens:,} tokens) "
        f"of {len(articles)} articles, one component at a time ---"
    ]
    for name, sec in rows:
        out.append(
            f"{name:16} {sec:8.2f} s {100 * sec / total:5.1f}% "
            f"{1000 * sec / max(len(texts), 1):7.2f} ms/sentence"
        )
    out.append(f"{'total':16} {total:8.2f} s")
    return "\n".join(out) + "\n"


# --- reporting ------------------------------------------------------------------------


def _per(x: float, n: int, digits: int = 1) -> float:
    return round(x / n, digits) if n else 0.0


def summarise(name: str, prep: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    n = run["articles"]
    batch, lat = run["batch_ms_per_article"], run["latency_ms"]
    rq = run["runqueue_seconds"]
    return {
        "corpus": name,
        "source": prep["source"],
        "articles": n,
        "distinct_articles": prep["distinct_articles"],
        "cycled": prep["cycled"],
        "chars_per_article": _per(run["chars"], n, 0),
        "articles_per_s": _per(n, run["seconds"]),
        "articles_per_cpu_s": _per(n, run["cpu_seconds"]),
        "meets_target": n / run["seconds"] >= TARGET_PER_S if run["seconds"] else False,
        "seconds": round(run["seconds"], 2),
        "cpu_seconds": round(run["cpu_seconds"], 2),
        "runqueue_wait_seconds": None if rq is None else round(rq, 2),
        "involuntary_switches": run["involuntary_switches"],
        "sentences_per_article": _per(run["sentences"], n),
        "parsed_sentences_per_article": _per(run["parsed_sentences"], n),
        "parsed_tokens_per_article": _per(run["parsed_tokens"], n),
        "parsed_tokens_per_s": _per(run["parsed_tokens"], run["seconds"], 0),
        "claims_per_article": _per(run["claims"], n, 2),
        "articles_with_claims": run["articles_with_claims"],
        "articles_with_lead": run["articles_with_lead"],
        "batch_size": run["batch_size"],
        "batch_ms_per_article_p50": round(_percentile(batch, 50), 1),
        "batch_ms_per_article_p95": round(_percentile(batch, 95), 1),
        "latency_articles": len(lat),
        "latency_ms_p50": round(_percentile(lat, 50), 1) if lat else None,
        "latency_ms_p95": round(_percentile(lat, 95), 1) if lat else None,
        "latency_ms_max": round(max(lat), 1) if lat else None,
        "first_article_seconds": round(run["first_article_seconds"], 2),
        "import_seconds": round(run["import_seconds"], 2),
        "load_seconds": round(run["load_seconds"], 2),
        "peak_rss_mib": mib(run["maxrss_kib"]),
        "peak_rss_hwm_mib": mib(run["hwm_kib"]),
        "rss_after_import_mib": mib(run["rss_after_import_kib"]),
        "rss_after_load_mib": mib(run["rss_after_load_kib"]),
        "prepare_seconds": round(prep["prepare_seconds"], 2),
        "pages_without_article": prep["pages_without_article"],
    }


def table(results: list[dict[str, Any]], env: dict[str, Any]) -> str:
    n = results[0]["articles"] if results else 0
    lines = [
        f"warlog extract: {n:,} articles per corpus, {env['date']} "
        f"(target {TARGET_PER_S:.0f} articles/s/core)",
        f"{'':10} {'chars':>6} {'art/s':>7} {'art/CPU s':>9} {'CPU s':>7} "
        f"{'sents':>6} {'parsed':>6} {'claims':>6} {'ms p50':>7} {'ms p95':>7} "
        f"{'RSS MiB':>8} {'load s':>7}",
    ]
    for r in results:
        lines.append(
            f"{r['corpus']:10} {r['chars_per_article']:6,.0f} {r['articles_per_s']:7.1f} "
            f"{r['articles_per_cpu_s']:9.1f} {r['cpu_seconds']:7.1f} "
            f"{r['sentences_per_article']:6.1f} {r['parsed_sentences_per_article']:6.1f} "
            f"{r['claims_per_article']:6.2f} {r['batch_ms_per_article_p50']:7.1f} "
            f"{r['batch_ms_per_article_p95']:7.1f} {r['peak_rss_mib']:8.1f} "
            f"{r['load_seconds']:7.2f}"
        )
    lines.append(
        "(chars, sents, parsed, claims: per article; ms p50/p95: per article, over batches "
        f"of {results[0]['batch_size'] if results else 0}; load s: Extractor() after imports)"
    )
    for r in results:
        notes = [f"{r['corpus']}: {r['seconds']:.1f} s wall"]
        if r["cycled"]:
            notes.append(f"{r['distinct_articles']} distinct articles cycled to {r['articles']:,}")
        if r["latency_ms_p50"] is not None:
            notes.append(
                f"one at a time over {r['latency_articles']}: p50 {r['latency_ms_p50']:.1f} ms, "
                f"p95 {r['latency_ms_p95']:.1f} ms, max {r['latency_ms_max']:.1f} ms"
            )
        notes.append(f"{r['parsed_tokens_per_s']:,.0f} parsed tokens/s")
        notes.append(
            f"RSS after imports {r['rss_after_import_mib']} MiB, after load "
            f"{r['rss_after_load_mib']} MiB; imports {r['import_seconds']:.2f} s"
        )
        rq = r["runqueue_wait_seconds"]
        if rq is not None and rq > 0.02 * r["seconds"]:
            notes.append(f"waited {rq:.1f} s for the CPU (other processes on CPU 0)")
        lines.append("; ".join(notes))
    lines.append(
        f"Python {env['python']}, spaCy {env['spacy']}, {env['model']}, {env['cpu_model']}"
        + (", pinned to CPU 0" if env["pinned_to_one_cpu"] else ", not pinned")
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1_000, help="articles per corpus (1000)")
    ap.add_argument(
        "--corpus",
        choices=("both", "fakes", "synthetic"),
        default="both",
        help="which corpus to run (default both; fakes is skipped when its file is missing)",
    )
    ap.add_argument("--fakes", type=Path, default=FAKES_DEV, help=f"FA-KES file ({FAKES_DEV})")
    ap.add_argument("--seed", type=int, default=20261122, help="synthetic corpus seed")
    ap.add_argument(
        "--batch-size", type=int, default=32, help="extract_many batch size (its default, 32)"
    )
    ap.add_argument(
        "--latency",
        type=int,
        default=200,
        metavar="N",
        help="also time the first N articles one at a time with extract() (default 200; 0: off)",
    )
    ap.add_argument("--json", action="store_true", help="print a JSON object on stdout")
    ap.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="after the timed pass, profile a pass over --profile-articles and print the "
        "top N functions by cumulative time",
    )
    ap.add_argument("--profile-articles", type=int, default=200, metavar="N")
    args = ap.parse_args(argv)
    if args.articles < 1 or args.batch_size < 1:
        ap.error("--articles and --batch-size must be positive")
    say = (lambda s: print(s, file=sys.stderr)) if args.json else print

    corpora = []
    if args.corpus in ("both", "fakes"):
        if args.fakes.is_file():
            corpora.append("fakes")
        elif args.corpus == "fakes":
            ap.error(f"{args.fakes} not found")
        else:
            print(f"{args.fakes} not found: the FA-KES corpus is skipped", file=sys.stderr)
    if args.corpus in ("both", "synthetic"):
        corpora.append("synthetic")

    scratch = Path(tempfile.mkdtemp(prefix="warlog-bench-extract-"))
    results: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    try:
        for name in corpora:
            pkl = str(scratch / f"{name}.pickle")
            print(f"{name}: preparing {args.articles:,} articles...", file=sys.stderr)
            if name == "fakes":
                prep = in_child(prepare_fakes, str(args.fakes), args.articles, pkl)
            else:
                prep = in_child(prepare_synthetic, args.articles, args.seed, str(scratch), pkl)
            print(f"{name}: extracting...", file=sys.stderr)
            run = in_child(
                extract_run,
                pkl,
                args.batch_size,
                args.latency,
                args.profile,
                args.profile_articles,
            )
            print(f"  {run['seconds']:.1f} s", file=sys.stderr)
            runs.append(run)
            results.append(summarise(name, prep, run))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if not runs:
        print("no corpus to run", file=sys.stderr)
        return 1
    env = {
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "spacy": runs[0]["spacy"],
        "model": runs[0]["model"],
        "pipes": runs[0]["pipes"],
        "cpu_model": cpu_model(),
        "pinned_to_one_cpu": all(r["pinned"] for r in runs),
        "target_articles_per_s": TARGET_PER_S,
        "synth_generator_version": synth.GENERATOR_VERSION,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    for name, run in zip(corpora, runs, strict=True):
        if run["profile"]:
            say(f"=== profile: {name} ===\n{run['profile']}")
    say(table(results, env))
    if args.json:
        print(json.dumps({**env, "corpora": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
