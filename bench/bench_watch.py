"""``warlog watch`` against a local feed server on 127.0.0.1 (an ephemeral port): throughput,
CPU per article, and memory over a long ``--interval 1s`` run.

    python bench/bench_watch.py [--feeds 10] [--entries 10] [--soak 180] [--every 2] [--json]

1. **Throughput**: ``--feeds`` feeds of ``--entries`` new entries each, every entry a page
   (HTML, in the style of the tests' pages), all polled in one round (``--once``), the NLP
   models loaded beforehand. Reports feeds and articles per minute (wall clock) and CPU
   seconds per article (this process: the server's threads are in it too, a small share).
   Then a second round where every feed answers 304: feeds per minute when nothing changed.
2. **Soak**: the watcher runs its loop with a 1 s interval for ``--soak`` seconds while the
   server publishes a new entry in one of the feeds every ``--every`` seconds; the resident
   memory (RSS) is sampled every 10 s. Reports articles ingested, polls made and RSS at the
   start, its maximum and at the end.

All feeds are on one host, so the per-host minimum delay is set to 0 here (the default, 2 s,
would measure the politeness, not warlog). Every request goes to the local server only; the
run stops by itself. The store is a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from watch.feedserver import TOWNS, FeedServer, Story, publish, serving  # noqa: E402

from warlog.settings import IngestOptions  # noqa: E402
from warlog.store import Store  # noqa: E402
from warlog.watch.client import ClientOptions  # noqa: E402
from warlog.watch.service import Watcher, WatchOptions  # noqa: E402
from warlog.watch.state import Schedule  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1_048_576


def story(feed: int, n: int) -> Story:
    day = f"2016-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d}"
    return Story(f"f{feed}-{n}", TOWNS[(feed + n) % len(TOWNS)], 3 + (feed * 7 + n) % 40, day)


def options(interval: float) -> WatchOptions:
    return WatchOptions(
        schedule=Schedule(interval=interval),
        client=ClientOptions(min_delay=0.0, timeout=10.0),
        ingest=IngestOptions(focus_country="SY"),
    )


def throughput(server: FeedServer, db: str, feeds: int, entries: int) -> dict[str, Any]:
    stories = {f: [story(f, n) for n in range(entries)] for f in range(feeds)}
    for f, s in stories.items():
        publish(server, f"/feed{f}.xml", s, etag=f'"{f}-v1"')
    urls = [server.url(f"/feed{f}.xml") for f in range(feeds)]
    with Store(db) as store:
        w = Watcher(store, options(1.0), feeds=urls)
        w.models.get()  # the models load before the clock starts
        w.models.resolver()
        t0, c0 = time.perf_counter(), time.process_time()
        report = w.run(once=True)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        n = len(report.articles)
        time.sleep(1.05)  # every feed is due again: each answers 304
        t1 = time.perf_counter()
        again = w.run(once=True)
        wall304 = time.perf_counter() - t1
        w.client.close()
        assert all(f.status == 304 for f in again.feeds), [f.outcome for f in again.feeds]
        return {
            "feeds": feeds,
            "articles": n,
            "claims": report.claims,
            "seconds": round(wall, 2),
            "articles_per_min": round(n / wall * 60, 1),
            "feeds_per_min": round(feeds / wall * 60, 1),
            "cpu_s_per_article": round(cpu / max(n, 1), 3),
            "feeds_per_min_304": round(feeds / wall304 * 60, 1),
        }


def soak(server: FeedServer, db: str, feeds: int, seconds: float, every: float) -> dict[str, Any]:
    urls = [server.url(f"/feed{f}.xml") for f in range(feeds)]
    published = {f: [story(f, n) for n in range(3)] for f in range(feeds)}
    for f, s in published.items():
        publish(server, f"/feed{f}.xml", s, etag=f'"{f}-s0"')
    rng = random.Random(7)
    with Store(db) as store:
        w = Watcher(store, options(1.0), feeds=urls)
        w.models.get()
        w.models.resolver()
        before_articles = store.count("articles")
        thread = threading.Thread(target=w.run, daemon=True)
        thread.start()
        samples = [(0.0, rss_mb())]
        polls = 0
        t0 = time.monotonic()
        next_pub, next_sample = t0 + every, t0 + 10
        while time.monotonic() - t0 < seconds:
            time.sleep(0.2)
            now = time.monotonic()
            if now >= next_pub:
                f = rng.randrange(feeds)
                published[f].append(story(f, 100 + len(published[f])))
                publish(
                    server, f"/feed{f}.xml", published[f][-20:], etag=f'"{f}-s{len(published[f])}"'
                )
                next_pub += every
            if now >= next_sample:
                # The server's request log lives in this process too: counted, then dropped,
                # so that it is not mistaken for the watcher's memory.
                with server._lock:
                    polls += sum(1 for h in server.hits if h.path.startswith("/feed"))
                    server.hits.clear()
                samples.append((round(now - t0), rss_mb()))
                next_sample += 10
        w.stop()
        thread.join(timeout=120)
        w.client.close()
        articles = store.count("articles") - before_articles
        polls += sum(1 for h in server.hits if h.path.startswith("/feed"))
        rss = [r for _, r in samples]
        return {
            "seconds": seconds,
            "articles": articles,
            "feed_requests": polls,
            "rss_mb_start": round(rss[0], 1),
            "rss_mb_max": round(max(rss), 1),
            "rss_mb_end": round(rss[-1], 1),
            "rss_mb_second_half_growth": round(rss[-1] - rss[len(rss) // 2], 1),
            "samples": [(t, round(r, 1)) for t, r in samples],
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feeds", type=int, default=10)
    ap.add_argument("--entries", type=int, default=10)
    ap.add_argument("--soak", type=float, default=180.0, help="seconds of the 1 s interval run")
    ap.add_argument("--every", type=float, default=2.0, help="seconds between new entries")
    ap.add_argument("--only", choices=["throughput", "soak"], help="run one part only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="warlog-bench-watch-") as tmp:
        if args.only != "soak":
            with serving() as server:
                result["throughput"] = throughput(
                    server, f"sqlite:///{tmp}/t.db", args.feeds, args.entries
                )
        if args.only != "throughput":
            with serving() as server:
                result["soak"] = soak(
                    server, f"sqlite:///{tmp}/s.db", args.feeds, args.soak, args.every
                )
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for name, part in result.items():
        print(f"{name}:")
        for k, v in part.items():
            print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
