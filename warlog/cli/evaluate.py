"""``warlog eval``: score extraction against gold files (``links`` and ``places`` live with
their commands and are added to this group in ``warlog.cli``)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from warlog.cli.common import print_table
from warlog.cli.options import json_option


@click.group("eval")
def eval_group() -> None:
    """Score extraction against gold files."""


@eval_group.command("fakes")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.option("--errors", is_flag=True, help="Also list the articles where a field is wrong.")
def eval_fakes(path: Path, as_json: bool, errors: bool) -> None:
    """Score each article's lead against FA-KES gold (toll, civilians, children, women, actor, cause).

    Also prints the calibration table of claim confidence (lead claims, right when their figure
    equals the gold death toll).
    """
    from warlog.evaluate.calibration import auc, expected_calibration_error, table
    from warlog.evaluate.fakes import evaluate

    report = evaluate(path)
    bins = table(report.samples)
    ece = expected_calibration_error(report.samples)
    right_vs_wrong = auc([(c.confidence, ok) for c, ok in report.samples])
    if as_json:
        out_d = report.as_dict()
        out_d["calibration"] = {
            "bins": [
                {
                    "low": b.low,
                    "high": b.high,
                    "claims": b.n,
                    "mean_confidence": round(b.mean_confidence, 3),
                    "share_right": round(b.share_right, 3),
                }
                for b in bins
            ],
            "expected_calibration_error": round(ece, 4),
            "auc": round(right_vs_wrong, 4),
        }
        click.echo(json.dumps(out_d, indent=2))
        return
    t = Table(title=f"FA-KES: {report.n} articles ({path.name})")
    t.add_column("field")
    t.add_column("accuracy", justify="right")
    t.add_column("correct", justify="right")
    for f in report.fields.values():
        t.add_row(f.name, f"{f.accuracy:.3f}", f"{f.correct}/{f.total}")
    print_table(t)
    c = Table(title=f"Calibration of claim confidence (ECE {ece:.3f}, AUC {right_vs_wrong:.3f})")
    for col in ("confidence", "claims", "mean confidence", "share right"):
        c.add_column(col, justify="right")
    for b in bins:
        c.add_row(
            f"{b.low:.1f}–{b.high:.1f}",
            str(b.n),
            f"{b.mean_confidence:.2f}" if b.n else "",
            f"{b.share_right:.2f}" if b.n else "",
        )
    print_table(c)
    if errors:
        for e in report.errors:
            click.echo(f"{e['id']}\t{','.join(e['wrong'])}\t{e['title']}")


@eval_group.command("claims")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dataset",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("../shared/eval/fakes/dev.jsonl"),
    show_default=True,
    help="The JSONL the gold's article ids come from.",
)
@json_option
@click.option("--errors", is_flag=True, help="Also list missed, spurious and mis-fielded claims.")
def eval_claims(gold: Path, dataset: Path, as_json: bool, errors: bool) -> None:
    """Score every extracted claim against a hand-coded claim gold file (GOLD).

    Precision, recall and F1 on (outcome, figure) per article; scope and claimant accuracy on
    the matched claims. The gold format and matching are in warlog/evaluate/claims.py.
    """
    from warlog.evaluate.claims import evaluate_claims

    scores = evaluate_claims(gold, dataset, keep_errors=errors)
    if as_json:
        out_d = scores.as_dict()
        if errors:
            out_d["errors"] = scores.errors
        click.echo(json.dumps(out_d, indent=2, ensure_ascii=False))
        return
    t = Table(title=f"Claims against {gold.name}")
    t.add_column("measure")
    t.add_column("value", justify="right")
    for k, v in scores.as_dict().items():
        t.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))  # None: not measurable
    print_table(t)
    for e in scores.errors:
        click.echo(json.dumps(e, ensure_ascii=False))
