"""Helpers of the API and dashboard tests: a seeds store and the test token.

The seeds store is built once per test session and copied for each user.

The pipeline (spaCy) takes about 10 s on the five seeds; the API and browser tests only read
the result, so one build serves them all and each gets its own copy to write to.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from warlog.pipeline import ingest_paths
from warlog.store import Store

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
_built: dict[str, Path] = {}

# Facts of the seeds the tests lean on (see README: the Mayadeen event and the 160 tally).
MAYADEEN_PREFIX = "i-4747"
RUSSIAN_GROUP = "nationality:Russian"


def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the seeds store (a SQLite file)."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent: these tests read the shared seeds beside the checkout")
    if "db" not in _built:
        path = tmp_path_factory.mktemp("seeds-store") / "seeds.db"
        with Store(f"sqlite:///{path}") as store:
            report = ingest_paths(store, [str(SEEDS)], command="test")
        assert not report.failed, report.problems
        _built["db"] = path
    copy = tmp_path_factory.mktemp("seeds-copy") / "seeds.db"
    shutil.copyfile(_built["db"], copy)
    return copy


TOKEN = "test-token-9f3c"


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def event_rows(db: Path) -> list[dict[str, Any]]:
    """Every row of a SQLite store's ``events`` table, to copy into another store."""
    from sqlalchemy import select

    from warlog.store import schema

    with Store(f"sqlite:///{db}", readonly=True) as store, store.read_engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(schema.events))]


# The ports the real-server tests may bind (loopback only).
PORTS = range(8760, 8800)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {PORTS}")


def http_get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        body: bytes = r.read()
        return body


@contextmanager
def serving(cmd: list[str], port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``warlog serve`` as a real process, answering /api/health, stopped with Ctrl-C after."""
    env = {**os.environ, "WARLOG_TOKEN": ""}
    with log_path.open("w") as log:
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    http_get(port, "/api/health")
                    break
                except OSError:
                    assert server.poll() is None, log_path.read_text()
                    assert time.monotonic() < deadline, "the server did not start in 90 s"
                    time.sleep(0.3)
            yield server
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
