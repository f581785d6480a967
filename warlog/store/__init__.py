"""The store: every read and write of warlog's database goes through here.

SQLite by default (one file), any SQLAlchemy URL otherwise. Writes happen in
explicit transactions (:meth:`Store.transaction`), one per input file during
ingestion, so a killed process leaves either all of a file or none of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import QueuePool, StaticPool

from warlog.codec import claim_from_json
from warlog.errors import E, WarlogError
from warlog.records import Article, Claim
from warlog.settings import busy_timeout
from warlog.store import migrations, schema
from warlog.store.bulk import StoredRows, stored_rows
from warlog.store.events import EventReads, filter_events
from warlog.store.ledger import quarantined
from warlog.store.search import SearchHit
from warlog.store.search import search as _search
from warlog.store.writer import PG_WRITE_LOCK as PG_WRITE_LOCK
from warlog.store.writer import Writer, _lock_for_writing, _now

# The event reads live in store/events.py (a part of Store), the writes in store/writer.py;
# their public names are re-exported here, where every caller imports them from.
__all__ = ["RunSummary", "SearchHit", "Store", "Writer", "filter_events", "query_errors"]


@dataclass(frozen=True, slots=True)
class RunSummary:
    id: int
    started_at: datetime
    finished_at: datetime | None
    command: str
    inputs: int
    pages_new: int
    articles_new: int
    problems: int

    @property
    def status(self) -> str:
        """``finished``, or ``interrupted`` for a run that never recorded its end.

        (A run still going also has no end yet: it shows as interrupted until it finishes.)
        """
        return "finished" if self.finished_at is not None else "interrupted"


class Store(EventReads):
    """A warlog store. ``readonly=True`` (the read commands) never takes a lock or writes.

    Opening takes no lock when the schema is current: only a store that needs migrating
    is locked (by the first writer), so readers never wait for a running ingest.
    """

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self.readonly = readonly
        self._read_engine: Engine | None = None
        try:
            _refuse_non_store(url)
            self.engine = _engine(url)
            self._open()
        except WarlogError:
            raise
        except DatabaseError as exc:
            if isinstance(exc, OperationalError) or not url.startswith("sqlite"):
                raise WarlogError(E.E111, url=_safe(url), reason=_reason(exc)) from exc
            # The file is SQLite but its pages are damaged ("disk image is malformed").
            raise WarlogError(E.E130, url=_safe(url), reason=_reason(exc)) from exc
        except (SQLAlchemyError, OSError) as exc:
            raise WarlogError(E.E111, url=_safe(url), reason=_reason(exc)) from exc
        except ImportError as exc:  # the URL names a driver that is not installed
            reason = f"its driver is not installed ({exc.name or exc})"
            if make_url(_driver_url(url)).get_backend_name() == "postgresql":
                reason += "; install it with: pip install 'warlog[postgres]'"
            raise WarlogError(E.E111, url=_safe(url), reason=reason) from exc

    def _open(self) -> None:
        if self._sqlite_file() and Path(self.engine.url.database or "").exists():
            with self.read_engine.connect() as conn:
                found = _checked_version(conn, self.url)
                todo = migrations.pending(conn)
            if not todo:
                return
            if self.readonly and not os.access(self.engine.url.database or "", os.W_OK):
                raise WarlogError(E.E131, url=_safe(self.url), found=found, known=migrations.LATEST)
        elif self.engine.dialect.name == "postgresql":
            with self.read_engine.connect() as conn:
                _checked_version(conn, self.url)
                todo = migrations.pending(conn)
            if not todo:
                return
        with self.engine.begin() as conn:
            # Two processes opening a new database at once must not both migrate it.
            _lock_for_writing(conn)
            _checked_version(conn, self.url)
            migrations.migrate(conn)

    def _sqlite_file(self) -> bool:
        db = self.engine.url.database
        return self.engine.dialect.name == "sqlite" and db not in (None, "", ":memory:")

    @property
    def read_engine(self) -> Engine:
        """The engine of reads: on SQLite a connection that takes no lock (WAL readers see the
        last commit), opened ``mode=ro`` for read-only stores; on PostgreSQL read-only
        transactions. The in-memory store has one connection for all."""
        if self._read_engine is None:
            if self._sqlite_file():
                self._read_engine = _sqlite_reader(self.engine.url.database or "", self.readonly)
            elif self.engine.dialect.name == "postgresql":
                self._read_engine = self.engine.execution_options(postgresql_readonly=True)
            else:
                self._read_engine = self.engine
        return self._read_engine

    def has_page(self, sha256: str) -> bool:
        p = schema.pages.c
        with self.read_engine.connect() as conn:
            return conn.execute(select(p.sha256).where(p.sha256 == sha256)).first() is not None

    def failed_record(self, sha256: str) -> tuple[int, str] | None:
        """(run, message) if this record failed in an earlier run."""
        f = schema.failed_records.c
        with self.read_engine.connect() as conn:
            row = conn.execute(select(f.run_id, f.message).where(f.sha256 == sha256)).first()
        return None if row is None else (row.run_id, row.message)

    def close(self) -> None:
        if self._read_engine is not None and self._read_engine is not self.engine:
            self._read_engine.dispose()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        with self.engine.begin() as conn:
            _lock_for_writing(conn)
            yield Writer(conn)

    def search_articles(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles matching ``query`` (words, "phrases", or, -word), best first.

        Any text is a valid query: one with no words finds nothing.
        """
        with self.read_engine.connect() as conn:
            return _search(conn, query, limit, offset)

    # --- ingestion runs -------------------------------------------------
    def start_run(self, command: str) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(schema.ingest_runs).values(started_at=_now(), command=command, inputs=0)
            )
            return int(res.inserted_primary_key[0])

    def finish_run(
        self, run_id: int, inputs: int, pages_new: int, articles_new: int, problems: int
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.ingest_runs)
                .where(schema.ingest_runs.c.id == run_id)
                .values(
                    finished_at=_now(),
                    inputs=inputs,
                    pages_new=pages_new,
                    articles_new=articles_new,
                    problems=problems,
                )
            )

    def runs(self) -> list[RunSummary]:
        r = schema.ingest_runs
        with self.read_engine.connect() as conn:
            rows = conn.execute(select(r).order_by(r.c.id)).all()
        return [RunSummary(**row._mapping) for row in rows]

    def log_entries(self, run_id: int | None = None) -> list[dict[str, Any]]:
        lg = schema.ingest_log
        q = select(lg).order_by(lg.c.id)
        if run_id is not None:
            q = q.where(lg.c.run_id == run_id)
        with self.read_engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(q)]

    # --- reads ----------------------------------------------------------
    def count(self, table: str) -> int:
        t = schema.metadata.tables[table]
        with self.read_engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t)).scalar_one())

    def articles(
        self,
        *,
        ids: Sequence[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        include_duplicates: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        a = schema.articles.c
        q = select(schema.articles).order_by(a.ingested_at, a.page_sha256, a.idx)
        if ids is not None:
            q = q.where(a.id.in_(list(ids)))
        if since:
            q = q.where(a.published >= since)
        if until:
            q = q.where(a.published <= until)
        if not include_duplicates:
            q = q.where(a.duplicate_of.is_(None))
        if offset:
            q = q.offset(offset)
        if limit:
            q = q.limit(limit)
        with self.read_engine.connect() as conn:
            rows = list(conn.execute(q))
        return [self._article(row._mapping) for row in rows]

    def article(self, article_id: str) -> Article:
        found = self.articles(ids=[article_id])
        if not found:
            raise WarlogError(E.E113, id=article_id)
        return found[0]

    def claims(
        self,
        *,
        article_ids: Sequence[str] | None = None,
        outcome: str | None = None,
        scope: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Claim]:
        c = schema.claims.c
        q = select(c.article_id, c.data).order_by(c.article_id, c.idx)
        if article_ids is not None:
            q = q.where(c.article_id.in_(list(article_ids)))
        if outcome:
            q = q.where(c.outcome == outcome)
        if scope:
            q = q.where(c.scope == scope)
        if offset:
            # In SQL: an offset applied in Python read every row before it.
            q = q.offset(offset)
        if limit:
            q = q.limit(limit)
        with self.read_engine.connect() as conn:
            rows = list(conn.execute(q))
        return [claim_from_json(r.article_id, self._json(r.data, "claims")) for r in rows]

    def leads(self, article_ids: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        lt = schema.leads.c
        q = select(lt.article_id, lt.data)
        if article_ids is not None:
            q = q.where(lt.article_id.in_(list(article_ids)))
        with self.read_engine.connect() as conn:
            rows = list(conn.execute(q))
        return {r.article_id: self._json(r.data, "leads") for r in rows}

    def deaths(self, **kwargs: Any) -> dict[str, Any]:
        """Killed and event counts per period and group: see :func:`warlog.store.stats.deaths`."""
        from warlog.store.stats import deaths

        return deaths(self, **kwargs)

    def quarantine(self, article_id: str, reason: str) -> dict[str, Any]:
        """Take an article out of the ledger: its claims leave every event (re-linked without
        it, old ids redirected) until :meth:`restore`. The article and its claims are kept."""
        from warlog.link.incremental import update_events

        art = self.article(article_id)
        with self.transaction() as tx:
            if not quarantined(tx.conn, [art.id]):
                tx.conn.execute(
                    insert(schema.quarantine).values(
                        article_id=art.id, reason=reason or "unspecified", at=_now()
                    )
                )
                update_events(tx.links, [art.id])
        return self.quarantine_state(art.id)

    def restore(self, article_id: str) -> dict[str, Any]:
        """Put a quarantined article's claims back into the ledger."""
        from warlog.link.incremental import update_events

        art = self.article(article_id)
        with self.transaction() as tx:
            gone = tx.conn.execute(
                delete(schema.quarantine).where(schema.quarantine.c.article_id == art.id)
            ).rowcount
            if gone:
                update_events(tx.links, [art.id])
        return self.quarantine_state(art.id)

    def quarantine_state(self, article_id: str) -> dict[str, Any]:
        qt = schema.quarantine.c
        with self.read_engine.connect() as conn:
            row = conn.execute(select(qt.reason, qt.at).where(qt.article_id == article_id)).first()
        return {
            "article_id": article_id,
            "quarantined": row is not None,
            "reason": row.reason if row else None,
            "since": row.at.isoformat() if row and row.at else None,
            "events": self.event_ids_of_articles([article_id]),
        }

    def bulk_rows(self, event_columns: Sequence[str]) -> StoredRows:
        """Every row of this (SQLite) store as a batch output's tables: see
        :func:`warlog.store.bulk.stored_rows`."""
        with self.engine.connect() as conn:
            return stored_rows(conn, event_columns)

    def page_body(self, sha256: str) -> bytes | None:
        p = schema.pages.c
        with self.read_engine.connect() as conn:
            return conn.execute(select(p.body).where(p.sha256 == sha256)).scalar_one_or_none()

    def reader(self) -> Store:
        """This store for reads only, for many concurrent readers (the HTTP API).

        Every read already goes through :attr:`read_engine`, whose connections take no lock
        (WAL readers see the last commit), so the store itself serves; kept for callers.
        """
        return self

    def _article(self, m: Any) -> Article:
        return _article(m, self._json(m["removed"], "articles"))

    def _json(self, data: str, table: str) -> Any:
        """A stored row's JSON; tampered or truncated JSON is an E130 line, not a traceback."""
        try:
            return json.loads(data)
        except (ValueError, TypeError) as exc:
            reason = f"a row of {table} holds undecodable JSON: {exc}"
            raise WarlogError(E.E130, url=_safe(self.url), reason=reason) from exc


def _article(m: Any, removed: list[str]) -> Article:
    return Article(
        id=m["id"],
        page_sha256=m["page_sha256"],
        index=m["idx"],
        title=m["title"],
        text=m["text"],
        outlet=m["outlet"],
        outlet_how=m["outlet_how"],
        url=m["url"],
        published=m["published"],
        published_how=m["published_how"],
        source=m["source"],
        external_id=m["external_id"],
        removed=tuple(removed),
        duplicate_of=m["duplicate_of"],
        duplicate_how=m["duplicate_how"],
    )


@contextmanager
def query_errors(label: str) -> Iterator[None]:
    """A store failing under a query (damaged, locked, gone) as one E130 line naming
    ``label`` (the database the user gave), not a traceback: the front-ends' guard."""
    try:
        yield
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise WarlogError(E.E130, url=label, reason=reason) from exc


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_non_store(url: str) -> None:
    """A file that exists but is not a SQLite database is refused, never overwritten.

    (SQLite would silently turn a 0-byte file into a new store, and fail on any other
    file with a traceback only at the first query.)
    """
    if not url.startswith("sqlite"):
        return
    db = make_url(url).database
    if db in (None, "", ":memory:"):
        return
    path = Path(db)
    if not path.exists() or path.is_dir():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError:
        return  # unreadable: SQLite's own error (E111) says so
    if not head:
        raise WarlogError(E.E129, path=db, reason="an empty, 0-byte file")
    if head != _SQLITE_MAGIC:
        raise WarlogError(E.E129, path=db, reason="not a SQLite database")


def _checked_version(conn: Connection, url: str) -> int:
    found = migrations.current_version(conn)
    if found > migrations.LATEST:
        raise WarlogError(E.E112, url=_safe(url), found=found, known=migrations.LATEST)
    return found


def _sqlite_reader(path: str, readonly: bool) -> Engine:
    """Connections that never write nor lock: no BEGIN IMMEDIATE, and ``mode=ro`` when the
    command only reads (then a store on a read-only file or folder can still be read)."""
    from urllib.parse import quote

    uri = f"file:{quote(os.path.abspath(path))}"
    if readonly:
        uri += "?mode=ro"
        if not os.access(path, os.W_OK) and not os.access(
            os.path.dirname(os.path.abspath(path)), os.W_OK
        ):
            # Nobody here can write it, nor create its -shm file: read it as immutable.
            uri += "&immutable=1"
    timeout = busy_timeout()

    def connect() -> Any:
        import sqlite3

        return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)

    # The "sqlite://" URL would get SingletonThreadPool (meant for one in-memory database),
    # which closes a connection another thread may still be using: the API's worker threads
    # crashed the process. A file's readers get an ordinary pool.
    # As many connections as the API's worker threads (AnyIO's default of 40): with
    # QueuePool's default 15 the other threads waited, and under load timed out (a 500).
    engine = create_engine(
        "sqlite://", creator=connect, poolclass=QueuePool, pool_size=5, max_overflow=40
    )
    event.listen(engine, "connect", _sqlite_reader_pragmas)
    return engine


def _sqlite_reader_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # autocommit: each statement its own snapshot, no lock held
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
    cur.execute("PRAGMA query_only=ON")
    # Pages read through the OS's file cache without a copy into each connection's own, and
    # a larger own cache for the indexes every list walks (the API holds a few connections).
    cur.execute("PRAGMA mmap_size=268435456")
    cur.execute("PRAGMA cache_size=-8000")
    cur.close()


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            poolclass=StaticPool if memory else None,
            connect_args={"check_same_thread": False, "timeout": busy_timeout()},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; issue it ourselves so
        # a transaction holds the write lock from its first statement.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    url = _driver_url(url)
    if make_url(url).get_backend_name() == "postgresql":
        # A dead or unreachable server fails in seconds with a message, not a hang.
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    return create_engine(url, pool_pre_ping=True)


def _driver_url(url: str) -> str:
    """postgresql:// (and Heroku-style postgres://) means psycopg 3, SQLAlchemy's default being psycopg2."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
    cur.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DatabaseError) and exc.orig is not None:
        return str(exc.orig).splitlines()[0]
    return str(exc).splitlines()[0]
