"""HTML pages: main text and metadata with trafilatura, the date with htmldate."""

from __future__ import annotations

import logging
import re
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
    warnings = [decoded.warning] if decoded.warning else []
    doc = _extract(decoded.text, url)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        depth = _depth(decoded.text)
        if depth <= _MAX_DEPTH:
            raise InputError(E.E106)
        # lxml stops at 255 levels and drops the rest: 100,000 nested <div>s read as a page
        # without text. Containers carry no text of their own, so they are flattened.
        doc = _extract(_CONTAINERS.sub(" ", decoded.text), url)
        text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        if not text:
            raise InputError(E.E106)
        warnings.append(f"HTML nested {depth:,} levels deep: container tags flattened to read it")
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
        warnings=tuple(warnings),
    )


# Deeper than this, lxml (libxml2's default limit of 256) no longer builds the tree.
_MAX_DEPTH = 250
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_CONTAINERS = re.compile(
    r"</?(?:div|span|section|main|center|font|table|tbody|tr|td)\b[^>]*>", re.I
)


def _extract(html: str, url: str | None) -> object:
    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )


def _depth(html: str) -> int:
    """The deepest nesting of tags, counted roughly (unclosed tags are counted as open)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(3) and m.group(2).lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


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
