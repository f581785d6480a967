"""The event commands of ``warlog``: events, show, export, quarantine, link, eval links."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from warlog.cli.common import err, open_store, out, print_table
from warlog.cli.options import db_option, event_filters, json_option
from warlog.codec import event_json
from warlog.errors import E, WarlogError
from warlog.export import FORMATS, export
from warlog.records import DEFAULT_NEAR_KM, Estimate, Event, EventFilter


def query_events(store: Any, opts: dict[str, Any]) -> list[Event]:
    return store.events(event_filter(store, opts), limit=opts.get("limit"))


def event_filter(store: Any, opts: dict[str, Any]) -> EventFilter:
    """The :class:`EventFilter` of the ``event_filters`` options."""
    near = None
    focus = opts.get("focus_country") or None
    if opts.get("near"):
        from warlog.near import near_place

        place = near_place(opts["near"], focus or store.dominant_country())
        km = opts.get("km") or DEFAULT_NEAR_KM
        # Say which place was used: a name can match somewhere the user did not mean.
        where = f"{place.name} ({place.country})" if place.country else place.name
        err.print(
            f"near {where}, {place.lat:.4f},{place.lon:.4f}, within {km:g} km", highlight=False
        )
        near = (place.lat, place.lon, km)
    return EventFilter(
        since=_day(opts.get("since")),
        until=_day(opts.get("until")),
        near=near,
        actor=opts.get("actor"),
        claimant=opts.get("claimant"),
        outlet=opts.get("outlet"),
        event_type=opts.get("event_type"),
        kind=opts.get("kind"),
        conflicting=bool(opts.get("conflicting")),
        flagged=bool(opts.get("flagged")),
        focus_country=focus,
    )


def _day(v: Any) -> date | None:
    return v.date() if v is not None else None


@click.command("events")
@db_option
@json_option
@event_filters
def events_cmd(db: str | None, as_json: bool, **opts: Any) -> None:
    """The ledger: events by date with place, type, perpetrator and killed low-best-high."""
    with open_store(db, readonly=True) as store:
        found = query_events(store, opts)
    if as_json:
        for e in found:
            line = json.dumps(event_json(e, with_claims=False), ensure_ascii=False)
            out.print(line, markup=False, highlight=False)
        return
    print_ledger(found, title=f"{len(found)} event(s)")


def print_ledger(events: list[Event], title: str) -> None:
    table = Table(title=escape(title), title_justify="left")
    for col in ("event", "date", "place", "type", "perpetrator", "killed (low-best-high)",
                "outlets", "claimants", "!", "flags"):  # fmt: skip
        table.add_column(col)
    for e in events:
        table.add_row(
            e.id, _date(e), escape(_place(e)),
            "tally" if e.kind == "tally" else (e.event_type or ""),
            escape((e.perpetrator.name if e.perpetrator else None) or ""), _headline_figures(e),
            str(len(e.outlets)), str(len(e.claimants)), "conflict" if e.conflict else "",
            ", ".join(f.code for f in e.flags or ()),
        )  # fmt: skip
    print_table(table)


def _date(e: Event) -> str:
    d = e.date
    start = d.start.isoformat() if d and d.start else None
    end = d.end.isoformat() if d and d.end else None
    if e.kind == "tally":
        return f"as of {end}" if end else ""
    if not start:
        return ""
    mark = " (published)" if d and d.precision == "published" else ""
    return (start if end in (None, start) else f"{start}..{end}") + mark


def _place(e: Event) -> str:
    p = e.place
    if not p:
        return ""
    where = p.name + (f", {p.admin1}" if p.admin1 and p.admin1 != p.name else "")
    return f"{where} ({p.country})"


def _headline_figures(e: Event) -> str:
    """Killed, or for an event without deaths its first outcome, named ("36 arrested")."""
    killed = e.estimate("killed")
    if killed:
        return _figures(killed)
    first = next((x for x in e.estimates if x.group == "total"), None)
    return f"{_figures(first)} {first.outcome}" if first else ""


def _figures(k: Estimate | None) -> str:
    if not k:
        return ""
    lo, best, hi = k.low, k.best, k.high
    text = str(best) if lo == best == hi else f"{_n(lo)}-{_n(best)}-{_n(hi)}"
    return text + (" (high: partisan)" if k.high_partisan else "")


def _n(v: int | None) -> str:
    return "?" if v is None else str(v)


@click.command("show")
@db_option
@json_option
@click.option("--focus-country", metavar="CC", help="The collection's country (for the flags).")
@click.argument("event_id")
def show_cmd(db: str | None, as_json: bool, focus_country: str | None, event_id: str) -> None:
    """One event: reconciled figures and every claim side by side (a unique id prefix is enough;
    an old id of an event merged into another shows that event)."""
    with open_store(db, readonly=True) as store:
        e = store.event(event_id, focus_country=focus_country)
    if e.merged_from:
        err.print(f"{e.merged_from} was merged into {e.id}", highlight=False)
    if as_json:
        text = json.dumps(event_json(e), ensure_ascii=False, indent=1)
        out.print(text, markup=False, highlight=False)
        return
    perpetrator = e.perpetrator.name if e.perpetrator and e.perpetrator.name else None
    out.print(
        f"[bold]{escape(e.id)}[/bold]  {e.kind}  {_date(e)}  {escape(_place(e))}  "
        f"{escape(e.event_type or '')}  {escape(perpetrator or 'perpetrator unknown')}",
        highlight=False,
    )
    if e.conflict:
        out.print("[red]Sources disagree[/red] (see the figures marked below).", highlight=False)
    for f in e.flags or ():
        out.print(f"[yellow]Check:[/yellow] {escape(f.message)} ({f.code})", highlight=False)
    print_table(_estimates_table(e))
    print_table(_claims_table(e))
    if e.revisions:
        rev = Table(title="Revisions", title_justify="left")
        for col in ("published", "outlet", "source", "count"):
            rev.add_column(col)
        for v in e.revisions:
            rev.add_row(v.published.isoformat() if v.published else "", escape(v.outlet or ""),
                        escape(v.source), escape(v.count_text))  # fmt: skip
        print_table(rev)


def _estimates_table(e: Event) -> Table:
    est = Table(title="Reconciled figures", title_justify="left")
    for col in ("outcome", "group", "low", "best", "high", "sources", "!"):
        est.add_column(col)
    for x in e.estimates:
        flags = [f for f, on in (("conflict", x.conflict), ("high: partisan only", x.high_partisan))
                 if on]  # fmt: skip
        said = "; ".join(f"{s.name}: {s.count_text}" for s in x.sources)
        est.add_row(x.outcome, x.group, _n(x.low), _n(x.best), _n(x.high),
                    escape(said), ", ".join(flags))  # fmt: skip
    return est


def _claims_table(e: Event) -> Table:
    claims = Table(title="Claims", title_justify="left")
    for col in ("outlet", "published", "claimant", "count", "low", "high", "outcome", "victims",
                "date", "evidence"):  # fmt: skip
        claims.add_column(col)
    for r in e.reports:
        c = r.claim
        cl = c.claimant
        claims.add_row(
            escape(r.outlet or ""), r.published.isoformat() if r.published else "",
            escape((cl.name or cl.text) if cl else ""), escape(c.count_text),
            _n(c.low), _n(c.high), c.outcome, escape(c.victims.text),
            c.date.start.isoformat() if c.date and c.date.start else "",
            escape(c.evidence.sentence),
        )  # fmt: skip
    return claims


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout.")  # fmt: skip
@event_filters
def export_cmd(db: str | None, fmt: str, out_path: Path | None, **opts: Any) -> None:
    """Export events: UCDP GED CSV, ACLED CSV, GeoJSON or JSON Lines (the --json of `show`)."""
    with open_store(db, readonly=True) as store:
        found = query_events(store, opts)
    text = export(found, fmt)
    if out_path is None:
        sys.stdout.write(text)
        return
    try:
        out_path.write_text(text, "utf-8")
    except OSError as exc:
        raise WarlogError(
            E.E118, what="--out", reason=f"cannot write {out_path}: {exc.strerror}"
        ) from exc
    err.print(f"Wrote {len(found)} event(s) to {out_path}", highlight=False)


@click.command("quarantine")
@db_option
@click.option("--restore", is_flag=True, help="Put the article back into the ledger.")
@click.option("--reason", default="", help="Why (kept with the quarantine).")
@click.argument("article_id")
def quarantine_cmd(db: str | None, restore: bool, reason: str, article_id: str) -> None:
    """Take an article out of every event (its events are re-linked without it, old event ids
    redirect) until --restore; the article and its claims are kept."""
    with open_store(db) as store:
        state = store.restore(article_id) if restore else store.quarantine(article_id, reason)
    events = ", ".join(state["events"]) or "none"
    what = "quarantined" if state["quarantined"] else "in the ledger"
    err.print(f"{article_id}: {what}; its events: {events}", highlight=False)


@click.command("link")
@db_option
@click.option("--rebuild", is_flag=True, help="Forget every link and link the whole store again.")
def link_cmd(db: str | None, rebuild: bool) -> None:
    """Link stored claims into events (ingest and run do this as they go)."""
    from warlog.link.incremental import rebuild as relink_all

    if not rebuild:
        err.print(
            "Events are linked as articles are ingested; use --rebuild to link again from scratch."
        )
        return
    with open_store(db) as store, store.transaction() as tx:
        summary = relink_all(tx.links)
    err.print(
        f"Linked {summary.units} unit(s) into {summary.events_new} event(s).", highlight=False
    )


@click.command("links")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.option("--focus-country", default="SY", show_default=True, help="The collection's country.")
def eval_links(dataset: Path, gold: Path, as_json: bool, focus_country: str) -> None:
    """Score event linking: ingest DATASET (JSONL) and compare each article's event with GOLD
    (a partition of article ids into incidents, e.g. tests/fixtures/fakes_dev_clusters.json)."""
    from warlog.evaluate.linking import evaluate_links

    s = evaluate_links(dataset, gold, focus=focus_country or None)
    figures = {
        "articles": s.articles,
        "gold_incidents": s.gold_incidents,
        "predicted_events": s.predicted_events,
        "pairwise_precision": round(s.pairwise_precision, 4),
        "pairwise_recall": round(s.pairwise_recall, 4),
        "bcubed_f1": round(s.bcubed_f1, 4),
        "inflation": round(s.inflation, 4),
    }
    if as_json:
        out.print(json.dumps(figures), markup=False, highlight=False)
        return
    table = Table(title=f"Linking on {dataset.name} against {gold.name}", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for k, v in figures.items():
        table.add_row(k.replace("_", " "), str(v))
    print_table(table)
