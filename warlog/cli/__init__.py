"""The ``warlog`` command: parse flags, call the library, print. Nothing else lives here.

One module per command group; options shared by several commands are in ``options``, the
consoles and the store of one command in ``common``. The command modules never import this
one: each defines plain click commands, and this module adds them to ``main`` below, so the
imports point one way (``common`` <- ``options`` <- command modules <- here).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click
from rich.markup import escape

from warlog import __version__
from warlog.cli import articles, batch, doctor, evaluate, events, ingest, places, serve, watch
from warlog.cli.common import err
from warlog.errors import WarlogError

__all__ = ["main"]


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


for command in (
    ingest.ingest,
    ingest.run,
    ingest.extract_cmd,
    articles.articles_cmd,
    articles.article_cmd,
    articles.runs_cmd,
    articles.claims_cmd,
    events.events_cmd,
    events.show_cmd,
    events.export_cmd,
    events.quarantine_cmd,
    events.link_cmd,
    places.geoparse_cmd,
    places.gazetteer_group,
    evaluate.eval_group,
    batch.batch,
    serve.serve_cmd,
    watch.watch_cmd,
    watch.feeds_cmd,
    doctor.doctor_cmd,
):
    main.add_command(command)
# ``eval`` scores each stage; the scorers of linking and places live with their commands.
evaluate.eval_group.add_command(events.eval_links)
evaluate.eval_group.add_command(places.eval_places)
