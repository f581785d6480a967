"""``warlog serve --workers 2``: two server processes on one port answer the same list, on
SQLite (WAL readers) and PostgreSQL, and stop with the parent."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import insert

from api.helpers import event_rows
from warlog.codec import event_json
from warlog.store import Store, schema

# The ports these tests may bind (loopback only).
PORTS = range(8760, 8800)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {PORTS}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        body: bytes = r.read()
        return body


@pytest.mark.slow
def test_serve_with_two_workers(seeds_db: Path, db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        shutil.copyfile(seeds_db, db_url.removeprefix("sqlite:///"))
    else:  # the seeds' events, row for row, in the PostgreSQL schema
        with Store(db_url) as store, store.transaction() as tx:
            tx.conn.execute(insert(schema.events), event_rows(seeds_db))
    with Store(db_url) as store:
        want = json.dumps(
            [event_json(e, with_claims=False) for e in store.events(order="-date")],
            ensure_ascii=False,
        )
    assert want != "[]"
    port = _free_port()
    warlog = str(Path(sys.executable).parent / "warlog")
    env = {**os.environ, "WARLOG_TOKEN": ""}
    log = (tmp_path / "server.log").open("w")
    cmd = [warlog, "serve", "--db", db_url, "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(port, "/api/health")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the server did not start in 90 s"
                time.sleep(0.3)
        while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert len(_children(server.pid)) >= 2
        for _ in range(6):  # new connections: both workers answer, with the same list
            got = json.loads(_get(port, "/api/events?order=-date&limit=1000"))["events"]
            assert json.dumps(got, ensure_ascii=False) == want
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
