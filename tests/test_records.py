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


@pytest.mark.parametrize(
    ("finer", "coarser"),
    [
        pytest.param("town", "district", id="town before district"),
        pytest.param("district", "province", id="district before province"),
        # Regression: link/units.py had no "province" and ranked it below "region".
        pytest.param("province", "region", id="province before region"),
        pytest.param("region", "country", id="region before country"),
        pytest.param("country", "unknown", id="a known precision before an unknown one"),
    ],
)
def test_one_precision_ranking(finer: str, coarser: str) -> None:
    from warlog.link.units import rank
    from warlog.records import Place, precision_rank

    assert precision_rank(finer) < precision_rank(coarser)

    def place(precision: str) -> Place:
        return Place("Homs", "Homs", 34.7, 36.7, "Homs", None, "SY", precision, "admin")

    assert rank(place(finer)) < rank(place(coarser)) < rank(None)
