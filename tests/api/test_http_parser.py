"""``warlog serve --http`` and ``--loop``: the C parser (httptools, the default) and h11, the C
event loop (uvloop, the default) and asyncio's, serve the same bytes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.helpers import free_port, http_get, serving

LIST = "/api/events?order=-date&limit=1000"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("parser", "loop"), [("httptools", "uvloop"), ("h11", "asyncio"), ("httptools", "asyncio")]
)
def test_serve_with_each_http_parser_and_loop(
    seeds_db: Path, client: TestClient, tmp_path: Path, parser: str, loop: str
) -> None:
    db = tmp_path / "seeds.db"
    shutil.copyfile(seeds_db, db)
    port = free_port()
    warlog = str(Path(sys.executable).parent / "warlog")
    cmd = [warlog, "serve", "--db", str(db), "--port", str(port), "--http", parser, "--loop", loop]
    one = "/api/events/" + client.get("/api/events?limit=1").json()["events"][0]["id"]
    # The map's page (read in a thread), a page and one event read on the loop itself.
    paths = (LIST, "/api/events?order=-date&limit=50&actor=islamic", one)
    with serving(cmd, port, tmp_path / "server.log"):
        for path in paths:
            assert http_get(port, path) == client.get(path).content, path
