"""Shared fixtures. Real pages are read from ../shared (never copied into the repo)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

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


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store("sqlite://")
    yield s
    s.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A run that collected nothing must fail loudly, never pass as "no tests".
    if session.testscollected == 0 and exitstatus in (0, 5):
        session.exitstatus = 1
