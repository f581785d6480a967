"""An index of the texts the ``actor``, ``claimant`` and ``outlet`` filters match (migration 9).

The filters are substring matches (``LIKE '%islamic%'`` on lower-cased text), which no B-tree
serves: on 100k events each one read every row. Trigrams serve substrings on both backends:

- SQLite: an FTS5 table with the ``trigram`` tokenizer (``events_text``) over the three
  columns, external content kept in step with ``events`` by triggers (every writer, the
  batch loader included, goes through them). A filter of three characters or more first asks
  it for candidate rows (``rowid IN (... LIKE ...)``, which FTS5 answers from its index); the
  exact ``LIKE`` on ``events`` still decides, so results are the same as without the index.
- PostgreSQL: ``pg_trgm`` GIN indexes on the three columns, which the planner uses for the
  same ``LIKE`` unchanged. ``pg_trgm`` is a trusted extension (a database owner may create
  it); where it cannot be created the migration says so in the log and the filters scan.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, literal_column, select, table, text

log = logging.getLogger(__name__)

FTS_TABLE = "events_text"
COLUMNS = ("perpetrator_text", "claimant_text", "outlet_text")
MIN_CHARS = 3  # a trigram index cannot answer for fewer


def create_text_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        _create_sqlite(conn)
    elif conn.dialect.name == "postgresql":
        _create_pg(conn)


def _create_sqlite(conn: Connection) -> None:
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({cols}, "
        "content='events', content_rowid='rowid', tokenize='trigram')"
    )
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    )
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.rowid, {new});"
    for name, when, body in (
        ("events_text_ai", "AFTER INSERT", insert),
        ("events_text_ad", "AFTER DELETE", delete),
        ("events_text_au", "AFTER UPDATE", delete + " " + insert),
    ):
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {name} {when} ON events BEGIN {body} END"
        )
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


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


def candidates(dialect: str, column: str, value: str) -> Any | None:
    """A ``rowid IN (...)`` condition narrowing ``events`` to rows whose ``column`` may
    contain ``value`` (SQLite), or None where the backend's own index serves the ``LIKE``
    (PostgreSQL) or no trigram index can (fewer than three characters, or LIKE wildcards,
    which FTS5 would not escape)."""
    if dialect != "sqlite" or len(value) < MIN_CHARS or any(ch in value for ch in "%_"):
        return None
    assert column in COLUMNS
    found = (
        select(literal_column("rowid"))
        .select_from(table(FTS_TABLE))
        .where(literal_column(column).like(f"%{value}%"))
    )
    return literal_column("events.rowid").in_(found)
