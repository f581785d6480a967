"""Reconciliation rules, one test each, on hand-made claims."""

from __future__ import annotations

from datetime import date

from warlog.link.reconcile import reconcile
from warlog.records import Claim, ClaimantRef, Evidence, Part, Report, Victims

SOHR = ClaimantRef(
    "the Observatory", "sohr", "Syrian Observatory for Human Rights", "monitor", False
)
MOD = ClaimantRef("the ministry", "russian_mod", "Russian Ministry of Defence", "military", True)
STATE = ClaimantRef("SANA", "syrian_state_media", "Syrian state media", "state media", True)
NATS = frozenset({"Russian", "Russians", "Syrian"})


def claim(
    low: int | None,
    high: int | None = None,
    *,
    claimant: ClaimantRef | None = None,
    kind: str = "unknown",
    nationality: str | None = None,
    vague: bool = False,
    text: str | None = None,
    index: int = 0,
    outcome: str = "killed",
    parts: tuple[Part, ...] = (),
) -> Claim:
    return Claim(
        article_id="a",
        outcome=outcome,
        low=low,
        high=high if high is not None or low is None else low,
        count_text=text or str(low),
        approx=False,
        vague=vague,
        victims=Victims("people", kind, None, nationality),
        perpetrator=None,
        event_type="air/drone strike",
        place_text=None,
        date_text=None,
        scope="incident",
        claimant=claimant,
        evidence=Evidence("...", 0, 3),
        confidence=0.8,
        parts=parts,
        index=index,
    )


def rep(c: Claim, article: str = "a1", outlet: str = "AFP", day: int = 1) -> Report:
    return Report(c, article, outlet, date(2018, 5, day))


def total(reports: list[Report], group: str = "total", outcome: str = "killed"):
    estimates, _ = reconcile(reports, NATS)
    return next(e for e in estimates if e.group == group and e.outcome == outcome)


def test_low_is_the_most_conservative_and_high_the_largest() -> None:
    e = total([rep(claim(20, claimant=SOHR)), rep(claim(35, claimant=STATE), "a2", "SANA")])
    assert (e.low, e.high) == (20, 35)
    assert e.conflict


def test_best_comes_from_the_most_reliable_source_never_an_average() -> None:
    e = total([rep(claim(20, claimant=SOHR)), rep(claim(35, claimant=STATE), "a2", "SANA")])
    assert e.best == 20
    assert e.best_claims == ("a1:0",)


def test_high_given_only_by_partisan_sources_is_flagged() -> None:
    e = total([rep(claim(20, claimant=SOHR)), rep(claim(35, claimant=STATE), "a2", "SANA")])
    assert e.high_partisan
    e = total([rep(claim(35, claimant=SOHR)), rep(claim(20, claimant=STATE), "a2", "SANA")])
    assert not e.high_partisan


def test_five_outlets_quoting_one_monitor_are_one_source() -> None:
    reports = [rep(claim(12, claimant=SOHR), f"a{i}", f"outlet {i}") for i in range(5)]
    e = total(reports)
    assert len(e.sources) == 1
    assert len(e.sources[0].outlets) == 5


def test_figures_within_rounding_are_not_a_conflict() -> None:
    e = total([rep(claim(100, claimant=SOHR)), rep(claim(105, claimant=STATE), "a2")])
    assert not e.conflict


def test_ranges_conflict_only_when_they_cannot_both_hold() -> None:
    at_least_21 = claim(21, None, claimant=SOHR, text="at least 21")
    e = total([rep(at_least_21), rep(claim(21, claimant=STATE), "a2")])
    assert not e.conflict
    up_to_6 = claim(None, 6, claimant=SOHR, text="up to six")
    e = total([rep(up_to_6), rep(claim(4, claimant=MOD), "a2")])
    assert not e.conflict and (e.low, e.high) == (4, 6)
    at_least_9 = claim(9, None, claimant=SOHR, text="at least nine")
    e = total([rep(at_least_9), rep(claim(4, claimant=MOD), "a2")])
    assert e.conflict


def test_vague_figures_count_only_when_nobody_gives_a_number() -> None:
    dozens = claim(12, claimant=STATE, vague=True, text="dozens")
    e = total([rep(dozens), rep(claim(35, claimant=SOHR), "a2")])
    assert e.low == 35
    e = total([rep(dozens)])
    assert e.low == 12


def test_a_sources_latest_article_is_its_figure_and_the_rise_is_kept_as_revisions() -> None:
    first = rep(claim(20, claimant=SOHR), "a1", "AFP", day=1)
    later = rep(claim(112, claimant=SOHR, text="112"), "a2", "Reuters", day=3)
    estimates, revisions = reconcile([first, later], NATS)
    e = next(x for x in estimates if x.group == "total")
    assert (e.low, e.best, e.high) == (112, 112, 112)
    assert [(v.published.day, v.low) for v in revisions] == [(1, 20), (3, 112)]


def test_parts_of_one_article_do_not_undercut_its_total() -> None:
    """ "Two died at once and another two of their wounds": parts of the outlet's four."""
    e = total([rep(claim(4, index=0)), rep(claim(2, index=1)), rep(claim(2, index=2))])
    assert e.low == 4


def test_a_count_with_a_nationality_is_its_own_group_beside_a_larger_total() -> None:
    sohr = claim(
        35,
        claimant=SOHR,
        kind="combatants",
        parts=(Part(9, None, "at least nine Russians", "Russians", "nationality"),),
    )
    mod = claim(4, claimant=MOD, nationality="Russian", kind="combatants", text="four")
    e = total([rep(sohr), rep(mod, "a2")])
    assert (e.low, e.high) == (35, 35)
    ru = total([rep(sohr), rep(mod, "a2")], "nationality:Russian")
    assert (ru.low, ru.best, ru.high, ru.conflict) == (4, 9, 9, True)


def test_civilians_and_combatants_counted_by_different_sources_add_up() -> None:
    civ = claim(14, claimant=SOHR, kind="civilians")
    com = claim(120, claimant=STATE, kind="combatants")
    e = total([rep(civ), rep(com, "a2")])
    assert (e.low, e.high) == (134, 134)


def test_each_outcome_is_reconciled_apart() -> None:
    estimates, _ = reconcile(
        [rep(claim(5, claimant=SOHR)), rep(claim(30, claimant=SOHR, outcome="wounded", index=1))],
        NATS,
    )
    assert {(e.outcome, e.low) for e in estimates if e.group == "total"} == {
        ("killed", 5),
        ("wounded", 30),
    }


def test_sub_counts_inside_one_article_are_no_disagreement() -> None:
    """Regression: "two died at once" (the outlet's words) and "another two died of their
    wounds, the Observatory said" raised a false "Sources disagree" (4 against 2)."""
    at_once = claim(2, text="two", index=0)
    later = claim(4, claimant=SOHR, text="four", index=1)
    one_article = [rep(at_once, "a1"), rep(later, "a1")]
    assert not total(one_article).conflict
    # The same figures in two articles are a disagreement.
    assert total([rep(at_once, "a1"), rep(later, "a2")]).conflict
