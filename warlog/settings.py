"""One place for configuration: defaults < environment < command-line flags."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB = "warlog.db"
# A single page (text or HTML) above this size is refused; containers (WARC,
# JSONL, CSV, feeds) are streamed and the limit applies to each record.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


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

    def column(self, name: str) -> str | None:
        return dict(self.column_map).get(name)
