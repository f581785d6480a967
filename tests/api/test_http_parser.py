"""``warlog serve --http``: the C parser (httptools, the default) and h11 serve the same bytes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.test_workers import _free_port

LIST = "/api/events?order=-date&limit=1000"


def _get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        body: bytes = r.read()
        return body


@pytest.mark.slow
@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_serve_with_each_http_parser(
    seeds_db: Path, client: TestClient, tmp_path: Path, parser: str
) -> None:
    want = client.get(LIST).content
    db = tmp_path / "seeds.db"
    shutil.copyfile(seeds_db, db)
    port = _free_port()
    warlog = str(Path(sys.executable).parent / "warlog")
    cmd = [warlog, "serve", "--db", str(db), "--port", str(port), "--http", parser]
    log = (tmp_path / "server.log").open("w")
    env = {**os.environ, "WARLOG_TOKEN": ""}
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
        assert _get(port, LIST) == want
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
