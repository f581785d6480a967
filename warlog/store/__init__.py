"""The store: every read and write of warlog's database goes through here.

SQLite by default (one file), any SQLAlchemy URL otherwise. Writes happen in
explicit transactions (:meth:`Store.transaction`), one per input file during
ingestion, so a killed process leaves either all of a file or none of it.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import QueuePool, StaticPool

from warlog.codec import claim_from_json, claim_json, event_from_json, lead_json
from warlog.errors import E, WarlogError
from warlog.records import Article, ArticleClaims, Claim, Event, EventFilter, RawPage
from warlog.settings import busy_timeout
from warlog.store import migrations, schema
from warlog.store.compact import SPAN_CLASSES, UNBOUNDED_SPAN, earliest_start
from warlog.store.ledger import LinkTables, quarantined
from warlog.store.search import SearchHit, index_article
from warlog.store.search import search as _search
from warlog.store.textindex import narrowed

__all__ = ["RunSummary", "SearchHit", "Store", "Writer"]

# PostgreSQL writers take this transaction-level advisory lock first (see
# _lock_for_writing); any constant works as long as every warlog uses the same.
PG_WRITE_LOCK = 0x7761726C6F67  # "warlog"


def _now() -> datetime:
    return datetime.now(UTC)


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


class Writer:
    """Writes inside one open transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def links(self) -> LinkTables:
        """The link tables in this transaction, for the linker (records in, records out)."""
        return LinkTables(self.conn)

    def has_page(self, sha256: str) -> bool:
        q = select(schema.pages.c.sha256).where(schema.pages.c.sha256 == sha256)
        return self.conn.execute(q).first() is not None

    def add_page(self, page: RawPage, run_id: int | None) -> None:
        self.conn.execute(
            insert(schema.pages).values(
                sha256=page.sha256,
                source=page.source,
                url=page.url,
                format=page.format.value,
                encoding=page.encoding,
                fetched_at=page.fetched_at,
                ingested_at=_now(),
                size=len(page.body),
                body=page.body,
                run_id=run_id,
            )
        )

    def article_with_content(self, content_hash: str) -> str | None:
        """The original (non-duplicate) article with exactly this text, if any."""
        a = schema.articles.c
        q = select(a.id, a.duplicate_of).where(a.content_hash == content_hash).limit(1)
        row = self.conn.execute(q).first()
        return None if row is None else (row.duplicate_of or row.id)

    def near_duplicate_candidates(
        self, buckets: Sequence[str]
    ) -> list[tuple[str, str | None, bytes]]:
        """(id, duplicate_of, minhash) of stored articles sharing an LSH bucket."""
        lsh, a = schema.article_lsh.c, schema.articles.c
        if not buckets:
            return []
        ids = (
            select(lsh.article_id).where(lsh.bucket.in_(list(buckets))).distinct().scalar_subquery()
        )
        q = (
            select(a.id, a.duplicate_of, a.minhash)
            .where(a.id.in_(ids))
            .order_by(a.ingested_at, a.id)
        )
        return [(r.id, r.duplicate_of, r.minhash) for r in self.conn.execute(q)]

    def add_article(self, art: Article, minhash: bytes | None, buckets: Sequence[str]) -> None:
        self.conn.execute(
            insert(schema.articles).values(
                id=art.id,
                page_sha256=art.page_sha256,
                idx=art.index,
                title=art.title,
                text=art.text,
                outlet=art.outlet,
                outlet_how=art.outlet_how,
                url=art.url,
                published=art.published,
                published_how=art.published_how,
                content_hash=art.content_hash,
                duplicate_of=art.duplicate_of,
                duplicate_how=art.duplicate_how,
                external_id=art.external_id,
                source=art.source,
                removed=json.dumps(list(art.removed)),
                minhash=minhash,
                ingested_at=_now(),
            )
        )
        if buckets:
            self.conn.execute(
                insert(schema.article_lsh),
                [{"bucket": b, "article_id": art.id} for b in buckets],
            )
        index_article(self.conn, art.id, art.title, art.text)

    def replace_claims(self, result: ArticleClaims, extractor: str) -> None:
        """Store an article's claims and lead, replacing any earlier extraction of it."""
        aid = result.article.id
        self.conn.execute(delete(schema.claims).where(schema.claims.c.article_id == aid))
        self.conn.execute(delete(schema.leads).where(schema.leads.c.article_id == aid))
        rows = []
        for c in result.claims:
            rows.append(
                {
                    "id": f"{aid}:{c.index}",
                    "article_id": aid,
                    "idx": c.index,
                    "outcome": c.outcome,
                    "low": c.low,
                    "high": c.high,
                    "count_text": c.count_text,
                    "scope": c.scope,
                    "event_type": c.event_type,
                    "victims_kind": c.victims.kind,
                    "perpetrator_id": c.perpetrator.id if c.perpetrator else None,
                    "claimant_id": c.claimant.id if c.claimant else None,
                    "place_text": c.place_text,
                    "date_text": c.date_text,
                    "evidence_start": c.evidence.start,
                    "evidence_end": c.evidence.end,
                    "confidence": c.confidence,
                    "data": json.dumps(claim_json(c), ensure_ascii=False),
                    "extractor": extractor,
                }
            )
        if rows:
            self.conn.execute(insert(schema.claims), rows)
        lead = result.lead
        if lead is not None:
            self.conn.execute(
                insert(schema.leads).values(
                    article_id=aid,
                    killed=lead.killed,
                    wounded=lead.wounded,
                    perpetrator_id=lead.perpetrator.id if lead.perpetrator else None,
                    event_type=lead.event_type,
                    data=json.dumps(lead_json(lead), ensure_ascii=False),
                )
            )

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: an exception inside rolls back its writes only."""
        with self.conn.begin_nested():
            yield

    def remember_failed(
        self, sha256: str, source: str, line: int | None, message: str, run_id: int | None
    ) -> None:
        """Record a record that failed unexpectedly, so that re-runs skip it."""
        f = schema.failed_records
        self.conn.execute(delete(f).where(f.c.sha256 == sha256))
        self.conn.execute(
            insert(f).values(
                sha256=sha256, source=source, line=line, message=message, run_id=run_id, at=_now()
            )
        )

    def forget_failed(self, sha256: str) -> None:
        f = schema.failed_records
        self.conn.execute(delete(f).where(f.c.sha256 == sha256))

    def log(
        self,
        run_id: int,
        source: str,
        status: str,
        message: str | None = None,
        line: int | None = None,
        pages_new: int = 0,
        articles_new: int = 0,
    ) -> None:
        self.conn.execute(
            insert(schema.ingest_log).values(
                run_id=run_id,
                source=source,
                line=line,
                status=status,
                message=message,
                pages_new=pages_new,
                articles_new=articles_new,
                at=_now(),
            )
        )


class Store:
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

    def events(
        self,
        where: EventFilter | None = None,
        *,
        ids: Sequence[str] | None = None,
        order: str = "date",
        limit: int | None = None,
        offset: int = 0,
        with_claims: bool = False,
        updated_since: datetime | None = None,
        **filters: Any,
    ) -> list[Event]:
        """Events as records, each with its reports and ``flags``.

        ``where`` (an :class:`EventFilter`) says which; its fields may also be given one by
        one (``since=...``), for older callers. Their public JSON is
        :func:`warlog.codec.event_json` (``with_claims=False`` for the list's shape);
        ``with_claims`` is accepted for older callers and changes nothing.
        ``updated_since`` keeps the events created or changed (new reports, figures, merges)
        after that moment: the dashboard's "new since your last visit".
        """
        from warlog.link.plausibility import with_flags

        f = where or EventFilter(**filters)
        focus = self._focus(f.focus_country)
        e = schema.events.c
        with self.read_engine.connect() as conn:
            page = self._event_page(
                conn, focus, ids, order, limit, offset, updated_since, **_filter_fields(f)
            )
            docs = _by_id(conn, select(e.id, e.data), page)
        out = []
        for event_id in page:
            if event_id not in docs:
                # Merged into another event by a writer between the two reads (each read is
                # its own snapshot, so readers never hold a lock): it is simply gone.
                continue
            d = self._json(docs[event_id].data, "events")
            out.append(event_from_json(with_flags(d, focus)))
        return out

    def event_list(
        self,
        *,
        ids: Sequence[str] | None = None,
        order: str = "date",
        limit: int | None = None,
        offset: int = 0,
        updated_since: datetime | None = None,
        focus_country: str | None = None,
        **filters: Any,
    ) -> list[str]:
        """The same events as :meth:`events` (without claims), each as its list entry already
        serialised (migration 9): the API joins them without parsing or encoding any."""
        from warlog.store.compact import list_entry, with_focus

        focus = self._focus(focus_country)
        e = schema.events.c
        cols = select(e.id, e.country, e.list_json, e.list_flags_at)
        with self.read_engine.connect() as conn:
            page = self._event_page(
                conn, focus, ids, order, limit, offset, updated_since, **filters
            )
            rows = _by_id(conn, cols, page)
            # A row written without its entry (by an older warlog after the migration) is
            # made on the spot from its JSON: the column is a cache, never the only copy.
            missing = [i for i, r in rows.items() if r.list_json is None]
            made = {
                r.id: list_entry(self._json(r.data, "events"))
                for r in _by_id(conn, select(e.id, e.data), missing).values()
            }
        out = []
        for event_id in page:
            r = rows.get(event_id)
            if r is None:
                continue  # merged away between the two reads, as in events()
            entry, flags_at = made.get(event_id) or (r.list_json, r.list_flags_at)
            out.append(with_focus(entry, flags_at, r.country, focus))
        return out

    def _focus(self, focus_country: str | None) -> str | None:
        return (focus_country or self.dominant_country() or "").upper() or None

    def _event_page(
        self,
        conn: Connection,
        focus: str | None,
        ids: Sequence[str] | None,
        order: str,
        limit: int | None,
        offset: int,
        updated_since: datetime | None,
        *,
        near: tuple[float, float, float] | None = None,
        flagged: bool = False,
        **filters: Any,
    ) -> list[str]:
        """The ids of one page of events, in order: ids first (no JSON read), so that a radius
        filter is applied to coordinates, never to every event's document."""
        e = schema.events.c
        few = narrowed(conn, filters)

        def query(span: int | None = None) -> Any:
            # Coordinates only for a radius: without them an index holding the order's
            # columns and the id answers alone.
            q = filter_events(
                select(e.id, e.lat, e.lon, e.date_start) if near else select(e.id, e.date_start),
                **filters,
                flagged_in=focus if flagged else None,
                flagged=flagged,
                ids=few,
                span_class=span,
            )
            if ids is not None:
                q = q.where(e.id.in_(list(ids)))
            if near:
                lat, lon, km = near
                dlat = km / 111.0 + 0.01
                dlon = km / (111.0 * max(0.05, math.cos(math.radians(lat)))) + 0.01
                q = q.where(
                    e.lat.between(lat - dlat, lat + dlat), e.lon.between(lon - dlon, lon + dlon)
                )
            if updated_since is not None:
                q = q.where(e.updated_at > updated_since)
            return q.order_by(*_EVENT_ORDERS[order])

        if order not in _EVENT_ORDERS:
            raise WarlogError(
                E.E118, what="order", reason=f"{order!r}; use one of {', '.join(_EVENT_ORDERS)}"
            )
        if near:
            return _within(list(conn.execute(query())), near, limit, offset)
        if filters.get("since") and order in ("date", "-date") and conn.dialect.name == "sqlite":
            return _page_by_span(conn, query, order == "-date", limit, offset)
        q = query()
        q = q.offset(offset).limit(limit) if limit else q.offset(offset)
        return [r.id for r in conn.execute(q)]

    def deaths(self, **kwargs: Any) -> dict[str, Any]:
        """Killed and event counts per period and group: see :func:`warlog.store.stats.deaths`."""
        from warlog.store.stats import deaths

        return deaths(self, **kwargs)

    def dominant_country(self) -> str | None:
        """The country of most incidents: the collection's country unless one is given.

        Cached for a minute: it changes only with many new articles, and is asked per request.
        """
        now = time.monotonic()
        cached = getattr(self, "_dominant", None)
        if cached is not None and now - cached[0] < 60:
            return cached[1]
        e = schema.events.c
        q = (
            select(e.country)
            .where(e.country.is_not(None), e.kind == "incident")
            .group_by(e.country)
            .order_by(func.count().desc(), e.country)
            .limit(1)
        )
        with self.read_engine.connect() as conn:
            found = conn.execute(q).scalar_one_or_none()
        self._dominant = (now, found)
        return found

    def event_alias(self, old_id: str) -> str | None:
        """The event an id that no longer exists was merged into (``event_aliases``)."""
        a = schema.event_aliases.c
        with self.read_engine.connect() as conn:
            return conn.execute(select(a.event_id).where(a.old_id == old_id)).scalar_one_or_none()

    def event_exists(self, event_id: str) -> bool:
        e = schema.events.c
        with self.read_engine.connect() as conn:
            return conn.execute(select(e.id).where(e.id == event_id)).first() is not None

    def event_ids_of_articles(self, article_ids: Sequence[str]) -> list[str]:
        u = schema.link_units.c
        with self.read_engine.connect() as conn:
            return sorted(
                set(
                    conn.execute(
                        select(u.event_id).where(u.article_id.in_(list(article_ids)))
                    ).scalars()
                )
            )

    def main_events(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Article id -> the event of its main incident (its first unit: the lead's)."""
        u = schema.link_units.c
        out: dict[str, str] = {}
        with self.read_engine.connect() as conn:
            q = select(u.article_id, u.key, u.event_id).where(u.article_id.in_(list(article_ids)))
            rows = sorted(conn.execute(q), key=lambda r: _unit_order(r.key))
        for r in rows:
            out.setdefault(r.article_id, r.event_id)
        return out

    def event(self, event_id: str, *, focus_country: str | None = None) -> Event:
        """One event: by id, by an old id it was merged into (its ``merged_from`` names it),
        or by a unique id prefix, as with git hashes."""
        found = self.events(ids=[event_id], focus_country=focus_country)
        if found:
            return found[0]
        merged = self.event_alias(event_id)
        if merged is not None:
            found = self.events(ids=[merged], focus_country=focus_country)
            if found:
                return replace(found[0], merged_from=event_id)
        e = schema.events.c
        with self.read_engine.connect() as conn:
            ids = list(
                conn.execute(
                    select(e.id).where(e.id.startswith(event_id, autoescape=True)).limit(2)
                ).scalars()
            )
        if len(ids) == 1:
            return self.events(ids=ids, focus_country=focus_country)[0]
        raise WarlogError(E.E117, id=event_id)

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


_E = schema.events.c
_EVENT_ORDERS = {
    # NULLS LAST rather than "IS NULL" first: the same order, but ix_events_date serves it
    # (3 ms instead of a 115 ms sort of every row's JSON on 100k events).
    "date": (_E.date_start.asc().nulls_last(), _E.id),
    "-date": (_E.date_start.desc().nulls_last(), _E.id),
    "killed": (_E.killed_best.desc().nulls_last(), _E.id),
    "reports": (_E.n_reports.desc(), _E.id),
    "sources": (_E.n_claimants.desc(), _E.n_outlets.desc(), _E.id),
}


def _within(
    rows: list[Any], near: tuple[float, float, float], limit: int | None, offset: int
) -> list[str]:
    from warlog.link.decide import haversine_km

    lat, lon, km = near
    rows = [r for r in rows if haversine_km(lat, lon, r.lat, r.lon) <= km]
    return [r.id for r in (rows[offset : offset + limit] if limit else rows[offset:])]


def _page_by_span(
    conn: Connection, query: Any, newest: bool, limit: int | None, offset: int
) -> list[str]:
    """A page in date order within ``since``, one query per span class, merged.

    Each class's query walks ix_events_span_date in date order and stops at the page's end;
    one query with the classes OR-ed together reads every event of the window and sorts them
    (60 ms for a year of 100k events). SQLite only: the merge compares ids as SQLite does
    (code points), which a PostgreSQL collation need not.
    """
    end = offset + limit if limit else None
    found: list[Any] = []
    for cls in (*(c for c, _ in SPAN_CLASSES), UNBOUNDED_SPAN):
        q = query(cls)
        found += conn.execute(q.limit(end) if end else q)
    found.sort(key=lambda r: r.id)  # the tie-break, kept by the stable sort below
    if newest:  # date_start DESC NULLS LAST
        found.sort(key=lambda r: (r.date_start is not None, r.date_start or date.min), reverse=True)
    else:  # date_start ASC NULLS LAST
        found.sort(key=lambda r: (r.date_start is None, r.date_start or date.min))
    return [r.id for r in found[offset:end]]


def _by_id(conn: Connection, q: Any, ids: Sequence[str]) -> dict[str, Any]:
    """Rows of ``q`` (over events, selecting ``id`` first) for ``ids``, 500 at a time."""
    out: dict[str, Any] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        out.update((r.id, r) for r in conn.execute(q.where(schema.events.c.id.in_(chunk))))
    return out


def _filter_fields(f: EventFilter) -> dict[str, Any]:
    """An EventFilter as the keywords of ``Store._event_page`` (the focus country aside)."""
    return {
        "since": f.since, "until": f.until, "near": f.near, "actor": f.actor,
        "claimant": f.claimant, "outlet": f.outlet, "event_type": f.event_type, "kind": f.kind,
        "conflicting": f.conflicting, "flagged": f.flagged,
    }  # fmt: skip


def filter_events(
    q: Any,
    where: EventFilter | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
    actor: str | None = None,
    claimant: str | None = None,
    outlet: str | None = None,
    event_type: str | None = None,
    kind: str | None = None,
    conflicting: bool = False,
    flagged: bool = False,
    flagged_in: str | None = None,
    unflagged: bool = False,
    ids: Sequence[str] | None = None,
    span_class: int | None = None,
) -> Any:
    """The event filters shared by the list, the statistics and the exports, so they agree.

    ``where`` (an :class:`EventFilter`) gives them all at once; without it they are the
    keywords. ``near`` is not SQL (a radius): :meth:`Store.events` applies it.
    ``flagged`` keeps events with an intrinsic flag or, given ``flagged_in`` (the collection's
    country), placed in another country; ``unflagged`` drops events with an intrinsic flag
    (the timeline, so that a tally read as an incident does not set its scale).
    ``ids`` limits to those events (the few a text index found, see ``textindex.narrowed``).
    """
    if where is not None:
        since, until, actor, claimant = where.since, where.until, where.actor, where.claimant
        outlet, event_type, kind = where.outlet, where.event_type, where.kind
        conflicting, flagged = where.conflicting, where.flagged
    e = schema.events.c
    if since:
        q = q.where(e.date_end >= since)
        # The same rows, bounded from below too: an event ending on or after ``since`` starts
        # at most its span class's length before it, so ix_events_span_date serves a range
        # (one class's range when ``span_class`` is given, see _page_by_span).
        bounds = [
            and_(e.span_class == cls, e.date_start >= earliest_start(since, cls))
            for cls, _ in SPAN_CLASSES
        ] + [e.span_class == UNBOUNDED_SPAN]
        q = q.where(bounds[span_class] if span_class is not None else or_(*bounds))
    if until:
        q = q.where(e.date_start <= until)
    for column, value in (
        (e.perpetrator_text, actor),
        (e.claimant_text, claimant),
        (e.outlet_text, outlet),
    ):
        if value:
            q = q.where(column.contains(value.lower(), autoescape=True))
    if ids is not None:
        q = q.where(e.id.in_(ids))
    if event_type:
        q = q.where(e.event_type == event_type)
    if kind:
        q = q.where(e.kind == kind)
    if conflicting:
        q = q.where(e.conflict == 1)
    if flagged:
        # A place across borders (the Levant, the Sahel) has no country: it is not abroad, as
        # plausibility.outside_country says too.
        abroad = (
            and_(e.country.is_not(None), e.country != "", e.country != flagged_in)
            if flagged_in
            else false()
        )
        q = q.where(or_(e.flags != "", abroad))
    if unflagged:
        q = q.where(e.flags == "")
    return q


def _unit_order(key: str) -> tuple[int, int]:
    """ "<article>/0" (the lead's incident) first, then other incidents, then tallies "/t<n>"."""
    n = key.rsplit("/", 1)[1]
    return (1, int(n[1:])) if n.startswith("t") else (0, int(n))


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


def _lock_for_writing(conn: Connection) -> None:
    """Serialise write transactions on PostgreSQL, as BEGIN IMMEDIATE does on SQLite.

    Ingestion reads before it writes (is this page stored? which article has this
    text, which ones share an LSH band?) and decides from what it read, so two
    writers interleaving would both insert the same page (a key violation that
    loses the file) or miss each other's copies (two originals where a
    sequential run marks one a duplicate). ON CONFLICT would fix only the first.
    A transaction-level advisory lock makes writers take turns, released by
    COMMIT or ROLLBACK, even when the process dies; readers take no lock and
    see committed data (MVCC). This relies on READ COMMITTED, PostgreSQL's
    default: each statement after the lock sees what the previous writer
    committed. Writers take turns per file, as on SQLite.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})


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
