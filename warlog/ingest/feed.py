"""RSS and Atom feeds: each entry is an article."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import feedparser
import lxml.html
from lxml import etree

from warlog.errors import E, InputError
from warlog.records import PageFormat, Problem, RawPage

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "article",
    "section",
}


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed as ``warlog watch`` sees it: where its page is, and the entry itself
    as a page (its own content), for when the page cannot be had."""

    n: int
    id: str | None
    link: str | None
    title: str | None
    page: RawPage | Problem


def parse_feed(body: bytes, source: str) -> tuple[str | None, list[FeedEntry]]:
    """The feed's title and its entries, in the feed's order. Raises InputError like read_feed."""
    parsed = feedparser.parse(body)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        if reason:
            raise InputError(E.E107, what="feed", reason=str(reason).splitlines()[0])
        raise InputError(E.E114)
    feed_title = parsed.feed.get("title") or None
    found = []
    for n, entry in enumerate(parsed.entries, 1):
        found.append(
            FeedEntry(
                n=n,
                id=entry.get("id") or None,
                link=entry.get("link") or None,
                title=entry.get("title") or None,
                page=_entry_page(entry, f"{source}#{n}", feed_title),
            )
        )
    return feed_title, found


def read_feed(body: bytes, source: str) -> Iterator[RawPage | Problem]:
    _title, found = parse_feed(body, source)
    for entry in found:
        yield entry.page


def _entry_page(
    entry: feedparser.FeedParserDict, where: str, feed_title: str | None
) -> RawPage | Problem:
    html = _entry_html(entry)
    text = html_to_text(html) if html else ""
    title = entry.get("title") or None
    if not text.strip():
        return Problem(where, "Feed entry has no text (no content or summary)")
    published = _entry_date(entry)
    link = entry.get("link") or None
    # The entry itself is the collected unit: re-reading a refreshed feed adds only new entries.
    raw = json.dumps(
        {"title": title, "link": link, "published": entry.get("published"), "content": html},
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    return RawPage(
        body=raw,
        text=text,
        format=PageFormat.FEED,
        source=where,
        url=link,
        title=title,
        published=published,
        published_how="feed entry date" if published else None,
        outlet=feed_title,
        outlet_how="feed title" if feed_title else None,
        external_id=entry.get("id") or None,
    )


def _entry_html(entry: feedparser.FeedParserDict) -> str:
    contents = entry.get("content") or []
    if contents:
        return max((c.get("value") or "" for c in contents), key=len)
    return entry.get("summary") or entry.get("description") or ""


def _entry_date(entry: feedparser.FeedParserDict) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    except ValueError:
        return None


def html_to_text(html: str) -> str:
    """Paragraph-preserving text of an HTML fragment (scripts and styles dropped)."""
    if "<" not in html:
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for node in root.iter(*_BLOCKS):
        node.tail = "\n" + (node.tail or "")
        if node.tag != "br":
            node.text = "\n" + (node.text or "")
    text = root.text_content()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
