"""The public JSON (extract, events, show, export, the API's event list and detail) stays
byte-identical on the seeds and the head of FA-KES dev, on both backends.

The golden file is output of the code (scripts/make_golden.py), not an evaluation file;
regenerate it only for an intended change of the public interface.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import fresh_pg_url
from golden import FAKES_DEV, GOLDEN, SEEDS, collect


@pytest.fixture(scope="module")
def expected() -> dict[str, list[str]]:
    if not (SEEDS.is_dir() and FAKES_DEV.is_file()):
        pytest.skip("the shared seeds and FA-KES dev are absent")
    return json.loads(GOLDEN.read_text("utf-8"))


def _compare(found: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    assert sorted(found) == sorted(expected)
    for name in sorted(expected):
        new, old = found[name], expected[name]
        changed = next((i for i, (a, b) in enumerate(zip(new, old, strict=False)) if a != b), None)
        if changed is None and len(new) != len(old):
            changed = min(len(new), len(old))
        assert changed is None, f"public JSON changed: {name}, line {changed + 1}"


@pytest.mark.slow
def test_public_json_unchanged_sqlite(tmp_path: Path, expected: dict[str, list[str]]) -> None:
    _compare(collect(tmp_path, f"sqlite:///{tmp_path / 'g.db'}"), expected)


@pytest.mark.slow
def test_public_json_unchanged_postgresql(tmp_path: Path, expected: dict[str, list[str]]) -> None:
    with fresh_pg_url() as url:
        _compare(collect(tmp_path, url), expected)
