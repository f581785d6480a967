"""HTML pages: main text and metadata with trafilatura, the date with htmldate."""

from __future__ import annotations

import logging
from datetime import date, datetime

import htmldate
import trafilatura

from warlog.errors import E, InputError
from warlog.ingest.decode import declared_charset, decode
from warlog.records import PageFormat, RawPage

log = logging.getLogger(__name__)


def read_html(
    body: bytes,
    source: str,
    *,
    url: str | None = None,
    fetched_at: datetime | None = None,
    declared: str | None = None,
) -> RawPage:
    decoded = decode(body, declared or declared_charset(body[:4096]))
    doc = trafilatura.bare_extraction(
        decoded.text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InputError(E.E106)
    published, how = _published(decoded.text, url, getattr(doc, "date", None))
    return RawPage(
        body=body,
        text=text,
        format=PageFormat.HTML,
        source=source,
        url=url or getattr(doc, "url", None),
        fetched_at=fetched_at,
        encoding=decoded.encoding,
        title=(getattr(doc, "title", None) or None),
        published=published,
        published_how=how,
        outlet=getattr(doc, "sitename", None) or None,
        outlet_how="html metadata site name" if getattr(doc, "sitename", None) else None,
        warnings=(decoded.warning,) if decoded.warning else (),
    )


def _published(html: str, url: str | None, extracted: str | None) -> tuple[date | None, str | None]:
    # original_date: the publication date, not a "last modified" one; no
    # extensive search, which would pick any date mentioned in the story.
    try:
        found = htmldate.find_date(html, url=url, original_date=True, extensive_search=False)
    except (ValueError, TypeError) as exc:  # htmldate raises on some malformed trees
        log.debug("htmldate failed on %s: %s", url, exc)
        found = None
    how = "html metadata (htmldate)"
    if not found and extracted:
        found, how = extracted, "html metadata (trafilatura)"
    if not found:
        return None, None
    try:
        return date.fromisoformat(found[:10]), how
    except ValueError:
        return None, None
