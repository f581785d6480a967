"""GET /api/feeds and the dashboard's feed page route."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from warlog.api import create_app
from warlog.store import Store
from warlog.store import feeds as feedstore
from warlog.watch.status import feeds_json

A, B = "http://127.0.0.1:18600/a.xml", "http://127.0.0.1:18600/b.xml"


def _store(path: Path) -> str:
    url = f"sqlite:///{path}"
    with Store(url) as store:
        feedstore.add_feeds(store, [A, B], 1_700_000_000.0)
        feedstore.finish_poll(
            store, A, "w", last_poll=1_700_000_000.0, next_poll=1_700_000_900.0, last_status=200,
            last_outcome="3 entries, 3 new: 3 article(s)", articles_found=3, title="Levant Wire",
        )  # fmt: skip
        feedstore.finish_poll(
            store, B, "w", last_poll=1_700_000_000.0, next_poll=1_700_000_000.0, last_status=410,
            last_outcome="HTTP 410: dead, no longer polled", dead=1, gone=3, failures=3,
        )  # fmt: skip
    return url


def test_api_feeds_lists_the_feeds_like_the_cli(tmp_path: Path) -> None:
    url = _store(tmp_path / "w.db")
    app = create_app(url, None)
    with TestClient(app) as client:
        body = client.get("/api/feeds").json()
        assert client.get("/feeds").status_code == 200  # the dashboard's feed page
    with Store(url) as store:
        assert body["feeds"] == feeds_json(store)
    a, b = body["feeds"]
    assert a["url"] == A and a["state"] == "ok" and a["articles_found"] == 3
    assert a["last_poll"] == "2023-11-14T22:13:20+00:00"
    assert a["next_poll"] == "2023-11-14T22:28:20+00:00"
    assert b["state"] == "dead" and b["next_poll"] is None and b["last_status"] == 410


@pytest.mark.parametrize(("token", "status"), [(None, 401), ("tok", 200)])
def test_api_feeds_protected_reads(tmp_path: Path, token: str | None, status: int) -> None:
    app = create_app(_store(tmp_path / "w.db"), "tok", protect_reads=True)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with TestClient(app) as client:
        assert client.get("/api/feeds", headers=headers).status_code == status
