"""The linker's tuning values are one frozen, named settings object: warlog.linker.v1."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from builders import claim

from warlog.link.decide import THRESHOLD, WINDOW_DAYS, score
from warlog.link.weights import LINKER_V1
from warlog.records import Report


def _pair(**b_fields: object) -> tuple[Report, Report]:
    a = Report(claim(article_id="a1"), "a1", "AFP", date(2018, 5, 1))
    b = Report(claim(article_id="a2", **b_fields), "a2", "Reuters", date(2018, 5, 1), copy_of="a1")
    return a, b


def test_v1_is_frozen_and_named() -> None:
    assert LINKER_V1.name == "warlog.linker.v1"
    assert (LINKER_V1.threshold, LINKER_V1.window_days) == (THRESHOLD, WINDOW_DAYS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        LINKER_V1.threshold = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "b_fields"),
    [
        pytest.param("wire_copy", {}, id="a wire copy"),
        pytest.param("same_type", {}, id="same event type"),
        pytest.param("other_type", {"event_type": "armed clash"}, id="another event type"),
        pytest.param("count_scores", {"low": 100, "high": 100}, id="figures far apart"),
    ],
)
def test_score_reads_its_weights(field: str, b_fields: dict[str, object]) -> None:
    a, b = _pair(**b_fields)
    base = score(a, b)
    assert score(a, b, LINKER_V1) == base
    old = getattr(LINKER_V1, field)
    new = tuple(x + 5 for x in old) if isinstance(old, tuple) else old + 5
    assert score(a, b, dataclasses.replace(LINKER_V1, **{field: new})) == base + 5
