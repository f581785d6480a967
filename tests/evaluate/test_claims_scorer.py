"""The claim-by-claim scorer (``warlog eval claims``) on tiny hand-made inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warlog.cli import main
from warlog.errors import WarlogError
from warlog.evaluate.claims import (
    ClaimScores,
    GoldArticle,
    GoldClaim,
    Predicted,
    match,
    read_gold,
    score_article,
)


def _gold(outcome: str, low: int | None, high: int | None, quote: str, **kw: object) -> GoldClaim:
    return GoldClaim(
        outcome=outcome,
        low=low,
        high=high,
        scope=str(kw.get("scope", "incident")),
        claimant=kw.get("claimant"),  # type: ignore[arg-type]
        evidence=quote,
    )


def _pred(outcome: str, figure: int | None, sentence: str, **kw: object) -> Predicted:
    return Predicted(
        outcome=outcome,
        figure=figure,
        scope=str(kw.get("scope", "incident")),
        claimant=kw.get("claimant"),  # type: ignore[arg-type]
        sentence=sentence,
    )


@pytest.mark.parametrize(
    ("low", "high", "figure"),
    [(21, None, 21), (None, 6, 6), (10, 15, 10), (None, None, None)],
)
def test_claims_figure_is_low_else_high(low: int | None, high: int | None, figure: int | None):
    assert _gold("killed", low, high, "x").figure == figure


def test_claims_match_prefers_the_sentence_the_gold_quotes() -> None:
    gold = [
        _gold("killed", 18, 18, "18 dead in IS attack", claimant=None),
        _gold("killed", 18, None, "At least 18 people were killed Thursday", claimant="sohr"),
    ]
    # Predicted in the other order: a greedy match on (outcome, figure) alone would swap them.
    pred = [
        _pred("killed", 18, "At least 18 people were killed Thursday when IS attacked"),
        _pred("killed", 18, "18 dead in IS attack on Kurd-held town"),
    ]
    assert match(gold, pred) == [(0, 1), (1, 0)]


def test_claims_match_falls_back_to_outcome_and_figure() -> None:
    gold = [_gold("killed", 5, 5, "claimed the lives of five citizens")]
    pred = [_pred("killed", 5, "The attacks killed five people.")]
    assert match(gold, pred) == [(0, 0)]


@pytest.mark.parametrize(
    ("pred", "matched"),
    [
        (_pred("wounded", 5, "five killed"), 0),  # wrong outcome
        (_pred("killed", 6, "five killed"), 0),  # wrong figure
        (_pred("killed", None, "several killed"), 0),  # a null figure is a figure of its own
    ],
)
def test_claims_match_needs_outcome_and_figure(pred: Predicted, matched: int) -> None:
    assert len(match([_gold("killed", 5, 5, "five killed")], [pred])) == matched


def test_claims_null_figures_match_each_other() -> None:
    gold = [_gold("wounded", None, None, "injured several others")]
    assert match(gold, [_pred("wounded", None, "and injured several others")]) == [(0, 0)]


def test_claims_each_side_is_used_once() -> None:
    gold = [_gold("killed", 2, 2, "Two women and two soldiers")] * 2
    assert len(match(gold, [_pred("killed", 2, "Two women and two soldiers were killed")])) == 1
    assert len(match(gold[:1], [_pred("killed", 2, "Two women")] * 2)) == 1


def test_claims_scores_precision_recall_f1_and_fields() -> None:
    scores = ClaimScores()
    a = GoldArticle(
        "a",
        (
            _gold("killed", 10, 10, "killing 10", scope="incident", claimant="sohr"),
            _gold("wounded", 20, 20, "injuring 20", scope="incident", claimant="sohr"),
            _gold("killed", 1, 1, "killed Abu Hassan"),
        ),
    )
    score_article(
        scores,
        a,
        [
            _pred("killed", 10, "killing 10 and injuring 20", claimant="sohr"),
            _pred("wounded", 20, "killing 10 and injuring 20", scope="cumulative"),
        ],
        keep_errors=True,
    )
    b = GoldArticle("b", ())
    score_article(scores, b, [_pred("killed", 3, "three")], keep_errors=True)
    assert (scores.gold, scores.predicted, scores.matched) == (3, 3, 2)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    assert scores.scope_accuracy == 0.5  # on matched claims only
    assert scores.claimant_accuracy == 0.5
    kinds = sorted(e["kind"] for e in scores.errors)
    assert kinds == ["field", "missed", "spurious"]


def test_claims_empty_sides_do_not_divide_by_zero() -> None:
    scores = ClaimScores()
    score_article(scores, GoldArticle("a", ()), [], keep_errors=False)
    assert (scores.precision, scores.recall, scores.scope_accuracy) == (1.0, 1.0, 0.0)


GOOD = {
    "article": "a",
    "claims": [
        {
            "outcome": "killed",
            "low": 4,
            "high": 4,
            "scope": "incident",
            "claimant": None,
            "evidence": "four people",
        }
    ],
}


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        json.dumps({"claims": []}),
        json.dumps({**GOOD, "claims": [{**GOOD["claims"][0], "outcome": "dead"}]}),
        json.dumps({**GOOD, "claims": [{**GOOD["claims"][0], "scope": "tally"}]}),
        json.dumps({**GOOD, "claims": [{**GOOD["claims"][0], "low": "4"}]}),
    ],
)
def test_claims_gold_errors_name_the_line(tmp_path: Path, bad: str) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOOD) + "\n" + bad + "\n", "utf-8")
    with pytest.raises(WarlogError) as info:
        read_gold(gold)
    assert info.value.code == "E118"
    assert "line 2" in info.value.message


def test_eval_claims_bad_gold_is_one_error_line(runner: CliRunner, tmp_path: Path) -> None:
    dataset = tmp_path / "d.jsonl"
    dataset.write_text('{"id": "a", "text": "Ten people were killed."}\n', "utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("[1, 2]\n", "utf-8")
    res = runner.invoke(main, ["eval", "claims", str(gold), "--dataset", str(dataset)])
    assert res.exit_code == 1, res.output
    assert "E118" in res.output and "claim gold" in res.output
    assert "Traceback" not in res.output


def test_eval_claims_gold_naming_an_unknown_article(runner: CliRunner, tmp_path: Path) -> None:
    dataset = tmp_path / "d.jsonl"
    dataset.write_text('{"id": "a", "text": "Ten people were killed."}\n', "utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({**GOOD, "article": "zz"}) + "\n", "utf-8")
    res = runner.invoke(main, ["eval", "claims", str(gold), "--dataset", str(dataset)])
    assert res.exit_code == 1
    assert "E118" in res.output and "'zz'" in res.output


@pytest.mark.slow
def test_eval_claims_runs_the_extractor(runner: CliRunner, tmp_path: Path) -> None:
    dataset = tmp_path / "d.jsonl"
    rows = [
        {
            "id": "a",
            "title": "Shelling kills four",
            "text": "Shelling killed four people on Monday.",
        },
        {"id": "b", "title": "Talks resume", "text": "Talks resumed in Geneva on Monday."},
    ]
    dataset.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(GOOD) + "\n" + json.dumps({"article": "b", "claims": []}) + "\n", "utf-8"
    )
    res = runner.invoke(main, ["eval", "claims", str(gold), "--dataset", str(dataset), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["articles"] == 2 and out["gold_claims"] == 1
    assert out["matched"] == 1  # "four people" in the text (the headline's four is a second claim)
