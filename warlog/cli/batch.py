"""``warlog batch``: the main job on Apache Spark (added to ``main`` in ``warlog.cli``)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from warlog.cli.common import err, open_store, print_problem
from warlog.cli.options import workers_option
from warlog.errors import E, WarlogError
from warlog.ingest.tabular import parse_map
from warlog.settings import DEFAULT_MAX_BYTES, IngestOptions


@click.command("batch")
@click.argument("paths", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--engine",
    type=click.Choice(["spark", "local"]),
    default="spark",
    show_default=True,
    help="spark: a Spark master (--master); local: this machine's cores (--workers), no Spark.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Output directory (Parquet tables).",
)
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL.")
@click.option(
    "--map", "column_map", metavar="FIELD=COLUMN,...", help="Dataset columns, as for ingest."
)
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True
)
@click.option(
    "--focus-country", metavar="CC", help="The country the collection is about (ISO alpha-2)."
)
@click.option(
    "--load-db", metavar="URL", help="Then load the output into this store (SQLite path or URL)."
)
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    help="Partitions for extraction and linking (default: 2 per core).",
)
@click.option(
    "--records-per-task",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Big JSONL/CSV files are split into tasks of this many records.",
)
@click.option(
    "--driver-link-max",
    type=click.IntRange(min=0),
    default=50_000,
    show_default=True,
    help="Link on the driver up to this many articles (no shuffle); above, or with 0, "
    "a blocking join on the executors.",
)
@click.option(
    "--conf",
    "confs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A Spark setting (repeatable), e.g. spark.executor.memory=4g.",
)
@workers_option
def batch(
    paths: tuple[str, ...],
    engine: str,
    out_dir: str,
    master: str,
    column_map: str | None,
    max_bytes: int,
    focus_country: str | None,
    load_db: str | None,
    partitions: int | None,
    records_per_task: int,
    driver_link_max: int,
    confs: tuple[str, ...],
    workers: int | None,
) -> None:
    """Ingest, extract, resolve and link INPUT... on Spark; write Parquet tables to --out."""
    options = IngestOptions(max_bytes=max_bytes, column_map=parse_map(column_map), workers=workers)
    if focus_country:
        options = replace(options, focus_country=focus_country.upper())
    if engine == "local":
        _local(paths, out_dir, options, load_db)
        return
    from warlog.batch import job, spark

    extra = {}
    for c in confs:
        key, eq, value = c.partition("=")
        if not eq or not key.strip():
            raise WarlogError(E.E118, what=f"--conf {c!r}", reason="expected KEY=VALUE")
        extra[key.strip()] = value.strip()
    sc = spark.context(master, extra=extra)
    try:
        report = job.run(
            sc,
            list(paths),
            out_dir,
            options,
            records_per_task=records_per_task,
            partitions=partitions,
            driver_link_max=driver_link_max,
        )
    finally:
        sc.stop()
    for p in report.problems:
        where = f"{p.source}:{p.line}" if p.line else p.source
        kind = "error" if p.fatal else "warning"
        err.print(f"{kind}: {where}: {p.message}", highlight=False, markup=False)
    secs = sum(report.seconds.values())
    err.print(
        f"{report.articles} articles ({report.duplicates} copies) from {report.pages} pages, "
        f"{report.claims} claims, {report.events} events; {secs:.1f} s; "
        f"Parquet in {Path(out_dir).resolve()}",
        highlight=False,
        markup=False,
    )
    _load(out_dir, load_db)
    if report.failed:
        sys.exit(1)


def _load(out_dir: str, load_db: str | None) -> None:
    if load_db:
        from warlog.batch.load import load

        with open_store(load_db) as store:
            counts = load(store, out_dir)
        err.print(
            f"loaded {counts['articles']} articles, {counts['claims']} claims, "
            f"{counts['events']} events",
            highlight=False,
            markup=False,
        )


def _local(
    paths: tuple[str, ...], out_dir: str, options: IngestOptions, load_db: str | None
) -> None:
    from warlog.batch import local

    report, counts = local.run(list(paths), out_dir, options, on_problem=print_problem)
    err.print(
        f"{counts['articles']} articles ({report.duplicates} copies) from {counts['pages']} "
        f"pages, {counts['claims']} claims, {counts['events']} events; "
        f"Parquet and warlog.db in {Path(out_dir).resolve()}",
        highlight=False,
        markup=False,
    )
    _load(out_dir, load_db)
    if report.failed:
        sys.exit(1)
