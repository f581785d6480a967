"""``warlog doctor``: say what is wrong with a store, one line per problem, and repair what can be.

Checks, reading only: SQLite's ``integrity_check`` and ``foreign_key_check``, the schema
version and tables, the JSON of every row that keeps some, the full-text index against the
articles, and the links (every unit's event exists, every event has units). Repairs, with
``--repair``: missing migrations applied, the full-text index rebuilt, undecodable claims
re-extracted from their article, and the links rebuilt. Page bytes and article texts are
the source of everything else: damage to them (or to SQLite's own pages) is reported with
the way out, never guessed at.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from warlog.errors import E, WarlogError
from warlog.store import (
    Writer,
    _article,
    _driver_url,
    _refuse_non_store,
    _sqlite_reader,
    migrations,
    schema,
)
from warlog.store.search import FTS_TABLE, PG_INDEX

# Undecodable rows named one by one up to this many per table, then counted.
MAX_ROWS_NAMED = 20
_JSON_COLUMNS = (
    ("claims", "id", "data"),
    ("leads", "article_id", "data"),
    ("events", "id", "data"),
    ("link_units", "key", "data"),
    ("articles", "id", "removed"),
)


@dataclass(frozen=True, slots=True)
class Finding:
    what: str
    fix: str
    repair: str | None = None  # migrate | fts | links | reextract | removed; None: not here
    damage: bool = True  # False: a note (an interrupted run), not damage
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        if not self.damage:
            return f"note: {self.what}; {self.fix}"
        return str(WarlogError(E.E132, what=self.what, fix=self.fix))


@dataclass(slots=True)
class Report:
    findings: list[Finding] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        return any(f.damage for f in self.findings)


def check(url: str) -> list[Finding]:
    """Every problem found in the store at ``url``; nothing is written."""
    _refuse_non_store(url)
    path = _sqlite_path(url)
    if path is not None:
        if not Path(path).exists():
            raise WarlogError(E.E102, path=path, reason="no such file")
        found = list(_sqlite_pages(path))
        if found:
            return found  # SQLite's own pages are damaged: reading the tables means little
    engine = _read_engine(url, path)
    try:
        with engine.connect() as conn:
            return list(_tables(conn))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return [Finding(f"the store cannot be read ({reason})", _RECOVER)]
    finally:
        engine.dispose()


def repair(url: str, findings: list[Finding]) -> list[str]:
    """Repair what the findings allow; returns one line per repair made."""
    from warlog.store import Store

    kinds = {f.repair for f in findings if f.repair}
    done: list[str] = []
    if not kinds:
        return done
    with Store(url) as store:  # opening for writing applies missing migrations
        if "migrate" in kinds:
            done.append(f"schema migrated to version {migrations.LATEST}")
        with store.transaction() as tx:
            if "removed" in kinds:
                ids = [i for f in findings if f.repair == "removed" for i in f.ids]
                a = schema.articles
                tx.conn.execute(a.update().where(a.c.id.in_(ids)).values(removed="[]"))
                done.append(f"{len(ids)} article(s): undecodable debris list reset to []")
            if "reextract" in kinds:
                ids = sorted({i for f in findings if f.repair == "reextract" for i in f.ids})
                _reextract(tx, ids)
                done.append(f"{len(ids)} article(s) re-extracted (their claims were undecodable)")
                kinds.add("links")
            if "fts" in kinds:
                _rebuild_fts(tx.conn)
                done.append("full-text index rebuilt")
            if "links" in kinds:
                from warlog.link.incremental import rebuild

                s = rebuild(tx.links)
                done.append(f"links rebuilt: {s.units} unit(s) into {s.events_new} event(s)")
    return done


def run(url: str, fix: bool) -> Report:
    report = Report(findings=check(url))
    if fix and report.damaged:
        report.repaired = repair(url, report.findings)
        if report.repaired:
            report.findings = check(url)
    return report


# --- checks -------------------------------------------------------------------------

_RECOVER = (
    "not repairable here: restore a backup, or salvage with `sqlite3 FILE .recover | sqlite3 NEW`"
    " and re-ingest"
)


def _sqlite_path(url: str) -> str | None:
    if not url.startswith("sqlite"):
        return None
    db = make_url(url).database
    return None if db in (None, "", ":memory:") else db


def _read_engine(url: str, path: str | None) -> Engine:
    if path is not None:
        return _sqlite_reader(path, readonly=True)
    return create_engine(_driver_url(url), connect_args={"connect_timeout": 10}).execution_options(
        postgresql_readonly=True
    )


def _sqlite_pages(path: str) -> Iterator[Finding]:
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        yield Finding(f"cannot open the file ({exc})", _RECOVER)
        return
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            for r in rows[:MAX_ROWS_NAMED]:
                yield Finding(f"SQLite integrity check: {r}", _RECOVER)
            if len(rows) > MAX_ROWS_NAMED:
                yield Finding(f"and {len(rows) - MAX_ROWS_NAMED} more integrity errors", _RECOVER)
            return
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            yield Finding(
                f"{table} row {rowid} points to a missing {parent} row",
                "re-ingest its input after deleting the row, or restore a backup",
            )
    except sqlite3.DatabaseError as exc:
        yield Finding(f"SQLite cannot read the file ({exc})", _RECOVER)
    finally:
        conn.close()


def _tables(conn: Connection) -> Iterator[Finding]:
    version = migrations.current_version(conn)
    if version > migrations.LATEST:
        yield Finding(
            f"schema version {version} is newer than this warlog ({migrations.LATEST})",
            "upgrade warlog",
        )
        return
    present = set(inspect(conn).get_table_names())
    missing = [t for t in schema.metadata.tables if t not in present]
    if version < migrations.LATEST or missing:
        yield Finding(
            f"schema version {version} of {migrations.LATEST}"
            + (f", tables missing: {', '.join(sorted(missing))}" if missing else ""),
            "--repair applies the missing migrations",
            repair="migrate",
        )
        if missing:
            return
    yield from _json_rows(conn)
    yield from _fts(conn)
    yield from _links(conn)
    r = schema.ingest_runs.c
    for row in conn.execute(select(r.id, r.command, r.started_at).where(r.finished_at.is_(None))):
        yield Finding(
            f"run {row.id} ({row.command}, started {row.started_at:%Y-%m-%d %H:%M}) was interrupted",
            "re-run the same command to finish it (what was stored is whole)",
            damage=False,
        )


def _json_rows(conn: Connection) -> Iterator[Finding]:
    for table, key, column in _JSON_COLUMNS:
        t = schema.metadata.tables[table]
        bad: list[tuple[str, str, str]] = []  # (row key, article id, error)
        art = t.c.article_id if "article_id" in t.c else t.c[key]
        for row in conn.execute(select(t.c[key], art, t.c[column])):
            try:
                json.loads(row[2])
            except (ValueError, TypeError) as exc:
                bad.append((str(row[0]), str(row[1]), str(exc).splitlines()[0]))
        if not bad:
            continue
        fix, kind = {
            "claims": ("--repair re-extracts its article", "reextract"),
            "leads": ("--repair re-extracts its article", "reextract"),
            "articles": ("--repair resets its debris list (kept for audit only)", "removed"),
        }.get(table, ("--repair rebuilds the links", "links"))
        ids = tuple(sorted({b[1] for b in bad}))
        for k, _a, err in bad[:MAX_ROWS_NAMED]:
            yield Finding(f"{table} row {k!r} holds undecodable JSON ({err})", fix, kind, ids=ids)
        if len(bad) > MAX_ROWS_NAMED:
            n = len(bad) - MAX_ROWS_NAMED
            yield Finding(f"and {n} more {table} rows with undecodable JSON", fix, kind, ids=ids)


def _fts(conn: Connection) -> Iterator[Finding]:
    fix = "--repair rebuilds the full-text index"
    if conn.dialect.name == "postgresql":
        if PG_INDEX not in {i["name"] for i in inspect(conn).get_indexes("articles")}:
            yield Finding("the full-text index is missing", fix, "fts")
        return
    if conn.dialect.name != "sqlite":
        return
    q = {
        "article(s) missing from the full-text index": (
            f"SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM {FTS_TABLE})"
        ),
        "full-text entries for articles that are gone": (
            f"SELECT count(*) FROM {FTS_TABLE} WHERE article_id NOT IN (SELECT id FROM articles)"
        ),
        "article(s) indexed more than once": (
            f"SELECT count(*) FROM (SELECT article_id FROM {FTS_TABLE} "
            "GROUP BY article_id HAVING count(*) > 1)"
        ),
        "full-text entries whose text differs from the article's": (
            f"SELECT count(*) FROM {FTS_TABLE} f JOIN articles a ON a.id = f.article_id "
            "WHERE f.text != a.text OR f.title != coalesce(a.title, '')"
        ),
    }
    try:
        for what, sql in q.items():
            n = conn.execute(text(sql)).scalar_one()
            if n:
                yield Finding(f"{n} {what}", fix, "fts")
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        yield Finding(f"the full-text index cannot be read ({reason})", fix, "fts")


def _links(conn: Connection) -> Iterator[Finding]:
    fix = "--repair rebuilds the links"
    checks = {
        "linking unit(s) point to a missing event": (
            "SELECT count(*) FROM link_units WHERE event_id NOT IN (SELECT id FROM events)"
        ),
        "event(s) have no linking unit": (
            "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM link_units)"
        ),
        "linking block(s) point to a missing unit": (
            'SELECT count(*) FROM link_blocks WHERE unit_key NOT IN (SELECT "key" FROM link_units)'
        ),
    }
    for what, sql in checks.items():
        n = conn.execute(text(sql)).scalar_one()
        if n:
            yield Finding(f"{n} {what}", fix, "links")


# --- repairs ------------------------------------------------------------------------


def _rebuild_fts(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"REINDEX INDEX {PG_INDEX}")
        return
    from warlog.store import search

    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    search.create_index(conn)


def _reextract(tx: Writer, ids: list[str]) -> None:
    from warlog.extract import Extractor
    from warlog.resolve import Resolver

    extractor, resolver = Extractor(), Resolver()
    a = schema.articles
    rows = tx.conn.execute(select(a).where(a.c.id.in_(ids)).order_by(a.c.id)).all()
    # Read in the repair's transaction (it may have just reset their debris lists).
    arts = [_article(r._mapping, []) for r in rows]
    for result in extractor.extract_many(arts):
        tx.replace_claims(resolver.resolve(result), extractor.version)
