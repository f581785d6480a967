"""``warlog serve --http``: the C parser (httptools, the default) and h11 serve the same bytes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.helpers import free_port, http_get, serving

LIST = "/api/events?order=-date&limit=1000"


@pytest.mark.slow
@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_serve_with_each_http_parser(
    seeds_db: Path, client: TestClient, tmp_path: Path, parser: str
) -> None:
    want = client.get(LIST).content
    db = tmp_path / "seeds.db"
    shutil.copyfile(seeds_db, db)
    port = free_port()
    warlog = str(Path(sys.executable).parent / "warlog")
    cmd = [warlog, "serve", "--db", str(db), "--port", str(port), "--http", parser]
    with serving(cmd, port, tmp_path / "server.log"):
        assert http_get(port, LIST) == want
