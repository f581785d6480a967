"""One place for configuration: defaults < environment < command-line flags."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB = "warlog.db"
# A single page (text or HTML) above this size is refused; containers (WARC,
# JSONL, CSV, feeds) are streamed and the limit applies to each record.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The per-page analysis budget: a page longer than this is analysed up to here (a
# warning says so). Real articles are far below; pathological pages are not.
DEFAULT_MAX_CHARS = 200_000
DEFAULT_MAX_SENTENCES = 3_000
DEFAULT_PAGE_SECONDS = 60.0
# Records written per transaction: a big container is committed in chunks so that no
# writer holds the store's lock for long, and readers and other writers take turns.
DEFAULT_CHUNK_RECORDS = 50
# How long a writer waits for another's lock before giving up (seconds).
DEFAULT_BUSY_TIMEOUT = 120.0


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name) or default)
    except ValueError:
        return default


def busy_timeout() -> float:
    """$WARLOG_BUSY_TIMEOUT seconds, or the default."""
    return _env_float("WARLOG_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT)


def format_mb(n: float) -> str:
    """Bytes as the messages show them: "50.0 MB"."""
    return f"{n / 1_048_576:.1f} MB"


def database_url(value: str | None = None) -> str:
    """A SQLAlchemy URL from --db, $WARLOG_DB or the default file; plain paths mean SQLite."""
    raw = value or os.environ.get("WARLOG_DB") or DEFAULT_DB
    if raw == ":memory:":
        return "sqlite://"
    if "://" in raw:
        return raw
    return f"sqlite:///{raw}"


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    column_map: tuple[tuple[str, str], ...] = ()  # (field, column) pairs from --map
    near_duplicate_threshold: float = 0.8
    # The country a collection is about (ISO alpha-2): homonyms resolve there first.
    focus_country: str | None = os.environ.get("WARLOG_FOCUS_COUNTRY") or None
    retry_failed: bool = False  # re-read records that failed in an earlier run
    max_chars: int = DEFAULT_MAX_CHARS
    max_sentences: int = DEFAULT_MAX_SENTENCES
    page_seconds: float = _env_float("WARLOG_PAGE_SECONDS", DEFAULT_PAGE_SECONDS)
    chunk_records: int = DEFAULT_CHUNK_RECORDS
    # Worker processes that clean and extract (the parent writes): None means the machine's
    # cores, with small runs kept in one process; the library's callers default to one.
    workers: int | None = 1

    def column(self, name: str) -> str | None:
        return dict(self.column_map).get(name)
