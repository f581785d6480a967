"""Typed records that travel between pipeline stages.

Each stage is a function from one record type to the next:
``RawPage -> Article -> list[Claim] -> ... -> Event``. Records are frozen so a
stage can never change what an earlier stage produced behind its back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class PageFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    WARC = "warc"
    FEED = "feed"
    JSONL = "jsonl"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class RawPage:
    """One page as it was collected, before any cleaning.

    ``body`` keeps the exact bytes so that cleaning can be re-run later with
    better rules; ``text`` is the decoded form the cleaners read.
    """

    body: bytes
    text: str
    format: PageFormat
    source: str  # file path (and record locator, e.g. "dev.jsonl:12") it came from
    url: str | None = None
    fetched_at: datetime | None = None  # when the crawler fetched it (WARC-Date), not our clock
    encoding: str = "utf-8"
    # Metadata a container already gives (HTML <meta>, feed entry, dataset columns).
    title: str | None = None
    published: date | None = None
    published_how: str | None = None
    outlet: str | None = None
    outlet_how: str | None = None
    external_id: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the unit every later stage reads.

    ``text`` is final: evidence spans in later stages are character offsets
    into it, so it is stored as is and never re-cleaned in place.
    """

    id: str
    page_sha256: str
    index: int  # position of this article inside its page (glued pages hold several)
    title: str | None
    text: str
    outlet: str | None
    outlet_how: str | None
    url: str | None
    published: date | None
    published_how: str  # e.g. "dateline 'Published November 20th, 2015'" or "not found: ..."
    source: str
    external_id: str | None = None
    removed: tuple[str, ...] = field(default=())  # debris kinds cleaning removed, for audit
    # Set by near-duplicate detection: the article this one is a copy of, and how it was found.
    duplicate_of: str | None = None
    duplicate_how: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hash of the text with whitespace and case folded, so trivial reflows match."""
    norm = " ".join(text.lower().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def article_id(page_sha256: str, index: int) -> str:
    """Stable id: the same page always yields the same article ids."""
    return hashlib.sha1(f"{page_sha256}:{index}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Problem:
    """A user-facing problem with one input (never raised: reported and skipped)."""

    source: str
    message: str
    line: int | None = None
    fatal: bool = True  # False: a warning, the input was still ingested

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"
