"""Datasets of articles: JSON Lines and CSV, one article per row.

Columns are found by common names (text, title, date, outlet, url, id) or
named with ``--map text=body,date=published_at``; dotted names reach into
nested JSON (``--map text=article.body``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, BinaryIO

from warlog.errors import E, InputError
from warlog.guard import internal_problem
from warlog.ingest.decode import decode
from warlog.ingest.skip import Unchanged
from warlog.pubdate import find_date
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


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_READ_BLOCK = 1 << 20


def read_jsonl(
    stream: BinaryIO,
    source: str,
    options: IngestOptions,
    known: Callable[[str], bool] | None = None,
) -> Iterator[RawPage | Problem | Unchanged]:
    head = stream.peek(1)[:1] if hasattr(stream, "peek") else b""
    if head == b"[":
        yield from _read_json_array(stream, source, options)
        return
    for n, raw in enumerate(_lines(stream, options.max_bytes), 1):
        if raw is None:  # a line over the limit, skipped without being held in memory
            limit = format_mb(options.max_bytes)
            yield Problem(source, InputError(E.E105, size=f"over {limit}", limit=limit).message, n)
            continue
        if not raw.strip():
            continue
        body = raw.rstrip(b"\r\n")
        if known is not None:
            sha = hashlib.sha256(body).hexdigest()
            if known(sha):
                yield Unchanged(f"{source}:{n}", sha)
                continue
        try:
            row = _loads(raw)
            if not isinstance(row, dict):
                yield Problem(
                    source, InputError(E.E108, reason="a line must hold a JSON object").message, n
                )
                continue
            yield _row_page(row, body, f"{source}:{n}", n, source, PageFormat.JSONL, options)
        except InputError as exc:
            yield Problem(source, exc.message, n)
        except Exception as exc:  # one line's bug must not end the file
            yield internal_problem(f"{source}:{n}", exc, "reading", body)


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of ``stream``, never holding more than ``limit`` bytes of one: a longer line
    is read through in blocks, dropped, and given as None."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while True:  # skip the rest of the line without keeping it
            block = stream.readline(_READ_BLOCK)
            if not block or block.endswith(b"\n"):
                break
        yield None


def _loads(raw: bytes | str) -> Any:
    """JSON of one record; too deep or malformed is an E108 line, lone surrogates are replaced."""
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise InputError(E.E108, reason="nested too deeply") from exc
    except ValueError as exc:
        raise InputError(E.E108, reason=_json_reason(exc)) from exc
    encoded = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if _SURROGATE_ESCAPE.search(encoded):
        value = _no_surrogates(value)
    return value


def _no_surrogates(value: Any) -> Any:
    """JSON allows \\ud83d alone, Python keeps it, UTF-8 cannot encode it: pairs are joined and
    lone halves become U+FFFD, the replacement character, as undecodable bytes do."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_no_surrogates(k): _no_surrogates(v) for k, v in value.items()}
    return value


def _read_json_array(
    stream: BinaryIO, source: str, options: IngestOptions
) -> Iterator[RawPage | Problem]:
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise InputError(E.E105, size=format_mb(len(data)), limit=format_mb(options.max_bytes))
    rows = _loads(data)
    if not isinstance(rows, list):
        raise InputError(E.E108, reason="expected an array of objects")
    for n, row in enumerate(rows, 1):
        try:
            if isinstance(row, dict):
                raw = json.dumps(row, ensure_ascii=False, sort_keys=True).encode()
                yield _row_page(row, raw, f"{source}[{n}]", n, source, PageFormat.JSONL, options)
            else:
                yield Problem(source, "Array item is not a JSON object", n)
        except InputError as exc:
            yield Problem(source, exc.message, n)
        except Exception as exc:
            yield internal_problem(f"{source}[{n}]", exc, "reading", repr(row).encode())


class _RowTooLarge(Exception):
    pass


def read_csv(
    stream: BinaryIO,
    source: str,
    options: IngestOptions,
    known: Callable[[str], bool] | None = None,
) -> Iterator[RawPage | Problem | Unchanged]:
    """Rows of a CSV/TSV, streamed: the size cap holds per row while reading, never the file."""
    sample = stream.peek(_SAMPLE)[:_SAMPLE] if hasattr(stream, "peek") else b""
    if len(sample) >= _SAMPLE and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # no character cut in two
    # A stray NUL byte or two does not make a CSV binary: they are dropped (and counted) below.
    nul = sample.count(b"\x00")
    decoded = decode(sample.replace(b"\x00", b"") if 0 < nul <= len(sample) // 100 else sample)
    if decoded.warning:
        yield Problem(source, decoded.warning, fatal=False)
    encoding = decoded.encoding
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")  # type: ignore[arg-type]
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    if source.lower().removesuffix(".gz").endswith(".tsv"):
        dialect = csv.excel_tab
    else:
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(decoded.text[:8192], delimiters=",;\t|")
    csv.field_size_limit(max(options.max_bytes, 1 << 20))
    lines = _CsvLines(text, options.max_bytes)
    try:
        yield from _csv_rows(lines, dialect, source, options, known)
    finally:
        text.detach()  # the caller closes its stream (never standard input)
    if lines.nul:
        yield Problem(source, f"{lines.nul} NUL byte(s) removed", fatal=False)


def _csv_rows(
    lines: _CsvLines,
    dialect: type[csv.Dialect] | csv.Dialect,
    source: str,
    options: IngestOptions,
    known: Callable[[str], bool] | None,
) -> Iterator[RawPage | Problem | Unchanged]:
    reader = csv.reader(lines, dialect=dialect)
    header: list[str] | None = None
    while True:
        try:
            cells = next(reader, None)
        except _RowTooLarge:
            limit = format_mb(options.max_bytes)
            yield Problem(
                source, InputError(E.E105, size=f"over {limit}", limit=limit).message, lines.line
            )
            lines.skip_row()
            reader = csv.reader(lines, dialect=dialect)  # quoting state restarts after the cut
            continue
        except csv.Error as exc:
            raise InputError(E.E115, reason=str(exc), line=lines.line) from exc
        if cells is None:
            break
        lines.row_done()
        if header is None:
            header = cells
            continue
        if not cells:  # a blank line, as DictReader skips it
            continue
        n = lines.line
        if len(cells) > len(header):
            yield Problem(
                source, InputError(E.E115, reason="more cells than header columns").message, n
            )
            continue
        row = dict(zip(header, cells + [None] * (len(header) - len(cells)), strict=True))
        try:
            raw = json.dumps(row, ensure_ascii=False, sort_keys=True).encode("utf-8")
            if known is not None:
                sha = hashlib.sha256(raw).hexdigest()
                if known(sha):
                    yield Unchanged(f"{source}:{n}", sha)
                    continue
            yield _row_page(row, raw, f"{source}:{n}", n, source, PageFormat.CSV, options)
        except InputError as exc:
            yield Problem(source, exc.message, n)
        except Exception as exc:
            yield internal_problem(f"{source}:{n}", exc, "reading", repr(row).encode())


_SAMPLE = 1 << 16


class _CsvLines:
    """Lines for csv.reader with the per-row cap applied while reading: a row (one line or,
    quoted, several) longer than the cap raises before it is held, and NUL bytes (which the
    csv module refuses, and which once rejected a whole file as binary) are dropped."""

    def __init__(self, text: io.TextIOWrapper, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.line = 0
        self.row_chars = 0
        self.nul = 0
        self.cut = False

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.line += 1
        if not line.endswith("\n") and len(line) > self.limit:
            self.cut = True
        self.row_chars += len(line)
        if self.cut or self.row_chars > self.limit:
            raise _RowTooLarge
        if "\x00" in line:
            self.nul += line.count("\x00")
            line = line.replace("\x00", "")
        return line

    def row_done(self) -> None:
        self.row_chars = 0

    def skip_row(self) -> None:
        """Read through the rest of an over-long line without keeping it."""
        while self.cut:
            block = self.text.readline(_READ_BLOCK)
            if not block or block.endswith("\n"):
                self.cut = False
        self.row_chars = 0


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
