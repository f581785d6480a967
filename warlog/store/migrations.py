"""Named, numbered schema migrations, each run in a transaction and recorded.

A migration that adds a column to an existing table must add it only when it
is missing: a fresh database gets every table from :mod:`schema` in its
current shape, an old one is brought there step by step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, inspect, select, text, update

from warlog.store import schema, search


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _create(*names: str) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        schema.metadata.create_all(conn, tables=[schema.metadata.tables[n] for n in names])

    return apply


def _index(table: str, name: str) -> Callable[[Connection], None]:
    """Create an index of :mod:`schema` on a table an earlier migration made without it."""

    def apply(conn: Connection) -> None:
        index = next(i for i in schema.metadata.tables[table].indexes if i.name == name)
        if name not in {i["name"] for i in inspect(conn).get_indexes(table)}:
            index.create(conn)

    return apply


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "pages, articles, near-duplicate index, ingestion log",
        _create("ingest_runs", "pages", "articles", "article_lsh", "ingest_log"),
    ),
    Migration(2, "claims and article leads", _create("claims", "leads")),
    Migration(3, "events and their linking units", _create("link_units", "link_blocks", "events")),
    Migration(4, "article full-text search", search.create_index),
    Migration(5, "index of linking blocks by unit", _index("link_blocks", "ix_link_blocks_unit")),
    Migration(6, "records that failed, skipped on re-runs", _create("failed_records")),
    # Versions are not contiguous on every branch (6 may be merged after 7): ``migrate`` runs
    # each unrecorded one, so a gap is harmless and a late 6 still runs on a store at 7 or 8.
    Migration(
        7,
        "event flags and filter texts, event aliases, article quarantine",
        lambda conn: _flags_aliases_quarantine(conn),
    ),
    Migration(
        8,
        "watched feeds, their entries and fired alerts",
        _create("watch_feeds", "watch_entries", "watch_alerts"),
    ),
    Migration(
        9,
        "events: compact list entries, date-span class, indexes for the API's filters",
        lambda conn: _compact_events(conn),
    ),
    # 10 is another branch's; versions need not be contiguous (see above).
    Migration(
        11,
        "events: indexes of the collection's country and of a date window with the filter texts",
        lambda conn: _window_indexes(conn),
    ),
)

LATEST = max(m.version for m in MIGRATIONS)


_V7_COLUMNS = ("flags", "perpetrator_text", "claimant_text", "outlet_text")


def _flags_aliases_quarantine(conn: Connection) -> None:
    """Add the events' flag and filter-text columns (computed again from each stored event's
    JSON, so no re-linking is needed), and create the alias and quarantine tables."""
    from warlog.codec import headline
    from warlog.link.plausibility import codes, flags
    from warlog.store.ledger import filter_texts

    have = {c["name"] for c in inspect(conn).get_columns("events")}
    for name in _V7_COLUMNS:
        if name not in have:
            conn.execute(text(f"ALTER TABLE events ADD COLUMN {name} TEXT NOT NULL DEFAULT ''"))
    schema.metadata.create_all(conn, tables=[schema.event_aliases, schema.quarantine])
    e = schema.events.c
    rows = conn.execute(select(e.id, e.data)).all()
    for row in rows:
        d = json.loads(row.data)
        found = flags(d)
        d["flags"] = found
        d["headline"] = headline(d)
        perp = d.get("perpetrator") or {}
        perpetrators = [perp.get("name") or "", perp.get("actor") or ""] + [
            ((c.get("claim") or {}).get("perpetrator") or {}).get("text") or ""
            for c in d.get("claims", ())
        ]
        conn.execute(
            update(schema.events)
            .where(e.id == row.id)
            .values(
                flags=codes(found),
                data=json.dumps(d, ensure_ascii=False),
                **filter_texts(perpetrators, d.get("claimants", ()), d.get("outlets", ())),
            )
        )


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema.migrations.name):
        return 0
    found = conn.execute(select(schema.migrations.c.version)).scalars().all()
    return max(found, default=0)


def pending(conn: Connection) -> bool:
    """Whether any migration is not recorded yet (a gap below the latest counts too)."""
    if not inspect(conn).has_table(schema.migrations.name):
        return True
    done = set(conn.execute(select(schema.migrations.c.version)).scalars())
    return any(m.version not in done for m in MIGRATIONS)


def migrate(conn: Connection) -> list[Migration]:
    """Apply pending migrations on ``conn`` (inside the caller's transaction)."""
    schema.migrations.create(conn, checkfirst=True)
    # Each migration not yet recorded runs, in order: a database made while a later
    # version existed but an earlier one did not still gets the earlier one.
    done = set(conn.execute(select(schema.migrations.c.version)).scalars())
    applied = []
    for m in MIGRATIONS:
        if m.version in done:
            continue
        m.apply(conn)
        conn.execute(
            schema.migrations.insert().values(
                version=m.version, name=m.name, applied_at=datetime.now(UTC)
            )
        )
        applied.append(m)
    return applied


_V9_COLUMNS = {
    "list_json": "TEXT",
    "list_flags_at": "INTEGER",
    "span_class": "INTEGER NOT NULL DEFAULT 2",
}


def _compact_events(conn: Connection) -> None:
    """Add the events' list entry and span class, computed again from each stored event's
    JSON (no re-linking), the indexes that serve date ranges and types, and the index of the
    actor, claimant and outlet texts (FTS5 trigrams on SQLite, pg_trgm on PostgreSQL)."""
    from warlog.store.compact import list_entry, span_class
    from warlog.store.textindex import create_text_index

    have = {c["name"] for c in inspect(conn).get_columns("events")}
    for name, kind in _V9_COLUMNS.items():
        if name not in have:
            conn.execute(text(f"ALTER TABLE events ADD COLUMN {name} {kind}"))
    e = schema.events.c
    rows = conn.execute(select(e.id, e.data, e.date_start, e.date_end)).all()
    # One statement run for many rows (executemany): an UPDATE per row took minutes on 100k.
    fill = (
        update(schema.events)
        .where(e.id == bindparam("row_id"))
        .values(
            list_json=bindparam("entry"),
            list_flags_at=bindparam("flags_at"),
            span_class=bindparam("span"),
        )
    )
    for i in range(0, len(rows), 2000):
        params = []
        for row in rows[i : i + 2000]:
            entry, flags_at = list_entry(json.loads(row.data))
            params.append(
                {
                    "row_id": row.id,
                    "entry": entry,
                    "flags_at": flags_at,
                    "span": span_class(row.date_start, row.date_end),
                }
            )
        conn.execute(fill, params)
    # Indexes after the fill: built once from sorted rows, not updated row by row.
    for name in (
        "ix_events_span_date",
        "ix_events_type_date",
        "ix_events_oldest",
        "ix_events_newest",
    ):
        _index("events", name)(conn)
    create_text_index(conn)


def _window_indexes(conn: Connection) -> None:
    """The index of the collection's country, and the date-window indexes with the text
    filters' columns (SQLite only: PostgreSQL has no per-span-class reads and its trigram
    indexes serve the text filters; long texts could also pass its B-tree's row limit)."""
    _index("events", "ix_events_kind_country")(conn)
    if conn.dialect.name == "sqlite":
        for name in ("ix_events_window_oldest", "ix_events_window_newest"):
            _index("events", name)(conn)
