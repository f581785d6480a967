"""Fixtures for the HTTP API tests: the app over a copy of the seeds store, through
FastAPI's TestClient (httpx), no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.helpers import TOKEN, seeds_store
from warlog.api import create_app


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeds_store(tmp_path_factory)


@pytest.fixture(scope="session")
def client(seeds_db: Path) -> Iterator[TestClient]:
    """Read-only use: the seeds store, reads open, writes with TOKEN."""
    app = create_app(f"sqlite:///{seeds_db}", TOKEN)
    # raise_server_exceptions=False: a crash must show up as the 500 a user would get.
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.store.close()


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An empty store that tests write to (one app per module: the NLP models load once)."""
    db = tmp_path_factory.mktemp("write-store") / "w.db"
    app = create_app(f"sqlite:///{db}", TOKEN, max_body=64 * 1024)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.store.close()
