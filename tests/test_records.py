"""Records between stages: the figure a claim stands behind, and the old import paths."""

from __future__ import annotations

import pytest
from builders import claim

from warlog.records import figure


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        pytest.param(21, 21, 21, id="exact: 21"),
        pytest.param(9, None, 9, id="floor: at least 9"),
        pytest.param(None, 6, 6, id="ceiling: up to 6"),
        pytest.param(10, 15, 10, id="range: the low bound"),
        pytest.param(0, 3, 0, id="zero is a figure, not a missing one"),
        pytest.param(None, None, None, id="no figure: several"),
    ],
)
def test_figure_is_the_low_bound_else_the_high(
    low: int | None, high: int | None, expected: int | None
) -> None:
    assert figure(low, high) == expected
    assert claim(low=low, high=high).figure == expected


def test_place_and_date_keep_their_old_import_paths() -> None:
    from warlog import records
    from warlog.resolve.dates import EventDate
    from warlog.resolve.gazetteer import Place

    assert Place is records.Place
    assert EventDate is records.EventDate
