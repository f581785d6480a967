"""``warlog watch`` and ``warlog feeds`` (added to ``main`` in ``warlog.cli``)."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from warlog.cli.common import err, open_store, out, print_table
from warlog.cli.options import db_option, json_option
from warlog.errors import E, WarlogError
from warlog.settings import DEFAULT_MAX_BYTES, IngestOptions

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
CONTACT_ENV = "WARLOG_CONTACT"
SECRET_ENV = "WARLOG_WEBHOOK_SECRET"


def parse_duration(value: str) -> float:
    """``90``, ``90s``, ``15m``, ``1h``, ``1d`` -> seconds."""
    m = _DURATION.match(value)
    if not m or float(m.group(1)) <= 0:
        raise WarlogError(E.E123, value=value)
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


def read_feeds_file(path: Path) -> list[str]:
    """One feed URL per line; blank lines and # comments are skipped."""
    from warlog.watch.service import check_url

    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise WarlogError(E.E102, path=str(path), reason=reason) from exc
    urls = []
    for n, line in enumerate(lines, 1):
        words = line.split()
        if words and not words[0].startswith("#"):  # the URL, then anything (a note) after it
            urls.append(check_url(words[0], f"{path}:{n}"))
    return urls


@click.command("watch")
@click.argument("feeds_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--feed", "feed_urls", multiple=True, metavar="URL", help="A feed to watch (repeatable)."
)
@db_option
@click.option(
    "--interval",
    default="15m",
    show_default=True,
    help="Time between two polls of a feed (90s, 15m, 1h).",
)
@click.option("--once", is_flag=True, help="Poll every due feed one time, then exit (for cron).")
@click.option(
    "--alert",
    "alert_rules",
    multiple=True,
    metavar="RULE",
    help="An alert rule, e.g. 'killed>=10', 'near=Idlib km=30', 'actor=...', conflict, revision.",
)
@click.option(
    "--alerts-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Alert rules, one per line.",
)
@click.option(
    "--alert-to",
    "alert_to",
    multiple=True,
    metavar="TARGET",
    help="Where alerts go: - (stdout, the default), a file to append to, or a webhook URL.",
)
@click.option(
    "--contact",
    metavar="EMAIL|URL",
    help=f"Put in the User-Agent so site owners can reach you (default: ${CONTACT_ENV}).",
)
@click.option("--timeout", default="20s", show_default=True, help="Timeout of each request.")
@click.option(
    "--min-delay",
    default="2s",
    show_default=True,
    help="Least time between two requests to one host.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest body accepted (feed or page).",
)
@click.option("--max-redirects", type=click.IntRange(min=0), default=5, show_default=True)
@click.option(
    "--dead-after",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="A feed answering 404/410 this many times in a row is dead.",
)
@click.option(
    "--lease",
    default="5m",
    show_default=True,
    help="How long a feed stays reserved for a watcher that died polling it.",
)
@click.option(
    "--no-pages", is_flag=True, help="Read the feed entries only; never fetch their pages."
)
@click.option(
    "--focus-country", metavar="CC", help="The country the feeds are about (ISO alpha-2)."
)
def watch_cmd(
    feeds_file: Path | None,
    feed_urls: tuple[str, ...],
    db: str | None,
    interval: str,
    once: bool,
    alert_rules: tuple[str, ...],
    alerts_file: Path | None,
    alert_to: tuple[str, ...],
    contact: str | None,
    timeout: str,
    min_delay: str,
    max_bytes: int,
    max_redirects: int,
    dead_after: int,
    lease: str,
    no_pages: bool,
    focus_country: str | None,
) -> None:
    """Follow RSS/Atom feeds: fetch each new entry's page, run the pipeline, alert.

    FEEDS_FILE lists feed URLs, one per line. Without feeds, the feeds already in the
    store are watched. SIGTERM or Ctrl-C finishes the article in hand and stops.
    Alerts are JSON lines; a webhook gets them signed with $WARLOG_WEBHOOK_SECRET
    (header X-Warlog-Signature: sha256=HMAC).
    """
    from warlog.store import feeds as feedstore
    from warlog.watch.alerts import Alerter, parse_rule, read_rules, sink_for
    from warlog.watch.client import user_agent
    from warlog.watch.service import Watcher

    urls = (read_feeds_file(feeds_file) if feeds_file else []) + list(feed_urls)
    rules = [parse_rule(r) for r in alert_rules]
    if alerts_file:
        rules += read_rules(alerts_file)
    contact = contact or os.environ.get(CONTACT_ENV) or None
    options = _watch_options(
        interval=interval,
        dead_after=dead_after,
        contact=contact,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        min_delay=min_delay,
        lease=lease,
        no_pages=no_pages,
        focus_country=focus_country,
    )
    # A service says what it polled and found, without -v.
    logging.getLogger("warlog.watch").setLevel(
        min(logging.INFO, logging.getLogger().getEffectiveLevel())
    )
    with open_store(db) as store:
        if not urls and not feedstore.feeds(store):
            raise WarlogError(E.E120)
        alerter = None
        if rules:
            secret = os.environ.get(SECRET_ENV) or None
            sinks = [sink_for(t, secret, user_agent(contact)) for t in alert_to or ("-",)]
            alerter = Alerter(store, rules, sinks)
        watcher = Watcher(store, options, feeds=urls or None, alerter=alerter)
        report = _run_watcher(watcher, once)
    if once:
        err.print(
            f"Polled {len(report.feeds)} feed(s): {len(report.articles)} new article(s), "
            f"{report.claims} claim(s), {len(report.alerts)} alert(s).",
            highlight=False,
        )


def _run_watcher(watcher: Any, once: bool) -> Any:
    """Run the watcher; SIGTERM or Ctrl-C finishes the article in hand, a second one acts."""
    previous: dict[int, Any] = {}

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        err.print(
            f"{signal.Signals(signum).name}: finishing the article in hand, then stopping.",
            highlight=False,
        )
        watcher.stop()
        for s, h in previous.items():  # a second signal acts at once
            signal.signal(s, h)

    for s in (signal.SIGTERM, signal.SIGINT):
        previous[s] = signal.signal(s, on_signal)
    try:
        return watcher.run(once=once)
    finally:
        watcher.client.close()
        for s, h in previous.items():
            signal.signal(s, h)


def _watch_options(
    *,
    interval: str,
    dead_after: int,
    contact: str | None,
    timeout: str,
    max_bytes: int,
    max_redirects: int,
    min_delay: str,
    lease: str,
    no_pages: bool,
    focus_country: str | None,
) -> Any:
    """The watcher's options from the command line's."""
    from warlog.watch.client import ClientOptions
    from warlog.watch.service import WatchOptions
    from warlog.watch.state import Schedule

    ingest = IngestOptions(max_bytes=max_bytes)
    if focus_country:
        ingest = replace(ingest, focus_country=focus_country.upper())
    return WatchOptions(
        schedule=Schedule(interval=parse_duration(interval), dead_after=dead_after),
        client=ClientOptions(
            contact=contact,
            timeout=parse_duration(timeout),
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            min_delay=parse_duration(min_delay),
        ),
        ingest=ingest,
        lease=parse_duration(lease),
        fetch_pages=not no_pages,
    )


@click.command("feeds")
@db_option
@json_option
def feeds_cmd(db: str | None, as_json: bool) -> None:
    """The watched feeds: state, last poll and its outcome, next poll, articles found."""
    from warlog.watch.status import feeds_json

    with open_store(db) as store:
        found = feeds_json(store)
    if as_json:
        for f in found:
            out.print(json.dumps(f, ensure_ascii=False), markup=False, highlight=False)
        return
    table = Table(title=f"{len(found)} feed(s)", title_justify="left")
    for col in ("feed", "state", "last poll", "outcome", "next poll", "articles"):
        table.add_column(col)
    for f in found:
        table.add_row(
            escape(f["title"] or f["url"]) + ("" if not f["title"] else f"\n{escape(f['url'])}"),
            f["state"],
            _when(f["last_poll"]),
            escape(f["last_outcome"] or ""),
            _when(f["next_poll"]),
            str(f["articles_found"]),
        )
    print_table(table)


def _when(iso: str | None) -> str:
    if iso is None:
        return "-"
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
