"""Bulk loading and reading of a batch output (``warlog batch``): the store's side.

A batch output's Parquet tables hold the store's pages, articles, claims, units and events
rows. :class:`BulkLoad` writes what the batch computed (``--load-db``) inside the caller's
transaction (``Writer.bulk``); :func:`stored_rows` reads a store back as those rows (the
local engine, whose pipeline writes a SQLite store first). The batch package calls these and
never SQL: this module is the one that knows the tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, literal_column, select

from warlog.link.units import Unit
from warlog.records import Event
from warlog.store import schema
from warlog.store.ledger import _chunks, _unit, delete_events, event_row, unit_row, write_events

# Columns of the events table that only the store keeps (the filters' texts, the flag codes,
# the search text): a batch output's events have the flags inside their JSON.
_STORE_ONLY = (
    "updated_at",
    "search_text",
    "flags",
    "perpetrator_text",
    "claimant_text",
    "outlet_text",
)


class BulkLoad:
    """Writes of a batch output on one connection, in the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def stored_articles(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` already stored (a re-run of a load skips them)."""
        a = schema.articles.c
        out: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            out |= set(self.conn.execute(select(a.id).where(a.id.in_(chunk))).scalars())
        return out

    def add_lead(self, article_id: str, data: str) -> None:
        """Store an article's lead from its JSON as is: the batch already resolved it."""
        d = json.loads(data)
        self.conn.execute(
            insert(schema.leads).values(
                article_id=article_id,
                killed=d.get("killed"),
                wounded=d.get("wounded"),
                perpetrator_id=(d.get("perpetrator") or {}).get("id"),
                event_type=d.get("event_type"),
                data=data,
            )
        )

    def replace_events(
        self, ids: Iterable[str], done: Sequence[tuple[Event, Sequence[Unit]]]
    ) -> None:
        """Delete the events ``ids`` (what an interrupted load wrote) and write ``done``."""
        delete_events(self.conn, ids)
        write_events(self.conn, done)


def unit_from_row(key: str, kind: str, data: str) -> Unit:
    """A unit from its row (a batch output's units table has the store's columns)."""
    return _unit(key, kind, data)


def batch_event_row(ev: Event, units: Sequence[Unit]) -> dict[str, Any]:
    """The event's row in a batch output: the store's columns of always, with its units' keys."""
    row = event_row(ev)
    for name in _STORE_ONLY:
        del row[name]
    row["units"] = sorted(u.key for u in units)
    return row


def batch_unit_rows(ev: Event, units: Sequence[Unit]) -> list[dict[str, Any]]:
    """The event's units' rows, by key."""
    return [unit_row(ev.id, u) for u in sorted(units, key=lambda u: u.key)]


@dataclass(frozen=True, slots=True)
class StoredRows:
    """A store's tables as a batch output's rows (``item_index`` is the storing order, which
    keeps originals before their copies)."""

    pages: list[dict[str, Any]]  # by item_index
    articles: list[dict[str, Any]]  # by (item_index, article_index)
    claims: dict[str, list[str]]  # article id -> its claims' JSON, in their order
    units: list[dict[str, Any]]  # by key
    events: list[dict[str, Any]]  # by id, with "units": their units' keys


def stored_rows(conn: Connection, event_columns: Sequence[str]) -> StoredRows:
    """Every row of a (SQLite) store's pages, articles, claims, units and events;
    ``event_columns`` names the events' columns to read."""
    p, a, c = schema.pages.c, schema.articles.c, schema.claims.c
    u, e, lead, lsh = schema.link_units.c, schema.events.c, schema.leads.c, schema.article_lsh.c
    rowid = literal_column("pages.rowid")
    # Storing order is input order: the item index keeps originals before their copies.
    order = {r.sha256: n for n, r in enumerate(conn.execute(select(p.sha256).order_by(rowid)))}
    pages = [
        {"item_index": order[r.sha256], **r._asdict()}
        for r in conn.execute(
            select(p.sha256, p.source, p.url, p.format, p.encoding, p.fetched_at, p.size, p.body)
        )
    ]
    buckets: dict[str, list[str]] = defaultdict(list)
    for r in conn.execute(select(lsh.article_id, lsh.bucket).order_by(lsh.bucket)):
        buckets[r.article_id].append(r.bucket)
    leads = {r.article_id: r.data for r in conn.execute(select(lead.article_id, lead.data))}
    claims: dict[str, list[Any]] = defaultdict(list)
    extractor: dict[str, str] = {}
    for r in conn.execute(select(c.id, c.article_id, c.idx, c.data, c.extractor)):
        claims[r.article_id].append(r)
        extractor[r.article_id] = r.extractor
    arts = []
    for r in conn.execute(select(schema.articles).order_by(a.id)):
        d = r._asdict()
        d.pop("ingested_at", None)
        d["article_index"] = d.pop("idx")
        d["removed"] = json.loads(d["removed"] or "[]")
        d.update(
            item_index=order[r.page_sha256],
            buckets=buckets.get(r.id, []),
            n_claims=len(claims.get(r.id, ())),
            lead=leads.get(r.id),
            extractor=extractor.get(r.id, ""),
        )
        arts.append(d)
    members: dict[str, list[str]] = defaultdict(list)
    unit_rows = []
    for r in conn.execute(select(u.key, u.article_id, u.kind, u.day, u.event_id, u.data)):
        members[r.event_id].append(r.key)
        unit_rows.append(r._asdict())
    events = [
        {**r._asdict(), "units": sorted(members[r.id])}
        for r in conn.execute(select(*(e[n] for n in event_columns)).order_by(e.id))
    ]
    return StoredRows(
        pages=sorted(pages, key=lambda r: r["item_index"]),
        articles=sorted(arts, key=lambda d: (d["item_index"], d["article_index"])),
        claims={
            aid: [x.data for x in sorted(claims[aid], key=lambda x: x.idx)]
            for aid in sorted(claims)
        },
        units=sorted(unit_rows, key=lambda r: r["key"]),
        events=events,
    )
