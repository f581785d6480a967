"""Claims in the five founding pages: the must-shows of the extraction issue.

The pages are read at test time from ../shared/seeds (never copied into the repo);
the tests skip when that folder is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from warlog.clean.page import clean_page
from warlog.extract import Extractor
from warlog.ingest import Input, read
from warlog.records import ArticleClaims, Claim, RawPage
from warlog.settings import IngestOptions

Seed = Callable[[str], list[ArticleClaims]]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _extract(seeds_dir: Path, prefix: str, extractor: Extractor) -> list[ArticleClaims]:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    pages = [p for p in read(Input(str(path), path), IngestOptions()) if isinstance(p, RawPage)]
    assert len(pages) == 1
    return [extractor.extract(a) for a in clean_page(pages[0])]


@pytest.fixture
def seed(seeds_dir: Path, extractor: Extractor) -> Seed:
    def extract(prefix: str) -> list[ArticleClaims]:
        return _extract(seeds_dir, prefix, extractor)

    return extract


def _show(claims: tuple[Claim, ...]) -> list[str]:
    return [
        f"{c.outcome} {c.low}-{c.high} {c.scope} {c.claimant.id if c.claimant else None} "
        f"{c.claimant.chain if c.claimant else ()} | {c.evidence.sentence[:60]}"
        for c in claims
    ]


def _with(
    claims: tuple[Claim, ...], outcome: str, value: int, low: object = ..., high: object = ...
) -> list[Claim]:
    out = [c for c in claims if c.outcome == outcome and value in (c.low, c.high)]
    if low is not ...:
        out = [c for c in out if c.low == low]
    if high is not ...:
        out = [c for c in out if c.high == high]
    assert out, f"no {outcome} claim of {value}: {_show(claims)}"
    return out


def _values(claims: tuple[Claim, ...]) -> set[int]:
    return {v for c in claims for v in (c.low, c.high) if v is not None}


# --- 000 and 001: 160 Russians fighting for IS -----------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_160_killed_is_a_cumulative_tally(seed: Seed, prefix: str) -> None:
    (result,) = seed(prefix)
    killed = _with(result.claims, "killed", 160)
    assert all(c.scope == "cumulative" for c in killed), _show(result.claims)


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_36_arrested_is_a_separate_claim(seed: Seed, prefix: str) -> None:
    (result,) = seed(prefix)
    arrested = _with(result.claims, "arrested", 36)
    assert len(arrested) == 1
    assert (arrested[0].low, arrested[0].high) == (36, 36)
    assert all(c.outcome != "arrested" or c.low == 36 for c in result.claims)


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_fighters_who_went_or_returned_are_not_claims(seed: Seed, prefix: str) -> None:
    (result,) = seed(prefix)
    assert not _values(result.claims) & {2719, 73}, _show(result.claims)


def test_000_claimant_is_the_russian_foreign_ministry_via_tass(seed: Seed) -> None:
    (result,) = seed("000")
    killed = _with(result.claims, "killed", 160)
    attributed = [c for c in killed if c.claimant is not None]
    assert attributed, _show(result.claims)
    assert all(c.claimant.id == "russian_mfa" for c in attributed), _show(result.claims)
    assert any("TASS" in c.claimant.chain for c in attributed), _show(result.claims)


def test_000_targets_and_bombs_are_not_claims(seed: Seed) -> None:
    (result,) = seed("000")
    assert not _values(result.claims) & {35, 60}, _show(result.claims)
    assert not any("35 targets" in c.evidence.sentence for c in result.claims)
    assert not any("60 bombs" in c.evidence.sentence for c in result.claims)


def test_001_targets_are_not_claims(seed: Seed) -> None:
    (result,) = seed("001")
    assert 190 not in _values(result.claims), _show(result.claims)


# --- 002: Russian strikes kill 120 ---------------------------------------------------------


def test_002_120_islamic_state_fighters(seed: Seed) -> None:
    (result,) = seed("002")
    killed = _with(result.claims, "killed", 120, low=120, high=120)
    assert all(c.victims.affiliation == "Islamic State" for c in killed), _show(result.claims)
    assert all(c.victims.kind == "combatants" for c in killed)


def test_002_14_civilians_with_3_children_per_sohr(seed: Seed) -> None:
    (result,) = seed("002")
    (c,) = _with(result.claims, "killed", 14, low=14, high=14)
    assert c.victims.kind == "civilians"
    assert c.children == 3
    assert [(p.low, p.kind) for p in c.parts] == [(3, "children")]
    assert c.claimant is not None and c.claimant.id == "sohr"
    assert 3 not in {x.low for x in result.claims}, "the children are a part, not a claim"


# --- 003: 21 jihadists in Russian raids ----------------------------------------------------


def test_003_21_jihadists_per_sohr_by_russia(seed: Seed) -> None:
    (result,) = seed("003")
    killed = _with(result.claims, "killed", 21)
    assert any(
        c.claimant is not None
        and c.claimant.id == "sohr"
        and c.perpetrator is not None
        and c.perpetrator.id == "russia"
        for c in killed
    ), _show(result.claims)
    assert all(c.perpetrator is not None and c.perpetrator.id == "russia" for c in killed)
    assert all(c.scope == "incident" for c in killed)


def test_003_at_least_8_militiamen(seed: Seed) -> None:
    (result,) = seed("003")
    (c,) = _with(result.claims, "killed", 8, low=8, high=None)
    assert c.victims.kind == "combatants"
    assert "militiamen" in c.victims.text


def test_003_1300_since_march_2019_is_cumulative(seed: Seed) -> None:
    (result,) = seed("003")
    (c,) = _with(result.claims, "killed", 1300, low=1300, high=None)
    assert c.scope == "cumulative"


def test_003_strike_counts_are_not_claims(seed: Seed) -> None:
    (result,) = seed("003")
    assert not _values(result.claims) & {100, 130}, _show(result.claims)


# --- 004: Russians among 35 pro-Assad fighters --------------------------------------------


def test_004_35_with_at_least_9_russians_per_sohr(seed: Seed) -> None:
    result = seed("004")[0]
    killed = _with(result.claims, "killed", 35, low=35)
    sohr = [c for c in killed if c.claimant is not None and c.claimant.id == "sohr"]
    assert sohr, _show(result.claims)
    assert any(
        p.low is not None and p.low >= 9 and p.kind == "nationality" and "Russian" in p.victims
        for c in sohr
        for p in c.parts
    ), [c.parts for c in sohr]
    assert 9 not in {c.low for c in result.claims}, "the Russians are a part, not a claim"


def test_004_4_servicemen_per_russian_mod_and_3_wounded(seed: Seed) -> None:
    result = seed("004")[0]
    killed = _with(result.claims, "killed", 4, low=4, high=4)
    assert any(c.claimant is not None and c.claimant.id == "russian_mod" for c in killed), _show(
        result.claims
    )
    wounded = _with(result.claims, "wounded", 3, low=3, high=3)
    assert len(wounded) == 1


def test_004_up_to_6_per_conflict_intelligence_team(seed: Seed) -> None:
    result = seed("004")[0]
    (c,) = _with(result.claims, "killed", 6, low=None, high=6)
    assert c.claimant is not None and c.claimant.id == "conflict_intelligence_team"


@pytest.mark.parametrize(
    ("value", "low", "high", "scope"),
    [
        (26, 26, 26, "incident"),
        (11, 11, None, "incident"),
        (76, 76, 76, "cumulative"),
        (92, 92, 92, "cumulative"),
    ],
)
def test_004_other_tolls(seed: Seed, value: int, low: int, high: int | None, scope: str) -> None:
    result = seed("004")[0]
    (c,) = _with(result.claims, "killed", value, low=low, high=high)
    assert c.scope == scope


def test_004_26_regime_forces_per_sohr(seed: Seed) -> None:
    result = seed("004")[0]
    (c,) = _with(result.claims, "killed", 26)
    assert c.victims.kind == "combatants"
    assert c.claimant is not None and c.claimant.id == "sohr"


def test_004_plane_crash_39(seed: Seed) -> None:
    result = seed("004")[0]
    (c,) = _with(result.claims, "killed", 39, low=39, high=39)
    assert c.event_type == "accident/crash"


def test_004_second_article_has_no_claims(seed: Seed) -> None:
    arts = seed("004")
    assert len(arts) == 2
    second = arts[1]
    assert second.claims == ()
    assert second.lead is None


def test_004_newspaper_that_said_it_is_the_claimant_not_the_last_speaker(seed: Seed) -> None:
    # Regression: "a local Russian newspaper ... reported on the funerals of four soldiers it said
    # were killed" was credited to the Russian defence ministry, the speaker named before.
    (c,) = [c for c in seed("004")[0].claims if c.low == 4 and c.victims.text == "soldiers"]
    assert c.claimant is not None and c.claimant.id == "other_news_media"
    assert c.claimant.chain == ()
