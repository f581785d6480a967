"""HTTP API latency under load: the event list and one event, 50 concurrent clients on
loopback, against a real ``warlog serve`` (uvicorn) process over a store of 100k synthetic
events.

    .venv/bin/python bench/bench_api.py [--events 100000] [--clients 50] [--requests 3000]
                                        [--db FILE] [--json]

The store is written straight into the ``events`` table (rows shaped like
``warlog.store.ledger.event_row``: indexed columns plus the public JSON), so no pipeline runs;
it is kept in ``--db`` (default /tmp/warlog-bench-api.db) and reused when it already holds the
same number of events. The server runs in its own process (one uvicorn worker); the clients are
asyncio keep-alive HTTP/1.1 connections in this process, so both share the machine's cores.
Every request loop is bounded in count and time, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from warlog.store import Store, schema

ROOT = Path(__file__).resolve().parents[1]
ACTORS = [
    ("islamic_state", "Islamic State", "jihadist"),
    ("russian_forces", "Russian armed forces", "state"),
    ("syrian_government", "Syrian government forces", "state"),
    ("us_coalition", "US-led coalition", "coalition"),
    ("hts", "Hayat Tahrir al-Sham", "jihadist"),
    (None, None, None),
]
PLACES = [
    ("Al Mayādīn", 35.0198, 40.4515, "Deir Ezzor"),
    ("Raqqa", 35.9528, 39.0079, "Raqqa"),
    ("Aleppo", 36.2021, 37.1343, "Aleppo"),
    ("Douma", 33.5711, 36.4019, "Rif Dimashq"),
    ("Idlib", 35.9306, 36.6339, "Idlib"),
    ("Homs", 34.7268, 36.7234, "Homs"),
    ("Daraa", 32.6189, 36.1021, "Daraa"),
]
TYPES = [
    "air/drone strike",
    "shelling/artillery/missile",
    "armed clash",
    "car bomb",
    "attack/shooting",
]
MAX_SECONDS = 120  # per scenario: the loop stops by itself even if the server crawls


def synthetic_event(i: int, rng: random.Random) -> dict[str, Any]:
    """One event's row: the indexed columns and a public JSON of realistic size (~2 KB)."""
    actor_id, actor_name, actor_kind = rng.choice(ACTORS)
    name, lat, lon, admin1 = rng.choice(PLACES)
    lat += rng.uniform(-0.3, 0.3)
    lon += rng.uniform(-0.3, 0.3)
    day = date(2012, 1, 1) + timedelta(days=rng.randrange(13 * 365))
    killed = rng.choice([1, 2, 3, 5, 8, 12, 20, 35, 60])
    low, high = killed, killed + rng.choice([0, 0, 2, 5])
    event_type = rng.choice(TYPES)
    eid = f"i-{i:012x}"
    sources = [
        {
            "source": s, "name": s.upper(), "kind": "monitor", "partisan": False,
            "low": low, "high": high, "count_text": str(killed), "vague": False,
            "confidence": 0.73, "claims": [f"{i:016x}:{k}"], "outlets": [f"outlet {k}"],
        }
        for k, s in enumerate(["sohr", "snhr"][: rng.randint(1, 2)])
    ]  # fmt: skip
    estimate = {
        "outcome": "killed", "group": "total", "low": low, "best": killed, "high": high,
        "conflict": low != high, "high_partisan": False, "low_claims": [], "best_claims": [],
        "high_claims": [], "sources": sources,
    }  # fmt: skip
    perpetrator = (
        {"text": actor_name, "actor": actor_id, "name": actor_name, "kind": actor_kind}
        if actor_id
        else None
    )
    data = {
        "id": eid,
        "kind": "incident",
        "date": {"text": "on Monday", "start": day.isoformat(), "end": day.isoformat(),
                 "precision": "day", "cumulative_start": False},
        "place": {"text": name, "name": name, "lat": lat, "lon": lon, "admin1": admin1,
                  "admin2": None, "country": "SY", "precision": "town", "source": "geonames"},
        "event_type": event_type,
        "perpetrator": perpetrator,
        "killed": {"low": low, "best": killed, "high": high, "conflict": low != high,
                   "high_partisan": False},
        "wounded": None,
        "conflict": low != high,
        "estimates": [estimate],
        "revisions": [],
        "n_reports": len(sources), "n_articles": len(sources), "n_outlets": len(sources),
        "n_claimants": len(sources),
        "outlets": [f"outlet {k}" for k in range(len(sources))],
        "claimants": [s["name"] for s in sources],
    }  # fmt: skip
    return {
        "id": eid,
        "kind": "incident",
        "date_start": day,
        "date_end": day,
        "country": "SY",
        "admin1": admin1,
        "place_name": name,
        "lat": lat,
        "lon": lon,
        "event_type": event_type,
        "perpetrator_id": actor_id,
        "perpetrator_name": actor_name,
        "killed_low": low,
        "killed_best": killed,
        "killed_high": high,
        "wounded_best": None,
        "n_reports": len(sources),
        "n_articles": len(sources),
        "n_outlets": len(sources),
        "n_claimants": len(sources),
        "conflict": int(low != high),
        "search_text": " | ".join(x for x in (actor_name, actor_id, name, admin1) if x).lower(),
        "data": json.dumps(data, ensure_ascii=False),
        "updated_at": datetime.now(UTC),
    }


def build_store(path: Path, n: int) -> float:
    """Fill ``path`` with ``n`` synthetic events (reused when it already has them)."""
    url = f"sqlite:///{path}"
    if path.exists():
        with Store(url) as store:
            if store.count("events") == n:
                return 0.0
        path.unlink()
    t0 = time.perf_counter()
    rng = random.Random(20261122)
    with Store(url) as store, store.transaction() as tx:
        batch: list[dict[str, Any]] = []
        for i in range(n):
            batch.append(synthetic_event(i, rng))
            if len(batch) == 5000:
                tx.conn.execute(insert(schema.events), batch)
                batch = []
        if batch:
            tx.conn.execute(insert(schema.events), batch)
    return time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WARLOG_TOKEN": ""}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "warlog"),
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: a pipe nobody reads would block the server once it filled.
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return proc
        except OSError as exc:
            if proc.poll() is not None:
                raise SystemExit("the server died (its stderr is in the --server-log)") from exc
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start within 60 s")


async def _client(
    port: int, paths: list[str], latencies: list[float], errors: list[str], stop_at: float
) -> None:
    """One keep-alive connection sending its requests one after another (reconnecting if the
    server closes it; a dropped request counts as an error, not a latency)."""
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    try:
        for path in paths:
            if time.monotonic() > stop_at:
                break
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = conn
            t0 = time.perf_counter()
            try:
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                errors.append(f"{type(exc).__name__} {path}")
                writer.close()
                conn = None
                continue
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"{status} {path}")
    finally:
        if conn is not None:
            conn[1].close()


async def load(port: int, paths: list[str], clients: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + MAX_SECONDS
    shares = [paths[k::clients] for k in range(clients)]
    t0 = time.perf_counter()
    await asyncio.gather(*(_client(port, s, latencies, errors, stop_at) for s in shares))
    wall = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "seconds": round(wall, 2),
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p90_ms": round(q[89] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=3000, help="per scenario")
    ap.add_argument("--page", type=int, default=50, help="events per list page")
    ap.add_argument("--db", type=Path, default=Path("/tmp/warlog-bench-api.db"))
    ap.add_argument("--server-log", type=Path, default=Path("/tmp/warlog-bench-api-server.log"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    built = build_store(args.db, args.events)
    rng = random.Random(7)
    port = free_port()
    log = args.server_log.open("w")
    server = start_server(args.db, port, log)
    try:
        ids = [f"i-{rng.randrange(args.events):012x}" for _ in range(args.requests)]
        scenarios = {
            # The dashboard's first page and paging through the newest events.
            "event list (50, newest first, random page of the first 100)": [
                f"/api/events?order=-date&limit={args.page}&offset={args.page * rng.randrange(100)}"
                for _ in range(args.requests)
            ],
            "event list filtered (actor + 1-year window, 50)": [
                f"/api/events?actor=islamic&since={y}-01-01&until={y}-12-31&limit={args.page}"
                for y in (rng.randrange(2012, 2025) for _ in range(args.requests))
            ],
            "one event (with claims)": [f"/api/events/{i}" for i in ids],
        }
        warm = [f"/api/events/{i}" for i in ids[:200]] + scenarios[next(iter(scenarios))][:50]
        asyncio.run(load(port, warm, args.clients))
        results = {
            name: asyncio.run(load(port, paths, args.clients)) for name, paths in scenarios.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    report = {
        "events": args.events,
        "clients": args.clients,
        "store_mb": round(args.db.stat().st_size / 1e6, 1),
        "store_built_s": round(built, 1),
        "cpus": os.cpu_count(),
        "results": results,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(
        f"{args.events:,} events ({report['store_mb']} MB SQLite), {args.clients} concurrent "
        f"keep-alive clients, one uvicorn worker, {report['cpus']} CPUs shared with the clients"
    )
    print(f"{'scenario':<62} {'req':>6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for name, r in results.items():
        print(
            f"{name:<62} {r['requests']:>6} {r['rps']:>7} {r['p50_ms']:>8} {r['p99_ms']:>8} "
            f"{r['errors']:>6}"
        )


if __name__ == "__main__":
    main()
