"""``warlog serve --workers 2``: two server processes on one port answer the same list, on
SQLite (WAL readers) and PostgreSQL, and stop with the parent."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from api.helpers import event_rows, free_port, http_get, serving
from warlog.codec import event_json
from warlog.store import Store, schema


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
    port = free_port()
    warlog = str(Path(sys.executable).parent / "warlog")
    cmd = [warlog, "serve", "--db", db_url, "--port", str(port), "--workers", "2"]
    with serving(cmd, port, tmp_path / "server.log") as server:
        deadline = time.monotonic() + 90
        while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert len(_children(server.pid)) >= 2
        for _ in range(6):  # new connections: both workers answer, with the same list
            got = json.loads(http_get(port, "/api/events?order=-date&limit=1000"))["events"]
            assert json.dumps(got, ensure_ascii=False) == want
