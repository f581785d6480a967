"""``warlog doctor``: check a store and repair what can be (added to ``main`` in ``warlog.cli``)."""

from __future__ import annotations

import sys

import click
from rich.markup import escape

from warlog.cli.common import err, out
from warlog.cli.options import db_option
from warlog.settings import database_url


@click.command("doctor")
@db_option
@click.option(
    "--repair", is_flag=True, help="Repair what can be: migrations, full-text index, links."
)
def doctor_cmd(db: str | None, repair: bool) -> None:
    """Check a store: SQLite's integrity, the schema, the JSON of every row, the full-text index
    and the links; one line per problem, exit 1 while any damage remains (0 on a good store)."""
    from warlog.store.doctor import run

    url = database_url(db)
    report = run(url, repair)
    for line in report.repaired:
        err.print(f"[green]repaired:[/green] {escape(line)}", markup=True, highlight=False)
    for f in report.findings:
        label = "[red]error[/red]" if f.damage else "[yellow]note[/yellow]"
        text = str(f).removeprefix("note: ")
        err.print(f"{label}: {escape(text)}", markup=True, highlight=False)
    if report.damaged:
        n = sum(f.damage for f in report.findings)
        can = any(f.repair for f in report.findings if f.damage)
        hint = "; --repair fixes what it can" if can and not repair else ""
        err.print(f"{n} problem(s) in {db or url}{hint}.", highlight=False)
        sys.exit(1)
    out.print(f"{db or url}: no problems found.", markup=False, highlight=False)
