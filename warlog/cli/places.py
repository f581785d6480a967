"""`warlog geoparse`, `eval places` and `gazetteer`: places as commands of their own."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from warlog.cli.common import err, print_table
from warlog.cli.options import json_option
from warlog.errors import E, WarlogError


def _focus(value: str | None) -> str | None:
    focus = value or os.environ.get("WARLOG_FOCUS_COUNTRY") or None
    if focus is not None and not (len(focus) == 2 and focus.isalpha()):
        raise WarlogError(E.E118, what="--focus-country", reason=f"{focus!r} is not ISO alpha-2")
    return focus.upper() if focus else None


def _documents(path: str) -> Iterator[tuple[str, str, list[Any] | None]]:
    """(id, text, spans or None) from JSONL records, or one document of plain text."""
    if path == "-":
        data = sys.stdin.read()
        name = "<stdin>"
    else:
        try:
            data = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise WarlogError(E.E118, what="input", reason=f"{path}: {exc.strerror}") from None
        name = path
    lines = data.splitlines()
    if not lines or not lines[0].lstrip().startswith("{"):
        yield Path(name).stem or "1", data, None
        return
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
            spans = record.get("toponyms")
            if spans is not None:
                spans = [(int(t["start"]), int(t["end"]), t.get("name")) for t in spans]
        except (ValueError, KeyError, TypeError) as exc:
            raise WarlogError(
                E.E118, what="geoparse input", reason=f"{name}:{lineno}: {exc}"
            ) from None
        yield str(record.get("id", lineno)), text, spans


@click.command("geoparse")
@click.argument("path", default="-", metavar="[PATH|-]")
@json_option
@click.option(
    "--focus-country",
    metavar="CC",
    help="The country the texts are about (ISO alpha-2): a prior, not a filter. "
    "Default: $WARLOG_FOCUS_COUNTRY.",
)
def geoparse_cmd(path: str, as_json: bool, focus_country: str | None) -> None:
    """Find and resolve place names: plain text, or JSONL with id, text and optional toponyms.

    With toponyms ([{start, end, name}]) exactly those spans are resolved; without, warlog finds
    the mentions itself. One JSON object per document: id and toponyms.
    """
    from warlog.resolve.toponyms import Geoparser, Mention

    focus = _focus(focus_country)
    parser = Geoparser()
    for doc_id, text, spans in _documents(path):
        given = None
        if spans is not None:
            given = [
                Mention(s, e, name or text[s:e]) for s, e, name in spans if 0 <= s < e <= len(text)
            ]
        toponyms = parser.geoparse(text, given, focus=focus)
        if as_json:
            out = {"id": doc_id, "toponyms": [t.to_json() for t in toponyms]}
            click.echo(json.dumps(out, ensure_ascii=False))
            continue
        table = Table(title=f"{doc_id}: {len(toponyms)} toponyms")
        for col in ("name", "place", "country", "precision", "lat, lon", "how", "conf"):
            table.add_column(col)
        for t in toponyms:
            table.add_row(
                t.name,
                ", ".join(x for x in (t.admin2, t.admin1) if x) or "",
                t.country or "",
                t.precision or "",
                f"{t.lat:.3f}, {t.lon:.3f}" if t.lat is not None and t.lon is not None else "",
                "; ".join(t.how),
                f"{t.confidence:.2f}",
            )
        print_table(table)


@click.command("places")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.option("--geoparse", "find", is_flag=True, help="Find the mentions too (no spans given).")
@click.option("--focus-country", metavar="CC", help="A prior country for every document.")
@click.option("--errors", is_flag=True, help="Also list the toponyms resolved over 161 km off.")
def eval_places(
    path: Path, as_json: bool, find: bool, focus_country: str | None, errors: bool
) -> None:
    """Score toponym resolution on a gold file (id, text, toponyms with lat and lon).

    Accuracy within 161 km, median and mean error, AUC of the log error and coverage, for
    warlog and (resolving given spans) the naive most-populous baseline.
    """
    from warlog.evaluate.places import evaluate

    try:
        reports = evaluate(path, spans=not find, focus=_focus(focus_country))
    except ValueError as exc:
        raise WarlogError(E.E118, what="gold file", reason=str(exc)) from None
    if as_json:
        out: dict[str, Any] = {"file": path.name, "systems": [r.as_dict() for r in reports]}
        if errors:
            out["errors"] = reports[0].misses
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"Toponym resolution: {path.name}")
    for col in ("system", "toponyms", "acc@161", "median km", "mean km", "AUC", "coverage"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for r in reports:
        d = r.as_dict()
        table.add_row(
            str(d["system"]),
            str(d["toponyms"]),
            f"{d['accuracy_161km']:.3f}",
            str(d["median_km"]),
            str(d["mean_km"]),
            f"{d['auc']:.3f}",
            f"{d['coverage']:.3f}",
        )
    print_table(table)
    if errors:
        for m in reports[0].misses:
            click.echo(json.dumps(m, ensure_ascii=False))


@click.group("gazetteer")
def gazetteer_group() -> None:
    """The offline gazetteer: add your own places (a GeoNames dump or a CSV)."""


@gazetteer_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where user places are kept (default: $WARLOG_DATA_DIR or ~/.local/share/warlog).",
)
def gazetteer_add(file: Path, data_dir: Path | None) -> None:
    """Load FILE into your gazetteer: GeoNames format (allCountries.txt, SY.txt) or a CSV with
    name,lat,lon,admin1,admin2,country. Later runs resolve places against it too."""
    from warlog.resolve.gazetteer import add_user_file, default_user_dir

    target = data_dir or default_user_dir()
    try:
        n = add_user_file(file, target)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    err.print(f"Added {n} place(s) from {file} to {target}", highlight=False)
