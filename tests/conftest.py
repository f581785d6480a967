"""Shared fixtures. Real pages are read from ../shared (never copied into the repo)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from warlog.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FAKES_DEV = SHARED / "eval" / "fakes" / "dev.jsonl"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(
            f"{path} is absent: these tests read the shared seeds/evaluation data beside the checkout"
        )
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture
def seed_text() -> object:
    """seed_text("004") -> the decoded text of that seed page."""

    def read(prefix: str) -> str:
        found = sorted(_need(SEEDS).glob(f"{prefix}_*.txt"))
        assert found, f"no seed {prefix}"
        return found[0].read_text("utf-8")

    return read


@pytest.fixture
def fakes_dev() -> Path:
    return _need(FAKES_DEV)


# PostgreSQL variants run when WARLOG_TEST_PG_URL names a server (a role that may
# create schemas in that database); .ci/run starts one and sets WARLOG_REQUIRE_PG=1
# so that a missing server fails the run instead of skipping half the suite.
PG_ENV = "WARLOG_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def pg_base_url() -> str:
    """The test server's URL, or a skip (a failure under WARLOG_REQUIRE_PG=1)."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        msg = (
            f"PostgreSQL variant: set {PG_ENV}=postgresql://user:password@host/db to run it "
            "(.ci/run starts a server and sets it)"
        )
        if os.environ.get("WARLOG_REQUIRE_PG") == "1":
            pytest.fail(f"WARLOG_REQUIRE_PG=1 but {PG_ENV} is unset", pytrace=False)
        pytest.skip(msg)
    return url


@contextmanager
def fresh_pg_url() -> Iterator[str]:
    """A URL for an empty, uniquely named schema on the test server, dropped afterwards.

    A schema per test (through search_path) isolates tests like a database per
    test would, at a fraction of CREATE DATABASE's cost.
    """
    base = pg_base_url()
    name = f"warlog_t_{uuid.uuid4().hex[:12]}"
    admin_url = make_url(base).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, connect_args={"connect_timeout": 10})
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"cannot reach the test server {PG_ENV}: {exc}", pytrace=False)
    url = make_url(base).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL schema's URL (skips without a test server)."""
    with fresh_pg_url() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'warlog.db'}"
    else:
        with fresh_pg_url() as url:
            yield url


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store("sqlite://")
        yield s
        s.close()
        return
    with fresh_pg_url() as url:
        s = Store(url)
        try:
            yield s
        finally:
            s.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A run that collected nothing must fail loudly, never pass as "no tests".
    if session.testscollected == 0 and exitstatus in (0, 5):
        session.exitstatus = 1
