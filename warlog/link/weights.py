"""The linker's tuning values, named and grouped: ``warlog.linker.v1``.

Like spaCy's registry names, the name pins the behaviour: a change of any value is a new
version (``warlog.linker.v2``), never an edit of v1, so a ledger can say which linker made it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LinkWeights:
    """Scores of :func:`warlog.link.decide.score` and the distances and ratios they use."""

    name: str = "warlog.linker.v1"
    threshold: float = 2.0  # a pair scoring at least this reports one incident
    window_days: int = 2  # days apart two incident reports may be and still be compared
    tally_window_extra_days: int = 7  # tallies are restated for longer
    # Days apart: 0, 1, 2 (beyond the window: day_far); an undated report: undated.
    day_gap: tuple[float, ...] = (2.0, 1.0, 0.0)
    day_far: float = -3.0
    undated: float = -2.0
    # Places: another country; two towns within near/close/far km; two areas by admin-1.
    other_country: float = -4.0
    near_km: float = 10.0
    close_km: float = 25.0
    far_km: float = 60.0
    town_scores: tuple[float, float, float, float] = (2.0, 1.0, -1.0, -3.0)  # near .. beyond far
    same_admin1: float = 0.5
    other_admin1: float = -3.0
    # Event type, perpetrator, victims.
    same_type: float = 1.0
    other_type: float = -1.0
    same_perpetrator: float = 1.0
    other_perpetrator: float = -2.0
    civilians_vs_combatants: float = -1.0
    # Figures: the larger over the smaller up to close_ratio agrees, up to loose_ratio says
    # nothing, beyond disagrees.
    close_ratio: float = 1.5
    loose_ratio: float = 4.0
    count_scores: tuple[float, float, float] = (1.0, 0.0, -2.0)
    wire_copy: float = 3.0  # a wire copy of the same story
    # Tallies: same figure, within tally_ratio, else; nationality; published within a week.
    tally_same: float = 2.0
    tally_ratio: float = 1.1
    tally_close: float = 1.0
    tally_other: float = -3.0
    same_nationality: float = 1.0
    other_nationality: float = -3.0
    tally_days: int = 7
    tally_same_week: float = 1.0
    tally_other_week: float = -1.0
    # Inside one article: towns further apart than this are different incidents.
    same_story_km: float = 60.0


LINKER_V1 = LinkWeights()
