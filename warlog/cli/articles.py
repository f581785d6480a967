"""The stored records: ``warlog articles``, ``article``, ``claims`` and the ``runs`` log."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from warlog.cli.common import open_store, print_table
from warlog.cli.options import db_option, json_option
from warlog.codec import article_meta_json, claim_json
from warlog.records import OUTCOMES, SCOPES, Article, Claim


@click.command("articles")
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
    with open_store(db, readonly=True) as store:
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
        print_articles(arts, title="Articles")


@click.command("article")
@db_option
@json_option
@click.argument("article_id")
def article_cmd(db: str | None, as_json: bool, article_id: str) -> None:
    """Show one article: metadata, how each field was found, and its cleaned text."""
    with open_store(db, readonly=True) as store:
        a = store.article(article_id)
    if as_json:
        click.echo(json.dumps(article_meta_json(a, text=True), ensure_ascii=False, indent=2))
        return
    for key, value in article_meta_json(a).items():
        click.echo(f"{key:>14}: {value}")
    click.echo("")
    click.echo(a.text)


@click.command("runs")
@db_option
@json_option
def runs_cmd(db: str | None, as_json: bool) -> None:
    """The ingestion log: one line per run."""
    with open_store(db, readonly=True) as store:
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
    print_table(table)


def print_claims(arts: list[Article], claims: list[Claim]) -> None:
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
        print_table(table)


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


@click.command("claims")
@db_option
@json_option
@click.option("--outcome", type=click.Choice(OUTCOMES), help="Only this outcome.")
@click.option("--scope", type=click.Choice(SCOPES), help="Incidents or cumulative tallies.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
def claims_cmd(
    db: str | None, as_json: bool, outcome: str | None, scope: str | None, limit: int | None
) -> None:
    """List stored claims (one JSON object per claim with --json)."""
    with open_store(db, readonly=True) as store:
        claims = store.claims(outcome=outcome, scope=scope, limit=limit)
        arts = store.articles(ids=sorted({c.article_id for c in claims}))
    if as_json:
        for c in claims:
            click.echo(
                json.dumps({"article_id": c.article_id, **claim_json(c)}, ensure_ascii=False)
            )
        return
    print_claims(arts, claims)


def print_articles(arts: list[Article], title: str) -> None:
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
    print_table(table)
