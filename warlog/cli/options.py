"""Options shared by several commands, defined once (like sqlite-utils' ``output_options``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from warlog.records import DEFAULT_NEAR_KM
from warlog.settings import DEFAULT_MAX_BYTES


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        metavar="URL",
        help="Database: a SQLite file path or a SQLAlchemy URL (default: $WARLOG_DB or ./warlog.db).",
    )(f)


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(f)


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


def ingest_options(f: Callable[..., Any]) -> Callable[..., Any]:
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


def event_filters(f: Any) -> Any:
    """The event filters of ``events`` and ``export``."""
    for opt in reversed(
        [
            click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="On or after this day."),
            click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="On or before this day."),
            click.option("--near", metavar="PLACE", help="Within --km of this place (a gazetteer name or LAT,LON)."),
            click.option("--km", type=click.FloatRange(min=0), default=DEFAULT_NEAR_KM, show_default=True),
            click.option("--actor", help="Perpetrator (words of its name or id)."),
            click.option("--claimant", help="Who gave a figure (words of the source's name)."),
            click.option("--outlet", help="Who published (words of the outlet's name)."),
            click.option("--type", "event_type", help="Event type, e.g. 'air/drone strike'."),
            click.option("--kind", type=click.Choice(["incident", "tally"]), help="Incidents or tallies."),
            click.option("--conflicting", is_flag=True, help="Only events whose sources disagree."),
            click.option("--flagged", is_flag=True, help="Only events with a plausibility flag."),
            click.option("--focus-country", metavar="CC", help="The collection's country, for the outside-country flag (default: the country of most incidents)."),
            click.option("--limit", type=click.IntRange(min=1), help="At most this many."),
        ]
    ):  # fmt: skip
        f = opt(f)
    return f
