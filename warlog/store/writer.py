"""Writes inside one open transaction, and the lock every write transaction takes first."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, text

from warlog.codec import claim_json, lead_json
from warlog.records import Article, ArticleClaims, RawPage
from warlog.store import schema
from warlog.store.bulk import BulkLoad
from warlog.store.ledger import LinkTables
from warlog.store.search import index_article

# PostgreSQL writers take this transaction-level advisory lock first (see
# _lock_for_writing); any constant works as long as every warlog uses the same.
PG_WRITE_LOCK = 0x7761726C6F67  # "warlog"


def _now() -> datetime:
    return datetime.now(UTC)


class Writer:
    """Writes inside one open transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def links(self) -> LinkTables:
        """The link tables in this transaction, for the linker (records in, records out)."""
        return LinkTables(self.conn)

    @property
    def bulk(self) -> BulkLoad:
        """Loading a batch output in this transaction (``warlog batch --load-db``)."""
        return BulkLoad(self.conn)

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
