"""The ``warlog`` command: parse flags, call the library, print. Nothing else lives here."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from warlog import __version__
from warlog.codec import article_meta_json, claim_json
from warlog.errors import E, WarlogError
from warlog.ingest.tabular import parse_map
from warlog.pipeline import IngestReport, ingest_paths
from warlog.records import OUTCOMES, SCOPES, Article, Claim, Problem
from warlog.settings import DEFAULT_MAX_BYTES, IngestOptions, database_url
from warlog.store import Store

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# Tables sent to a file or a pipe are not wrapped to a phantom 80-column terminal.
PIPE_WIDTH = 200


def _print_table(table: Table) -> None:
    console = out if out.is_terminal else Console(width=PIPE_WIDTH)
    console.print(table)


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        metavar="URL",
        help="Database: a SQLite file path or a SQLAlchemy URL (default: $WARLOG_DB or ./warlog.db).",
    )(f)


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(f)


@contextmanager
def _store(db: str | None, *, readonly: bool = False) -> Iterator[Store]:
    """The store for one command; ``readonly`` for commands that only read (they never wait
    for a writer's lock). A store failing under a query is one E130 line, not a traceback."""
    url = database_url(db)
    store = Store(url, readonly=readonly)
    try:
        yield store
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise WarlogError(E.E130, url=db or url, reason=reason) from exc
    finally:
        store.close()


class WarlogGroup(click.Group):
    """Turns library errors into one ``Error:`` line and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WarlogError as exc:
            err.print(f"[red]Error:[/red] {escape(str(exc))}", markup=True, highlight=False)
            ctx.exit(1)
        except KeyboardInterrupt:
            err.print("Interrupted: files not finished were rolled back; re-run to finish them.")
            ctx.exit(130)


@click.group(cls=WarlogGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warlog")
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """warlog: a sourced, geocoded ledger of violent events and casualty claims from conflict news."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def workers_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--workers N``: the one definition shared by run, ingest, extract and batch."""
    return click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes that clean and extract (this process alone writes the store; "
        "the result is the same for any N). Default: this machine's cores; runs of fewer "
        "than 16 new pages stay in one process.",
    )(f)


def _ingest_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = workers_option(f)
    f = click.option(
        "--map",
        "column_map",
        metavar="FIELD=COLUMN,...",
        help="Dataset columns for JSONL/CSV input; fields: text, title, date, outlet, url, id.",
    )(f)
    f = click.option(
        "--focus-country",
        metavar="CC",
        help="The country the collection is about (ISO alpha-2, e.g. SY): places resolve there first. "
        "Default: $WARLOG_FOCUS_COUNTRY.",
    )(f)
    f = click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        help="Largest single page accepted (containers are streamed; the limit applies per record).",
    )(f)
    f = click.option(
        "--retry-failed",
        is_flag=True,
        help="Read again the records that failed in earlier runs (they are skipped otherwise).",
    )(f)
    return click.argument("paths", nargs=-1, required=True, metavar="PATH...")(f)


def _run_ingest(
    store: Store,
    paths: tuple[str, ...],
    column_map: str | None,
    max_bytes: int,
    command: str,
    focus_country: str | None = None,
    retry_failed: bool = False,
    workers: int | None = None,
) -> IngestReport:
    options = IngestOptions(
        max_bytes=max_bytes,
        column_map=parse_map(column_map),
        retry_failed=retry_failed,
        workers=workers,
    )
    if focus_country:
        options = replace(options, focus_country=focus_country.upper())
    show = err.is_terminal
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not show,
    ) as progress:
        task = progress.add_task("ingesting", total=None)

        def on_input(name: str) -> None:
            progress.update(task, advance=1, description=f"ingesting {name[-50:]}")

        report = ingest_paths(
            store,
            list(paths),
            options,
            command=command,
            on_input=on_input,
            on_problem=_print_problem,
        )
    return report


def _print_problem(p: Problem) -> None:
    label = "[red]error[/red]" if p.fatal else "[yellow]warning[/yellow]"
    err.print(f"{label}: {escape(str(p))}", markup=True, highlight=False)


def _summary(report: IngestReport) -> str:
    parts = [
        f"{report.inputs} input(s)",
        f"{report.pages_new} new page(s)",
        f"{len(report.articles_new)} new article(s)",
    ]
    if report.claims_new:
        parts.append(f"{report.claims_new} claim(s) extracted")
    if report.pages_unchanged:
        parts.append(f"{report.pages_unchanged} page(s) already stored")
    if report.duplicates:
        parts.append(f"{report.duplicates} recorded as duplicates")
    if report.failed:
        parts.append(f"{report.failed} failed")
    if report.warnings:
        parts.append(f"{report.warnings} warning(s)")
    return "Ingested " + ", ".join(parts) + "."


@main.command()
@db_option
@_ingest_options
def ingest(
    db: str | None,
    paths: tuple[str, ...],
    column_map: str | None,
    max_bytes: int,
    focus_country: str | None,
    retry_failed: bool,
    workers: int | None,
) -> None:
    """Read pages (text, HTML, WARC, RSS/Atom, JSONL, CSV; files, folders or - for stdin) into the store.

    Re-ingesting the same input adds nothing. Each file is stored in one
    transaction. Exits 1 when some inputs failed (each is named on stderr).
    """
    with _store(db) as store:
        report = _run_ingest(
            store, paths, column_map, max_bytes, "ingest", focus_country, retry_failed, workers
        )
    err.print(_summary(report), highlight=False)
    if report.failed:
        sys.exit(1)


@main.command()
@db_option
@_ingest_options
@click.option("--claims", "claims_too", is_flag=True, help="Also print every article's claims.")
def run(
    db: str | None,
    paths: tuple[str, ...],
    column_map: str | None,
    max_bytes: int,
    focus_country: str | None,
    retry_failed: bool,
    workers: int | None,
    claims_too: bool,
) -> None:
    """The main job: ingest, extract, resolve and link PATH..., then print the ledger of events."""
    with _store(db) as store:
        report = _run_ingest(
            store, paths, column_map, max_bytes, "run", focus_country, retry_failed, workers
        )
        err.print(_summary(report), highlight=False)
        arts = [a for a in store.articles() if _under(a.source, paths)]
        _print_articles(arts, title=f"Articles from {', '.join(paths)}")
        if claims_too:
            _print_claims(arts, store.claims(article_ids=[a.id for a in arts]))
        events = store.events(ids=store.event_ids_of_articles([a.id for a in arts]))
        from warlog.cli_events import print_ledger

        print_ledger(events, title=f"Ledger: {len(events)} event(s) reported in {', '.join(paths)}")
    if report.failed:
        sys.exit(1)


def _under(source: str, paths: tuple[str, ...]) -> bool:
    """Did this article come from one of the inputs (a file, a folder's file, a record in a file)?"""
    for p in paths:
        if p == "-" and source.startswith("<stdin>"):
            return True
        base = p.rstrip("/")
        if source == p or source.startswith((base + "/", p + ":", p + "#", p + "[")):
            return True
    return False


@main.command("articles")
@db_option
@json_option
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before this day.")
@click.option("--no-duplicates", is_flag=True, help="Hide articles recorded as copies of another.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
def articles_cmd(
    db: str | None, as_json: bool, since: Any, until: Any, no_duplicates: bool, limit: int | None
) -> None:
    """List stored articles."""
    with _store(db, readonly=True) as store:
        arts = store.articles(
            since=since.date() if since else None,
            until=until.date() if until else None,
            include_duplicates=not no_duplicates,
            limit=limit,
        )
    if as_json:
        for a in arts:
            click.echo(json.dumps(article_meta_json(a), ensure_ascii=False))
    else:
        _print_articles(arts, title="Articles")


@main.command("article")
@db_option
@json_option
@click.argument("article_id")
def article_cmd(db: str | None, as_json: bool, article_id: str) -> None:
    """Show one article: metadata, how each field was found, and its cleaned text."""
    with _store(db, readonly=True) as store:
        a = store.article(article_id)
    if as_json:
        click.echo(json.dumps(article_meta_json(a, text=True), ensure_ascii=False, indent=2))
        return
    for key, value in article_meta_json(a).items():
        click.echo(f"{key:>14}: {value}")
    click.echo("")
    click.echo(a.text)


@main.command("runs")
@db_option
@json_option
def runs_cmd(db: str | None, as_json: bool) -> None:
    """The ingestion log: one line per run."""
    with _store(db, readonly=True) as store:
        runs = store.runs()
    if as_json:
        for r in runs:
            click.echo(json.dumps({**asdict(r), "status": r.status}, default=str))
        return
    table = Table(title="Ingestion runs")
    for col in (
        "id",
        "started",
        "command",
        "inputs",
        "new pages",
        "new articles",
        "problems",
        "status",
    ):
        table.add_column(col)
    for r in runs:
        table.add_row(
            str(r.id), r.started_at.isoformat(timespec="seconds"), r.command, str(r.inputs),
            str(r.pages_new), str(r.articles_new), str(r.problems),
            r.status if r.finished_at else "[red]interrupted[/red]",
        )  # fmt: skip
    _print_table(table)


def _print_claims(arts: list[Article], claims: list[Claim]) -> None:
    by_article: dict[str, list[Claim]] = {}
    for c in claims:
        by_article.setdefault(c.article_id, []).append(c)
    for a in arts:
        mine = by_article.get(a.id, [])
        if not mine:
            continue
        table = Table(
            title=escape(
                f"{a.title or a.id} ({a.outlet or 'unknown outlet'}, {a.published or 'no date'})"
            ),
            title_justify="left",
        )
        for col in (
            "outcome",
            "count",
            "low",
            "high",
            "victims",
            "perpetrator",
            "type",
            "scope",
            "place",
            "date",
            "claimant",
            "conf.",
        ):
            table.add_column(col)
        for c in mine:
            table.add_row(
                c.outcome, escape(c.count_text), _n(c.low), _n(c.high), escape(c.victims.text or c.victims.kind),
                escape(c.perpetrator.name or "") if c.perpetrator else "", c.event_type, c.scope,
                escape(_place(c)), _date(c), escape(_claimant(c)), f"{c.confidence:.2f}",
            )  # fmt: skip
        _print_table(table)


def _n(v: int | None) -> str:
    return "" if v is None else str(v)


def _place(c: Claim) -> str:
    p = c.place
    return f"{p.name} ({p.precision})" if p is not None else ""


def _date(c: Claim) -> str:
    d = c.date
    if d is None or d.start is None:
        return ""
    return (
        d.start.isoformat()
        if d.end in (None, d.start)
        else f"{d.start.isoformat()}..{d.end.isoformat()}"
    )


def _claimant(c: Claim) -> str:
    if c.claimant is None:
        return ""
    name = c.claimant.name or c.claimant.text
    return name + (f" via {', '.join(c.claimant.chain)}" if c.claimant.chain else "")


@main.command("claims")
@db_option
@json_option
@click.option("--outcome", type=click.Choice(OUTCOMES), help="Only this outcome.")
@click.option("--scope", type=click.Choice(SCOPES), help="Incidents or cumulative tallies.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
def claims_cmd(
    db: str | None, as_json: bool, outcome: str | None, scope: str | None, limit: int | None
) -> None:
    """List stored claims (one JSON object per claim with --json)."""
    with _store(db, readonly=True) as store:
        claims = store.claims(outcome=outcome, scope=scope, limit=limit)
        arts = store.articles(ids=sorted({c.article_id for c in claims}))
    if as_json:
        for c in claims:
            click.echo(
                json.dumps({"article_id": c.article_id, **claim_json(c)}, ensure_ascii=False)
            )
        return
    _print_claims(arts, claims)


@main.command("extract")
@click.argument("path", default="-", metavar="[PATH|-]")
@json_option
@click.option(
    "--map", "column_map", metavar="FIELD=COLUMN,...", help="Dataset columns, as for ingest."
)
@click.option(
    "--focus-country",
    metavar="CC",
    help="The country the texts are about (ISO alpha-2): places resolve there first. "
    "Default: $WARLOG_FOCUS_COUNTRY.",
)
@workers_option
def extract_cmd(
    path: str,
    as_json: bool,
    column_map: str | None,
    focus_country: str | None,
    workers: int | None,
) -> None:
    """Extract claims without a database: anything `ingest` reads in, one JSON object per article out.

    JSONL input may carry text, title, outlet, published and id. Exits 1 when some inputs failed.
    """
    from warlog.codec import article_json
    from warlog.pipeline import extract_articles, read_articles

    options = IngestOptions(column_map=parse_map(column_map), workers=workers)
    problems: list[Problem] = []

    def on_problem(p: Problem) -> None:
        problems.append(p)
        _print_problem(p)

    focus = focus_country or os.environ.get("WARLOG_FOCUS_COUNTRY") or None
    options = replace(options, focus_country=focus.upper() if focus else None)
    articles = read_articles([path], options, on_problem=on_problem)
    for result in extract_articles(articles, options, on_problem=on_problem):
        if as_json:
            click.echo(json.dumps(article_json(result), ensure_ascii=False))
        else:
            _print_claims([result.article], list(result.claims))
    if any(p.fatal for p in problems):
        sys.exit(1)


@main.group("eval")
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
    _print_table(t)
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
    _print_table(c)
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
    _print_table(t)
    for e in scores.errors:
        click.echo(json.dumps(e, ensure_ascii=False))


@main.group("gazetteer")
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


def _print_articles(arts: list[Article], title: str) -> None:
    table = Table(title=f"{escape(title)} ({len(arts)})", show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("outlet")
    table.add_column("title")
    table.add_column("chars", justify="right")
    table.add_column("copy of")
    for a in arts:
        table.add_row(
            a.id,
            a.published.isoformat() if a.published else "[dim]none[/dim]",
            escape(a.outlet) if a.outlet else "[dim]unknown[/dim]",
            escape(a.title) if a.title else "[dim](no headline)[/dim]",
            str(len(a.text)),
            a.duplicate_of or "",
        )
    _print_table(table)


if __name__ == "__main__":
    main()


# Command groups in their own modules (events, serve, batch): importing them registers them
# on ``main``.
from warlog import cli_batch, cli_doctor, cli_events, cli_places, cli_serve, cli_watch  # noqa: E402, F401
