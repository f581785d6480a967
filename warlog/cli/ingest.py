"""``warlog ingest``, ``run`` and ``extract``: pages in, claims and events out."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from warlog.cli.articles import print_articles, print_claims
from warlog.cli.common import err, open_store, print_problem
from warlog.cli.events import print_ledger
from warlog.cli.options import db_option, ingest_options, json_option, workers_option
from warlog.ingest.tabular import parse_map
from warlog.pipeline import IngestReport, ingest_paths
from warlog.records import Problem
from warlog.settings import IngestOptions
from warlog.store import Store


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
            on_problem=print_problem,
        )
    return report


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


@click.command()
@db_option
@ingest_options
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
    with open_store(db) as store:
        report = _run_ingest(
            store, paths, column_map, max_bytes, "ingest", focus_country, retry_failed, workers
        )
    err.print(_summary(report), highlight=False)
    if report.failed:
        sys.exit(1)


@click.command()
@db_option
@ingest_options
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
    with open_store(db) as store:
        report = _run_ingest(
            store, paths, column_map, max_bytes, "run", focus_country, retry_failed, workers
        )
        err.print(_summary(report), highlight=False)
        arts = [a for a in store.articles() if _under(a.source, paths)]
        print_articles(arts, title=f"Articles from {', '.join(paths)}")
        if claims_too:
            print_claims(arts, store.claims(article_ids=[a.id for a in arts]))
        events = store.events(ids=store.event_ids_of_articles([a.id for a in arts]))
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


@click.command("extract")
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
        print_problem(p)

    focus = focus_country or os.environ.get("WARLOG_FOCUS_COUNTRY") or None
    options = replace(options, focus_country=focus.upper() if focus else None)
    articles = read_articles([path], options, on_problem=on_problem)
    for result in extract_articles(articles, options, on_problem=on_problem):
        if as_json:
            click.echo(json.dumps(article_json(result), ensure_ascii=False))
        else:
            print_claims([result.article], list(result.claims))
    if any(p.fatal for p in problems):
        sys.exit(1)
