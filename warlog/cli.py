"""The ``warlog`` command: parse flags, call the library, print. Nothing else lives here."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from warlog import __version__
from warlog.errors import WarlogError
from warlog.ingest.tabular import parse_map
from warlog.pipeline import IngestReport, ingest_paths
from warlog.records import Article, Problem
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
def _store(db: str | None) -> Iterator[Store]:
    store = Store(database_url(db))
    try:
        yield store
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


def _ingest_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--map",
        "column_map",
        metavar="FIELD=COLUMN,...",
        help="Dataset columns for JSONL/CSV input; fields: text, title, date, outlet, url, id.",
    )(f)
    f = click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        help="Largest single page accepted (containers are streamed; the limit applies per record).",
    )(f)
    return click.argument("paths", nargs=-1, required=True, metavar="PATH...")(f)


def _run_ingest(
    store: Store, paths: tuple[str, ...], column_map: str | None, max_bytes: int, command: str
) -> IngestReport:
    options = IngestOptions(max_bytes=max_bytes, column_map=parse_map(column_map))
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
def ingest(db: str | None, paths: tuple[str, ...], column_map: str | None, max_bytes: int) -> None:
    """Read pages (text, HTML, WARC, RSS/Atom, JSONL, CSV; files, folders or - for stdin) into the store.

    Re-ingesting the same input adds nothing. Each file is stored in one
    transaction. Exits 1 when some inputs failed (each is named on stderr).
    """
    with _store(db) as store:
        report = _run_ingest(store, paths, column_map, max_bytes, "ingest")
    err.print(_summary(report), highlight=False)
    if report.failed:
        sys.exit(1)


@main.command()
@db_option
@_ingest_options
def run(db: str | None, paths: tuple[str, ...], column_map: str | None, max_bytes: int) -> None:
    """The main job: ingest PATH... and print what the store now holds from them."""
    with _store(db) as store:
        report = _run_ingest(store, paths, column_map, max_bytes, "run")
        err.print(_summary(report), highlight=False)
        arts = [a for a in store.articles() if _under(a.source, paths)]
        _print_articles(arts, title=f"Articles from {', '.join(paths)}")
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
    with _store(db) as store:
        arts = store.articles(
            since=since.date() if since else None,
            until=until.date() if until else None,
            include_duplicates=not no_duplicates,
            limit=limit,
        )
    if as_json:
        for a in arts:
            click.echo(json.dumps(_article_json(a, text=False), ensure_ascii=False))
    else:
        _print_articles(arts, title="Articles")


@main.command("article")
@db_option
@json_option
@click.argument("article_id")
def article_cmd(db: str | None, as_json: bool, article_id: str) -> None:
    """Show one article: metadata, how each field was found, and its cleaned text."""
    with _store(db) as store:
        a = store.article(article_id)
    if as_json:
        click.echo(json.dumps(_article_json(a, text=True), ensure_ascii=False, indent=2))
        return
    for key, value in _article_json(a, text=False).items():
        click.echo(f"{key:>14}: {value}")
    click.echo("")
    click.echo(a.text)


@main.command("runs")
@db_option
@json_option
def runs_cmd(db: str | None, as_json: bool) -> None:
    """The ingestion log: one line per run."""
    with _store(db) as store:
        runs = store.runs()
    if as_json:
        for r in runs:
            click.echo(json.dumps(asdict(r), default=str))
        return
    table = Table(title="Ingestion runs")
    for col in ("id", "started", "command", "inputs", "new pages", "new articles", "problems"):
        table.add_column(col)
    for r in runs:
        table.add_row(
            str(r.id), r.started_at.isoformat(timespec="seconds"), r.command, str(r.inputs),
            str(r.pages_new), str(r.articles_new), str(r.problems),
        )  # fmt: skip
    _print_table(table)


def _article_json(a: Article, text: bool) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "outlet_how": a.outlet_how,
        "published": a.published.isoformat() if isinstance(a.published, date) else None,
        "published_how": a.published_how,
        "url": a.url,
        "source": a.source,
        "external_id": a.external_id,
        "duplicate_of": a.duplicate_of,
        "duplicate_how": a.duplicate_how,
        "removed": list(a.removed),
        "chars": len(a.text),
    }
    if text:
        d["text"] = a.text
    return d


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
