"""The vectorised place ranker: its scores are the model's sums, its rankings stable, its fuzzy
look-up the one a full scan gives."""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from warlog.evaluate.places import read_gold
from warlog.resolve.evidence import _ADMIN1, Space
from warlog.resolve.gazetteer import _FuzzyPool, _token_sorted
from warlog.resolve.toponyms import Geoparser, Mention

GEO = Path(__file__).resolve().parents[3] / "shared" / "eval" / "geo"


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()


def _docs(n: int) -> list[tuple[str, list[Mention]]]:
    docs = itertools.islice(read_gold(GEO / "lgl.jsonl"), n)
    return [(d.text, [Mention(t.start, t.end, t.name) for t in d.toponyms]) for d in docs]


def _running_sum(weights: tuple[float, ...], features: list[float]) -> float:
    """Σ w·x added left to right (not sum(), which compensates from Python 3.12 on)."""
    total = 0.0
    for w, x in zip(weights, features, strict=True):
        total += w * x
    return total


def test_every_score_is_the_models_sum_over_its_features(geoparser: Geoparser) -> None:
    """Scores are summed in feature order, as Σ w·x over the candidate's own features."""
    weights = geoparser.ranker.second or geoparser.ranker.weights
    seen = 0
    for text, mentions in _docs(25):
        for cands in geoparser.rank(text, mentions):
            scores = [c.score for c in cands]
            assert scores == sorted(scores, reverse=True)
            for c in cands:
                assert c.score == _running_sum(weights, c.features)
                seen += 1
            if cands:
                peak = scores[0]
                softmax = 1 / sum(math.exp(s - peak) for s in scores)
                assert cands.confidence() == softmax  # type: ignore[attr-defined]
    assert seen > 500


def test_a_document_ranks_the_same_whatever_was_read_before(geoparser: Geoparser) -> None:
    """Names are memoised across documents, evidence is not: order and repetition change
    nothing."""
    docs = _docs(15)

    def ranking(parser: Geoparser, text: str, mentions: list[Mention]) -> list[list[tuple]]:
        return [
            [(c.entry.name, c.entry.lat, c.entry.lon, c.score, c.decided) for c in cands]
            for cands in parser.rank(text, mentions)
        ]

    forward = Geoparser(geoparser.gazetteer, geoparser.ranker)
    first = [ranking(forward, *doc) for doc in docs]
    again = [ranking(forward, *doc) for doc in docs]
    backward = Geoparser(geoparser.gazetteer, geoparser.ranker)
    reverse = [ranking(backward, *doc) for doc in reversed(docs)]
    assert again == first
    assert list(reversed(reverse)) == first


def test_a_ranking_is_a_sequence_of_candidates(geoparser: Geoparser) -> None:
    text = "Paris was calm on Monday, and so was Paris, Texas."
    bare, texan = geoparser.rank(text, [Mention(0, 5, "Paris"), Mention(37, 42, "Paris")])
    assert len(bare) >= 2
    assert bare[0] is bare[0]  # made once
    assert bare[-1] is bare[len(bare) - 1]
    assert [c.entry for c in bare[:2]] == [bare[0].entry, bare[1].entry]
    assert [c.entry for c in bare] == [bare[i].entry for i in range(len(bare))]
    with pytest.raises(IndexError):
        bare[len(bare)]
    assert texan[0].entry.admin1 == "Texas"
    assert all(c.decided == ("hierarchy: Texas",) for c in texan)
    unknown = geoparser.rank("Nothing at Qwzxv here.", [Mention(11, 16, "Qwzxv")])[0]
    assert not unknown and list(unknown) == []


def test_fuzzy_pool_answers_as_a_full_scan(geoparser: Geoparser) -> None:
    keys = list(geoparser.gazetteer._local.index)[:4000]
    pool = _FuzzyPool.build(keys)
    forms = [_token_sorted(k) for k in keys]
    rng = random.Random(7)
    queries = []
    for key in rng.sample(keys, 300):
        chars = list(key)
        i = rng.randrange(len(chars))
        chars[i : i + 1] = rng.choice([[], ["z"], ["a", chars[i]]])
        queries += [key, "".join(chars)]
    hits = 0
    for query in queries:
        if len(query.replace(" ", "")) < 5:
            continue
        for cutoff in (85.0, 90.0):
            hit = process.extractOne(
                _token_sorted(query), forms, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            expected = keys[hit[2]] if hit else None
            assert pool.best(query, cutoff) == expected, query
            hits += hit is not None
    assert hits > 300


def test_votes_are_summed_in_order_read_back_and_cleared() -> None:
    space = Space()
    for i in range(5000):  # more admin-1 areas than the array first holds: it grows
        space.of_admin1(f"XX/Area {i}")
    top = _ADMIN1 + 2 * space.of_admin1("XX/Area 4999") + 1  # its soft slot, the last one
    assert top >= len(space.sums)
    slots = np.array([1, top, 1, top], dtype=np.intp)
    votes = np.array([0.1, 0.5, 0.2, 0.25])
    got = space.tally(slots, votes, np.array([[1, top], [0, 2]]))
    assert got.tolist() == [[0.1 + 0.2, 0.5 + 0.25], [0.0, 0.0]]
    assert not space.sums.any()
