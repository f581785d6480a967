"""HTTP API latency under load: the event list, a filtered list, the dashboard's map request
and one event, 50 concurrent clients on loopback, against real ``warlog serve`` (uvicorn)
processes over a store of 100k synthetic events; before and after side by side in one run.

    python bench/bench_api.py [--events 100000] [--clients 50] [--requests 3000]
                              [--baseline DIR] [--workers 1,2] [--http h11,auto]
                              [--loops asyncio,auto] [--db FILE] [--ports 8700-8759]
                              [--repeat N] [--json]

The store is written straight into the ``events`` table (rows shaped like
``warlog.store.ledger.event_row``: indexed columns, filter texts and the public JSON), so no
pipeline runs. With ``--baseline DIR`` (a checkout of an older warlog, e.g.
``git worktree add /tmp/base 47d49f1``) the store is built by that checkout's code and its
server is measured ("before", with each ``--workers`` and ``--http`` as the runs after, each
just before its "after"); then a copy of the same file is opened by this checkout,
which migrates it (migration 9 fills the compact list entries: timed), and its server is
measured with each ``--workers`` count ("after"). Files are kept in ``--db`` (default
/tmp/warlog-bench-api.db, and ``…-after.db``) and reused when they hold the same number of
events. The clients are asyncio keep-alive HTTP/1.1 connections in this process (protocol
objects reading each answer's status, length and body; no stream objects), so clients and
server share the machine's cores. ``--repeat N`` measures every run N times, interleaved, so
that before and after meet the same load. Every request loop is bounded in count and time, the
servers bind 127.0.0.1 on a port of ``--ports`` (8700-8759) and are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
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
        # The texts the actor, claimant and outlet filters read (as ledger.filter_texts).
        "flags": "",
        "perpetrator_text": " | ".join(sorted({x for x in (actor_name, actor_id) if x})).lower(),
        "claimant_text": " | ".join(sorted(s["name"] for s in sources)).lower(),
        "outlet_text": " | ".join(data["outlets"]).lower(),
        "data": json.dumps({**data, "flags": []}, ensure_ascii=False),
        "updated_at": datetime.now(UTC),
    }


def _with_compact(row: dict[str, Any]) -> dict[str, Any]:
    from warlog.store.compact import compact_columns

    return {**row, **compact_columns(json.loads(row["data"]), row["date_start"], row["date_end"])}


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
    # A store created by a warlog with migration 9 is written as the ledger writes it, with the
    # list entry and span class (an older one gets them when this checkout migrates its copy).
    compact = "list_json" in schema.events.c
    with Store(url) as store, store.transaction() as tx:
        batch: list[dict[str, Any]] = []
        for i in range(n):
            row = synthetic_event(i, rng)
            batch.append(_with_compact(row) if compact else row)
            if len(batch) == 5000:
                tx.conn.execute(insert(schema.events), batch)
                batch = []
        if batch:
            tx.conn.execute(insert(schema.events), batch)
    return time.perf_counter() - t0


PORTS = range(8700, 8760)


def free_port(ports: range = PORTS) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports.start}-{ports.stop - 1}")


def start_server(
    db: Path,
    port: int,
    log: Any,
    code: Path = ROOT,
    workers: int = 1,
    http: str = "auto",
    loop: str = "auto",
) -> subprocess.Popen[bytes]:
    """``warlog serve`` over ``db`` with the warlog of the checkout ``code``."""
    env = {**os.environ, "WARLOG_TOKEN": "", "PYTHONPATH": str(code)}
    cmd = [str(Path(sys.executable).parent / "warlog"), "serve", "--db", str(db)]
    cmd += ["--port", str(port)] + (["--workers", str(workers)] if workers > 1 else [])
    cmd += [] if http == "auto" else ["--http", http]  # older checkouts have no --http
    cmd += [] if loop == "auto" else ["--loop", loop]  # nor --loop
    proc = subprocess.Popen(
        cmd,
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


class _Conn(asyncio.Protocol):
    """One keep-alive connection of the load: a request is written whole, and its answer read
    from the bytes the loop hands over (no stream reader or writer per request: with 50
    clients in the process that shares the 2 cores with the server, every client cycle costs
    the server CPU). The answer's status line and Content-Length are parsed, its body read to
    its end."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[int] | None = None
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        self._answer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed by the server"))

    def _answer(self) -> None:
        end = self.buf.find(b"\r\n\r\n")
        if end < 0 or self.waiter is None or self.waiter.done():
            return
        head = bytes(self.buf[:end])
        length = -1
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length < 0:  # a chunked or unbounded answer: not what warlog sends
            self.waiter.set_exception(ConnectionError("answer without Content-Length"))
            return
        if len(self.buf) < end + 4 + length:
            return
        body = self.buf[end + 4 : end + 4 + length]
        del self.buf[: end + 4 + length]
        status = int(head.split(b" ", 2)[1])
        if status == 200 and body[:1] != b"{":  # every answer measured is a JSON object
            status = -1
        self.waiter.set_result(status)

    async def get(self, request: bytes) -> int:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


async def _client(
    port: int, paths: list[str], latencies: list[float], errors: list[str], stop_at: float
) -> None:
    """One keep-alive connection sending its requests one after another (reconnecting if the
    server closes it; a dropped request counts as an error, not a latency)."""
    loop = asyncio.get_running_loop()
    requests = [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() for p in paths]
    conn: _Conn | None = None
    try:
        for path, request in zip(paths, requests, strict=True):
            if time.monotonic() > stop_at:
                break
            if conn is None or conn.lost:
                _, conn = await loop.create_connection(_Conn, "127.0.0.1", port)
            t0 = time.perf_counter()
            try:
                status = await conn.get(request)
            except (ConnectionError, ValueError, IndexError) as exc:
                errors.append(f"{type(exc).__name__} {path}")
                if conn.transport is not None:
                    conn.transport.close()
                conn = None
                continue
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(f"{status} {path}")
    finally:
        if conn is not None and conn.transport is not None:
            conn.transport.close()


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


def build_in(code: Path, path: Path, n: int) -> float:
    """``build_store`` run by the warlog of the checkout ``code`` (the baseline's schema)."""
    prog = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "import bench_api; print(bench_api.build_store(Path(sys.argv[2]), int(sys.argv[3])))"
    )
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, "-c", prog, str(ROOT / "bench"), str(path), str(n)],
        env=env,
        cwd=code,  # "-c" puts the working folder first on sys.path: it must be the checkout
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def migrate_copy(src: Path, dst: Path) -> float:
    """A copy of ``src`` opened by this checkout: the seconds its migration took (0 if kept)."""
    if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
        return 0.0
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    Store(f"sqlite:///{dst}").close()
    return time.perf_counter() - t0


def scenarios(n: int, requests: int, page: int) -> dict[str, list[str]]:
    rng = random.Random(7)
    return {
        # The dashboard's first page and paging through the newest events.
        "event list (50, newest first, random page of the first 100)": [
            f"/api/events?order=-date&limit={page}&offset={page * rng.randrange(100)}"
            for _ in range(requests)
        ],
        "event list filtered (actor + 1-year window, 50)": [
            f"/api/events?actor=islamic&since={y}-01-01&until={y}-12-31&limit={page}"
            for y in (rng.randrange(2012, 2025) for _ in range(requests))
        ],
        # The dashboard's map: the 1,000 newest events in one answer.
        "dashboard map (1,000 newest events)": ["/api/events?order=-date&limit=1000"]
        * (requests // 10),
        "one event (with claims)": [
            f"/api/events/i-{rng.randrange(n):012x}" for _ in range(requests)
        ],
    }


def _run(coro: Any) -> Any:
    """The clients' loop: uvloop where installed (a dependency of warlog on Linux), so that
    the clients take as little of the CPU they share with the server as they can."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def client_loop() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def measure(
    db: Path,
    code: Path,
    workers: int,
    paths: dict[str, list[str]],
    clients: int,
    log: Any,
    http: str = "auto",
    ports: range = PORTS,
    loop: str = "auto",
) -> dict[str, Any]:
    port = free_port(ports)
    server = start_server(db, port, log, code, workers, http, loop)
    try:
        first = next(iter(paths.values()))
        warm = list(paths["one event (with claims)"][:200]) + first[:50]
        _run(load(port, warm, clients))
        return {name: _run(load(port, p, clients)) for name, p in paths.items()}
    finally:
        server.send_signal(2)  # SIGINT: uvicorn stops its workers too
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=3000, help="per scenario")
    ap.add_argument("--page", type=int, default=50, help="events per list page")
    ap.add_argument("--baseline", type=Path, help="a checkout of the warlog to compare with")
    ap.add_argument("--workers", default="1,2", help="server processes of the runs after")
    ap.add_argument(
        "--http", default="auto", help="HTTP parsers of the runs after, e.g. h11,httptools"
    )
    ap.add_argument(
        "--loops", default="auto", help="event loops of the runs after, e.g. asyncio,auto"
    )
    ap.add_argument("--db", type=Path, default=Path("/tmp/warlog-bench-api.db"))
    ap.add_argument("--server-log", type=Path, default=Path("/tmp/warlog-bench-api-server.log"))
    ap.add_argument(
        "--ports", default="8700-8759", help="the servers' port range on 127.0.0.1, FIRST-LAST"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure every run this many times, interleaved (figures swing on a shared machine)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    first, last = (int(x) for x in args.ports.split("-"))
    ports = range(first, last + 1)

    base_code = args.baseline.resolve() if args.baseline else ROOT
    built = build_in(base_code, args.db, args.events)
    after_db = args.db.with_name(args.db.stem + "-after.db")
    migrated = migrate_copy(args.db, after_db)
    paths = scenarios(args.events, args.requests, args.page)
    runs: list[tuple[str, Path, Path, int, str, str]] = []
    for http in args.http.split(","):
        for w in (int(x) for x in args.workers.split(",")):
            name = f"{w} worker{'s' if w > 1 else ''}" + ("" if http == "auto" else f", {http}")
            if args.baseline:  # the baseline with the same server options, just before
                runs.append((f"before, {name}", args.db, base_code, w, http, "auto"))
            for loop in args.loops.split(","):
                label = f"after, {name}" + ("" if loop == "auto" else f", {loop}")
                runs.append((label, after_db, ROOT, w, http, loop))
    results: dict[str, Any] = {}
    with args.server_log.open("w") as log:
        for round_ in range(1, args.repeat + 1):
            for label, db, code, workers, http, loop in runs:
                name = f"{label} #{round_}" if args.repeat > 1 else label
                results[name] = measure(
                    db, code, workers, paths, args.clients, log, http, ports, loop
                )
    report = {
        "events": args.events,
        "clients": args.clients,
        "store_mb": round(args.db.stat().st_size / 1e6, 1),
        "store_built_s": round(built, 1),
        "migrations_s": round(migrated, 1),
        "cpus": os.cpu_count(),
        "client_loop": client_loop(),
        "loadavg": os.getloadavg(),
        "results": results,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(
        f"{args.events:,} events ({report['store_mb']} MB SQLite), {args.clients} concurrent "
        f"keep-alive clients ({report['client_loop']} loop), {report['cpus']} CPUs shared with "
        f"the clients; migrations of "
        f"the copy: {report['migrations_s']} s; load average after: {report['loadavg']}"
    )
    print(
        f"{'run':<42} {'scenario':<62} {'req':>6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'err':>4}"
    )
    for label, res in results.items():
        for name, r in res.items():
            print(
                f"{label:<42} {name:<62} {r['requests']:>6} {r['rps']:>7} {r['p50_ms']:>8} "
                f"{r['p99_ms']:>8} {r['errors']:>4}"
            )


if __name__ == "__main__":
    main()
