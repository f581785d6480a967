"""An index of the texts the ``actor``, ``claimant`` and ``outlet`` filters match (migration 9).

The filters are substring matches (``LIKE '%islamic%'`` on lower-cased text), which no B-tree
serves: on 100k events each one read every row. Trigrams serve substrings on both backends:

- SQLite: an FTS5 table with the ``trigram`` tokenizer (``events_text``) holding each event's
  id and the three texts, kept in step with ``events`` by triggers (every writer, the batch
  loader included, goes through them). A filter of three characters or more, outside a
  bounded date window (where the date index is narrower), first asks it for the ids that may
  match; when they are few the query is limited to them (``id IN (...)``). The exact ``LIKE``
  on ``events`` still decides, so results are the same as without the index.
- PostgreSQL: ``pg_trgm`` GIN indexes on the three columns, which the planner uses for the
  same ``LIKE`` unchanged. ``pg_trgm`` is a trusted extension (a database owner may create
  it); where it cannot be created the migration says so in the log and the filters scan.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, text

log = logging.getLogger(__name__)

FTS_TABLE = "events_text"
COLUMNS = ("perpetrator_text", "claimant_text", "outlet_text")
MIN_CHARS = 3  # a trigram index cannot answer for fewer
# Matches listed at most: each costs a few microseconds, so a common name (every sixth event)
# is found sooner by walking the date index, a rare one (or none) by the list.
FEW = 500


def create_text_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        _create_sqlite(conn)
    elif conn.dialect.name == "postgresql":
        _create_pg(conn)


def _create_sqlite(conn: Connection) -> None:
    # Keyed by the event's id, an indexed column of its own: events have no INTEGER PRIMARY
    # KEY, so VACUUM may renumber their rowids, and an index keyed by rowid would drift.
    cols = ", ".join(("id", *COLUMNS))
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({cols}, tokenize='trigram')"
    )
    new = ", ".join(f"new.{c}" for c in ("id", *COLUMNS))
    insert = f"INSERT INTO {FTS_TABLE}({cols}) VALUES ({new});"
    delete = (
        f"DELETE FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'id:\"' || replace(old.id, '\"', '\"\"') "
        "|| '\"' AND id = old.id;"
    )
    for name, when, body in (
        ("events_text_ai", "AFTER INSERT", insert),
        ("events_text_ad", "AFTER DELETE", delete),
        (
            "events_text_au",
            f"AFTER UPDATE OF {cols}",
            delete + " " + insert,
        ),
    ):
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {name} {when} ON events BEGIN {body} END"
        )
    conn.exec_driver_sql(f"DELETE FROM {FTS_TABLE}")
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({cols}) SELECT {cols} FROM events")


def _create_pg(conn: Connection) -> None:
    where = _pg_trgm_schema(conn)
    if where is None:
        try:
            with conn.begin_nested():
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # no privilege, or the extension is not installed
            log.warning("pg_trgm unavailable (%s): actor/claimant/outlet filters scan", exc)
            return
        where = _pg_trgm_schema(conn)
    for col in COLUMNS:
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_events_{col}_trgm ON events "
            f'USING gin ({col} "{where}".gin_trgm_ops)'
        )


def _pg_trgm_schema(conn: Connection) -> str | None:
    q = text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    found = conn.execute(q).scalar_one_or_none()
    return str(found).strip('"') if found else None


def matching_ids(conn: Connection, column: str, value: str) -> list[str] | None:
    """The ids of the events whose ``column`` may contain ``value``, when they are few (under
    :data:`FEW`); None where the trigram index cannot answer (not SQLite, fewer than three
    characters, LIKE wildcards FTS5 would not escape) or when they are many: then walking the
    date index and testing each row finds a page's worth sooner than listing every match."""
    if conn.dialect.name != "sqlite" or len(value) < MIN_CHARS or any(c in value for c in "%_"):
        return None
    assert column in COLUMNS
    q = text(f"SELECT id FROM {FTS_TABLE} WHERE {column} LIKE :pat LIMIT :few")
    found = list(conn.execute(q, {"pat": f"%{value}%", "few": FEW}).scalars())
    return found if len(found) < FEW else None


def narrowed(conn: Connection, filters: dict[str, Any]) -> list[str] | None:
    """The ids the text filters among ``filters`` allow, when the index finds them few."""
    if filters.get("since") and filters.get("until"):
        # Within a date window the span index already narrows to a few rows.
        return None
    found: set[str] | None = None
    for key, column in (
        ("actor", "perpetrator_text"),
        ("claimant", "claimant_text"),
        ("outlet", "outlet_text"),
    ):
        value = filters.get(key)
        ids = matching_ids(conn, column, value.lower()) if value else None
        if ids is not None:
            found = set(ids) if found is None else found & set(ids)
    return sorted(found) if found is not None else None
