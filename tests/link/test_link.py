"""Linking reports into events: the seeds' must-shows that linking alone decides, and the metrics."""

from __future__ import annotations

import pytest

from warlog.evaluate.linking import score_partition
from warlog.link import Report, haversine_km, link


@pytest.fixture(scope="module")
def groups():
    from conftest import SEEDS

    from warlog.clean.page import clean_page
    from warlog.extract import Extractor
    from warlog.ingest import Input, read
    from warlog.records import RawPage
    from warlog.resolve import Resolver
    from warlog.settings import IngestOptions

    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent")
    ex, rs = Extractor(), Resolver()
    reports = []
    for path in sorted(SEEDS.glob("*.txt")):
        pages = [p for p in read(Input(str(path), path), IngestOptions()) if isinstance(p, RawPage)]
        for art in clean_page(pages[0]):
            res = rs.resolve(ex.extract(art))
            reports += [
                Report(c, f"{path.name[:3]}-{art.index}", art.outlet, art.published)
                for c in res.claims
            ]
    return link(reports)


def _group_of(groups, prefix: str, low: int):
    found = [
        g
        for g in groups
        for r in g.reports
        if r.article_id.startswith(prefix) and r.claim.low == low
    ]
    assert found, f"no report of {low} in {prefix}"
    return found[0]


def test_000_and_001_tally_of_160_is_one_group(groups) -> None:
    g = _group_of(groups, "000", 160)
    assert g.kind == "tally"
    assert {r.article_id[:3] for r in g.reports} == {"000", "001"}


def test_paris_attacks_are_their_own_event(groups) -> None:
    g = _group_of(groups, "000", 129)
    assert g.kind == "incident"
    assert all(r.claim.low == 129 for r in g.reports)


def test_homs_desert_and_deir_ezzor_assaults_are_separate(groups) -> None:
    assert _group_of(groups, "004", 26).id != _group_of(groups, "004", 11).id


def test_tallies_never_join_incidents(groups) -> None:
    for g in groups:
        assert len({r.claim.scope for r in g.reports}) == 1


@pytest.mark.parametrize(
    ("gold", "pred", "p", "r"),
    [
        ({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "x", "c": "y"}, 1.0, 1.0),
        ({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "y", "c": "z"}, 1.0, 0.0),
        ({"a": "1", "b": "2", "c": "3"}, {"a": "x", "b": "x", "c": "x"}, 0.0, 1.0),
    ],
)
def test_pairwise_scores(gold, pred, p: float, r: float) -> None:
    s = score_partition(gold, pred)
    assert (s.pairwise_precision, s.pairwise_recall) == (p, r)


def test_bcubed_and_inflation() -> None:
    s = score_partition(
        {"a": "1", "b": "1", "c": "2", "d": "2"}, {"a": "x", "b": "x", "c": "y", "d": "z"}
    )
    assert round(s.bcubed_f1, 3) == round(2 * 1.0 * 0.75 / 1.75, 3)
    assert s.inflation == 1.5


def test_haversine_damascus_aleppo() -> None:
    assert 300 < haversine_km(33.51, 36.29, 36.20, 37.16) < 320
