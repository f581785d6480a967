"""What every command shares: the two consoles, tables that fit a pipe, the store of one
command, and problems printed as one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from warlog.records import Problem
from warlog.settings import database_url
from warlog.store import Store, query_errors

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# Tables sent to a file or a pipe are not wrapped to a phantom 80-column terminal.
PIPE_WIDTH = 200


def print_table(table: Table) -> None:
    console = out if out.is_terminal else Console(width=PIPE_WIDTH)
    console.print(table)


def print_problem(p: Problem) -> None:
    label = "[red]error[/red]" if p.fatal else "[yellow]warning[/yellow]"
    err.print(f"{label}: {escape(str(p))}", markup=True, highlight=False)


@contextmanager
def open_store(db: str | None, *, readonly: bool = False) -> Iterator[Store]:
    """The store for one command; ``readonly`` for commands that only read (they never wait
    for a writer's lock). A store failing under a query is one E130 line, not a traceback."""
    url = database_url(db)
    store = Store(url, readonly=readonly)
    try:
        with query_errors(db or url):
            yield store
    finally:
        store.close()
