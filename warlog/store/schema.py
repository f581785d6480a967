"""Table definitions: the only description of the database's shape.

Migrations in :mod:`warlog.store.migrations` create these tables version by
version; the metadata here is what queries are written against. Types are
portable (SQLite and PostgreSQL).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

migrations = Table(
    "_warlog_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

pages = Table(
    "pages",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("format", String(16), nullable=False),
    Column("encoding", String(40), nullable=False),
    Column("fetched_at", DateTime(timezone=True)),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("size", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("run_id", Integer, ForeignKey("ingest_runs.id")),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("page_sha256", String(64), ForeignKey("pages.sha256"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("outlet", String(200)),
    Column("outlet_how", Text),
    Column("url", Text),
    Column("published", Date),
    Column("published_how", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("duplicate_of", String(16), ForeignKey("articles.id")),
    Column("duplicate_how", String(80)),
    Column("external_id", Text),
    Column("source", Text, nullable=False),
    Column("removed", Text, nullable=False),  # JSON list of debris kinds, for audit
    Column("minhash", LargeBinary),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_page", "page_sha256"),
)

# MinHash LSH band keys: candidate near-duplicates are found with an indexed
# look-up instead of an in-memory index that would have to be rebuilt per run.
article_lsh = Table(
    "article_lsh",
    metadata,
    Column("bucket", String(40), nullable=False),  # "<band>:<hash of the band's rows>"
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Index("ix_article_lsh_bucket", "bucket"),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("command", Text, nullable=False),
    Column("inputs", Integer, nullable=False, default=0),
    Column("pages_new", Integer, nullable=False, default=0),
    Column("articles_new", Integer, nullable=False, default=0),
    Column("problems", Integer, nullable=False, default=0),
)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False),
    Column("source", Text, nullable=False),
    Column("line", Integer),
    Column("status", String(16), nullable=False),  # ok | unchanged | warning | error
    Column("message", Text),
    Column("pages_new", Integer, nullable=False, default=0),
    Column("articles_new", Integer, nullable=False, default=0),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_ingest_log_run", "run_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(40), primary_key=True),  # "<article id>:<index>"
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("low", Integer),
    Column("high", Integer),
    Column("count_text", Text, nullable=False),
    Column("scope", String(16), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("victims_kind", String(16), nullable=False),
    Column("perpetrator_id", String(60)),
    Column("claimant_id", String(60)),
    Column("place_text", Text),
    Column("date_text", Text),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("data", Text, nullable=False),  # the claim's public JSON, whole
    Column("extractor", String(40), nullable=False),
    Index("ix_claims_article", "article_id"),
    Index("ix_claims_outcome_scope", "outcome", "scope"),
)

leads = Table(
    "leads",
    metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("killed", Integer),
    Column("wounded", Integer),
    Column("perpetrator_id", String(60)),
    Column("event_type", String(40)),
    Column("data", Text, nullable=False),
)

# The link stage. A unit is one article's claims about one incident (or one tally);
# ``blocks`` lists the blocks it is compared in ("SY|Deir ez-Zor", "+SY|*" for a guest),
# so a new article finds the units it must be compared with without reading them all.
link_units = Table(
    "link_units",
    metadata,
    Column("key", String(48), primary_key=True),  # "<article id>/<n>"
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("day", Date),
    Column("event_id", String(24), nullable=False),
    Column("data", Text, nullable=False),  # the unit's reports and summary, JSON
    Index("ix_link_units_article", "article_id"),
    Index("ix_link_units_event", "event_id"),
)

link_blocks = Table(
    "link_blocks",
    metadata,
    Column("block", String(120), primary_key=True),
    Column("unit_key", String(48), ForeignKey("link_units.key"), primary_key=True),
    Column("own", Integer, nullable=False),  # 0: a guest in its country's block
    Column("day", Date),
    Index("ix_link_blocks_block_day", "block", "day"),
    # Migration 5: re-linking deletes a unit's blocks by unit; without it every batch scans
    # the whole table and linking through the store grows with the square of the claims.
    Index("ix_link_blocks_unit", "unit_key"),
)

# What a date window's filters test besides the dates (migration 11's indexes hold them).
_WINDOW_FILTER_COLUMNS = ("date_end", "perpetrator_text", "claimant_text", "outlet_text")

events = Table(
    "events",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("kind", String(16), nullable=False),  # incident | tally
    Column("date_start", Date),
    Column("date_end", Date),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("place_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("event_type", String(40)),
    Column("perpetrator_id", String(60)),
    Column("perpetrator_name", Text),
    Column("killed_low", Integer),
    Column("killed_best", Integer),
    Column("killed_high", Integer),
    Column("wounded_best", Integer),
    Column("n_reports", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_outlets", Integer, nullable=False),
    Column("n_claimants", Integer, nullable=False),
    Column("conflict", Integer, nullable=False),
    Column("search_text", Text, nullable=False),  # actors, claimants, place, outlets: for --actor
    # Migration 7: intrinsic plausibility flag codes, comma-separated ('' for none).
    Column("flags", Text, nullable=False, server_default=""),
    # Migration 7: what `actor`, `claimant` and `outlet` match, each on its own.
    Column("perpetrator_text", Text, nullable=False, server_default=""),
    Column("claimant_text", Text, nullable=False, server_default=""),
    Column("outlet_text", Text, nullable=False, server_default=""),
    Column("data", Text, nullable=False),  # the event's public JSON, whole
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Migration 9 (warlog/store/compact.py): the list entry already serialised, where its
    # flags close, and the class of the date window's length (2, unbounded, is always safe).
    Column("list_json", Text),
    Column("list_flags_at", Integer),
    Column("span_class", Integer, nullable=False, server_default="2"),
    Index("ix_events_date", "date_start"),
    Index("ix_events_place", "country", "admin1"),
    Index("ix_events_latlon", "lat", "lon"),
    # Migration 9: a date range is a range of this index per span class; a type too.
    Index("ix_events_span_date", "span_class", "date_start"),
    Index("ix_events_type_date", "event_type", "date_start"),
    # Migration 9: the list's two date orders read from an index alone, ids included, so a
    # page at an offset skips index entries instead of table rows. "Newest first" is
    # date_start DESC NULLS LAST, id: this index read backwards (NULLs sort first in both).
    Index("ix_events_oldest", "date_start", "id"),
    Index(
        "ix_events_newest",
        "date_start",
        text("id DESC"),
        postgresql_ops={"date_start": "NULLS FIRST"},
    ),
    # Migration 11: the collection's country (the country of most incidents, asked once a
    # minute by every API process) counted from an index: 9 ms instead of 225 ms on 100k.
    Index("ix_events_kind_country", "kind", "country"),
    # Migration 11 (SQLite, where a date window is read per span class): the window's rows in
    # the list's order, each with what the date and text filters test, so that finding a
    # filtered page reads the index alone (0.1 ms instead of 2.7 ms for an actor's year of
    # 100k events: without them each candidate row was looked up in the table).
    *(
        Index(name, "span_class", "date_start", order, *_WINDOW_FILTER_COLUMNS).ddl_if(
            dialect="sqlite"
        )
        for name, order in (
            ("ix_events_window_oldest", "id"),
            ("ix_events_window_newest", text("id DESC")),
        )
    ),
)

# Migration 8: `warlog watch`. Times are POSIX seconds (floats) so that due-feed and lease
# comparisons are plain numbers on every backend, whatever each does with time zones.
watch_feeds = Table(
    "watch_feeds",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("title", Text),
    Column("added_at", Float, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_poll", Float, nullable=False),
    Column("last_poll", Float),
    Column("last_status", Integer),  # HTTP status of the last poll, null when none came back
    Column("last_outcome", Text),
    Column("failures", Integer, nullable=False, default=0),  # consecutive, for the backoff
    Column("gone", Integer, nullable=False, default=0),  # consecutive 404/410 answers
    Column("dead", Integer, nullable=False, default=0),
    Column("polls", Integer, nullable=False, default=0),
    Column("articles_found", Integer, nullable=False, default=0),
    # A watcher holds a feed while it polls it: two watchers on one store never fetch it at once.
    Column("lease_owner", String(120)),
    Column("lease_until", Float),
    Index("ix_watch_feeds_next", "dead", "next_poll"),
)

# Every feed entry already handled (by its id or link): its page is never fetched again.
watch_entries = Table(
    "watch_entries",
    metadata,
    Column("key", String(64), primary_key=True),  # SHA-1 of the entry's id, else its link
    Column("feed_url", String(2000), nullable=False),
    Column("link", Text),
    Column("outcome", String(24), nullable=False),  # page | entry | known | empty
    Column("article_ids", Text, nullable=False),  # JSON list
    Column("seen_at", Float, nullable=False),
)

# The figures each alert rule last fired with, per event: a rule fires again only when they change.
watch_alerts = Table(
    "watch_alerts",
    metadata,
    Column("rule", String(400), primary_key=True),
    Column("event_id", String(24), primary_key=True),
    Column("figures", Text, nullable=False),
    Column("fired_at", Float, nullable=False),
)

# Migration 7: an event id that disappeared (merged into another event, or dissolved and
# re-linked) points at the event that holds most of its units, so cited links keep working.
event_aliases = Table(
    "event_aliases",
    metadata,
    Column("old_id", String(24), primary_key=True),
    Column("event_id", String(24), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_event_aliases_event", "event_id"),
)

# Migration 7: articles taken out of the ledger (their claims leave every event) until restored.
quarantine = Table(
    "article_quarantine",
    metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Migration 6: records that failed with an unexpected error, keyed by the SHA-256 of their
# bytes, so that a re-run skips them instead of failing on them again (--retry-failed).
failed_records = Table(
    "failed_records",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("line", Integer),
    Column("message", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("ingest_runs.id")),
    Column("at", DateTime(timezone=True), nullable=False),
)
