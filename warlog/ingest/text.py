"""Plain-text pages, like the seeds: whatever a scraper saved as text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from warlog.errors import E, InputError
from warlog.ingest.decode import decode
from warlog.records import PageFormat, RawPage


def read_text(
    body: bytes, source: str, *, url: str | None = None, fetched_at: datetime | None = None
) -> Iterator[RawPage]:
    decoded = decode(body)
    if not decoded.text.strip():
        raise InputError(E.E103)
    yield RawPage(
        body=body,
        text=decoded.text,
        format=PageFormat.TEXT,
        source=source,
        url=url,
        fetched_at=fetched_at,
        encoding=decoded.encoding,
        warnings=(decoded.warning,) if decoded.warning else (),
    )
