"""Datasets of articles: JSON Lines and CSV, one article per row.

Columns are found by common names (text, title, date, outlet, url, id) or
named with ``--map text=body,date=published_at``; dotted names reach into
nested JSON (``--map text=article.body``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, BinaryIO

from warlog.clean.pubdate import find_date
from warlog.errors import E, InputError
from warlog.ingest.decode import decode
from warlog.records import PageFormat, Problem, RawPage
from warlog.settings import IngestOptions, format_mb

FIELDS = ("text", "title", "date", "outlet", "url", "id")
_DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext", "full_text", "story"),
    "title": ("title", "headline", "heading"),
    "date": (
        "date",
        "published",
        "pubdate",
        "publication_date",
        "published_at",
        "date_publish",
        "datetime",
    ),
    "outlet": ("outlet", "source", "site", "sitename", "publisher", "source_domain", "domain"),
    "url": ("url", "link", "uri", "source_url"),
    "id": ("id", "article_id", "guid", "uid", "doc_id"),
}


def parse_map(value: str | None) -> tuple[tuple[str, str], ...]:
    """``text=body,title=headline`` -> (("text", "body"), ("title", "headline"))."""
    if not value:
        return ()
    pairs = []
    for part in value.split(","):
        key, sep, column = part.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or key not in FIELDS or not column:
            raise InputError(E.E110, value=part, keys=", ".join(FIELDS))
        pairs.append((key, column))
    return tuple(pairs)


def read_jsonl(
    stream: BinaryIO, source: str, options: IngestOptions
) -> Iterator[RawPage | Problem]:
    head = stream.peek(1)[:1] if hasattr(stream, "peek") else b""
    if head == b"[":
        yield from _read_json_array(stream, source, options)
        return
    for n, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        if len(raw) > options.max_bytes:
            yield Problem(
                source,
                InputError(
                    E.E105, size=format_mb(len(raw)), limit=format_mb(options.max_bytes)
                ).message,
                n,
            )
            continue
        try:
            row = json.loads(raw)
        except ValueError as exc:
            yield Problem(source, InputError(E.E108, reason=_json_reason(exc)).message, n)
            continue
        if not isinstance(row, dict):
            yield Problem(
                source, InputError(E.E108, reason="a line must hold a JSON object").message, n
            )
            continue
        yield _row_page(
            row, raw.rstrip(b"\r\n"), f"{source}:{n}", n, source, PageFormat.JSONL, options
        )


def _read_json_array(
    stream: BinaryIO, source: str, options: IngestOptions
) -> Iterator[RawPage | Problem]:
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise InputError(E.E105, size=format_mb(len(data)), limit=format_mb(options.max_bytes))
    try:
        rows = json.loads(data)
    except ValueError as exc:
        raise InputError(E.E108, reason=_json_reason(exc)) from exc
    for n, row in enumerate(rows, 1):
        if isinstance(row, dict):
            raw = json.dumps(row, ensure_ascii=False, sort_keys=True).encode()
            yield _row_page(row, raw, f"{source}[{n}]", n, source, PageFormat.JSONL, options)
        else:
            yield Problem(source, "Array item is not a JSON object", n)


def read_csv(stream: BinaryIO, source: str, options: IngestOptions) -> Iterator[RawPage | Problem]:
    data = stream.read()
    decoded = decode(data)
    text = decoded.text
    if decoded.warning:
        yield Problem(source, decoded.warning, fatal=False)
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    sample = text[:8192]
    if source.lower().rstrip(".gz").endswith(".tsv"):
        dialect = csv.excel_tab
    else:
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    csv.field_size_limit(max(options.max_bytes, 1 << 20))
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        for row in reader:
            n = reader.line_num
            if None in row:  # more cells than header columns
                yield Problem(
                    source, InputError(E.E115, reason="more cells than header columns").message, n
                )
                continue
            raw = json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8")
            yield _row_page(row, raw, f"{source}:{n}", n, source, PageFormat.CSV, options)
    except csv.Error as exc:
        raise InputError(E.E115, reason=str(exc), line=reader.line_num) from exc


def _row_page(
    row: Mapping[str, Any],
    raw: bytes,
    where: str,
    n: int,
    source: str,
    fmt: PageFormat,
    options: IngestOptions,
) -> RawPage | Problem:
    cols = {f: _column(row, f, options) for f in FIELDS}
    if cols["text"] is None:
        if options.column("text"):
            return Problem(source, InputError(E.E109, column=options.column("text")).message, n)
        return Problem(source, InputError(E.E116, columns=", ".join(sorted(row))).message, n)
    text = _value(row, cols["text"])
    if not isinstance(text, str) or not text.strip():
        return Problem(source, InputError(E.E109, column=cols["text"]).message, n)
    published, how = _date(_value(row, cols["date"]) if cols["date"] else None, cols["date"])
    outlet = _str(row, cols["outlet"])
    return RawPage(
        body=raw,
        text=text,
        format=fmt,
        source=where,
        url=_str(row, cols["url"]),
        title=_str(row, cols["title"]),
        published=published,
        published_how=how,
        outlet=outlet,
        outlet_how=f"dataset column {cols['outlet']!r}" if outlet else None,
        external_id=_str(row, cols["id"]),
    )


def _column(row: Mapping[str, Any], field: str, options: IngestOptions) -> str | None:
    mapped = options.column(field)
    if mapped:
        return mapped if _has(row, mapped) else None
    lower = {k.lower(): k for k in row}
    for name in _DEFAULT_COLUMNS[field]:
        if name in lower:
            return lower[name]
    return None


def _has(row: Mapping[str, Any], path: str) -> bool:
    return _value(row, path) is not None


def _value(row: Mapping[str, Any], path: str) -> Any:
    if path in row:
        return row[path]
    cur: Any = row
    for part in path.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _str(row: Mapping[str, Any], column: str | None) -> str | None:
    if column is None:
        return None
    value = _value(row, column)
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _date(value: Any, column: str | None) -> tuple[date | None, str | None]:
    if value is None or not str(value).strip():
        return None, None
    s = str(value).strip()
    try:
        return date.fromisoformat(s[:10]), f"dataset column {column!r}"
    except ValueError:
        found = find_date(s)
        if found:
            return found.date, f"dataset column {column!r}"
    return None, None


def _json_reason(exc: ValueError) -> str:
    msg = str(exc)
    return msg.split(": line")[0] if ": line" in msg else msg
