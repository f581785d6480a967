"""WARC / WARC.gz archives (web archives, Common Crawl News): one page per response record."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader

from warlog.errors import E, InputError
from warlog.guard import internal_problem
from warlog.ingest.html import read_html
from warlog.ingest.skip import Unchanged
from warlog.ingest.text import read_text
from warlog.records import Problem, RawPage
from warlog.settings import format_mb

_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class _Loader(ArcWarcRecordLoader):  # type: ignore[misc]
    """warcio's loader, minus its AttributeError on a record without WARC-Target-URI."""

    def load_http_headers(
        self, rec_type: str, uri: str | None, stream: object, length: int
    ) -> object:
        # No URI: not an http(s) record, so warcio leaves its headers unparsed (the record is
        # then reported below) instead of calling None.startswith and ending the archive.
        return super().load_http_headers(rec_type, uri or "", stream, length)


def read_warc(
    stream: BinaryIO,
    source: str,
    max_bytes: int,
    known: Callable[[str], bool] | None = None,
) -> Iterator[RawPage | Problem | Unchanged]:
    n = 0
    try:
        records = ArchiveIterator(stream)
        records.loader = _Loader(verify_http=False, arc2warc=False)
        for record in records:
            if record.rec_type is None:
                yield Problem(
                    f"{source}#{n + 1}",
                    InputError(
                        E.E107, what="WARC record", reason="no WARC-Type header; skipped"
                    ).message,
                )
                continue
            if record.rec_type not in ("response", "resource", "conversion"):
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{n} {url or ''}".rstrip()
            if not url:
                yield Problem(
                    where,
                    InputError(
                        E.E107, what="WARC record", reason="no WARC-Target-URI header; skipped"
                    ).message,
                )
                continue
            ctype = _content_type(record)
            if ctype and not ctype.startswith(_PAGE_TYPES):
                continue
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield Problem(
                    where,
                    InputError(
                        E.E105, size=f"over {format_mb(max_bytes)}", limit=format_mb(max_bytes)
                    ).message,
                )
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:
                # The record promised more bytes than the file holds: the archive was cut here.
                raise EOFError(f"record {n} ({url or 'no URL'}) is cut short")
            if not body.strip():
                continue
            if known is not None and known(hashlib.sha256(body).hexdigest()):
                # Stored already, or failed in an earlier run: the pipeline tells which.
                yield Unchanged(where, hashlib.sha256(body).hexdigest())
                continue
            try:
                if ctype.startswith("text/plain"):
                    yield from read_text(body, where, url=url, fetched_at=_warc_date(record))
                else:
                    yield read_html(
                        body,
                        where,
                        url=url,
                        fetched_at=_warc_date(record),
                        declared=_charset(ctype),
                    )
            except InputError as exc:
                yield Problem(where, exc.message)
            except Exception as exc:  # one record's bug must not end the archive
                yield internal_problem(where, exc, "reading", body)
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if n:
            reason += f"; the {n - 1} record(s) before it were read"
        yield Problem(source, InputError(E.E107, what="WARC archive", reason=reason).message)
    except Exception as exc:  # warcio raises more than it documents (AttributeError, KeyError)
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        if n:
            reason += f"; the {n - 1} record(s) before it were read"
        yield Problem(source, InputError(E.E107, what="WARC archive", reason=reason).message)


def _content_type(record: object) -> str:
    headers = getattr(record, "http_headers", None)
    raw = headers.get_header("Content-Type") if headers is not None else None
    if raw is None:
        raw = record.rec_headers.get_header("Content-Type")  # type: ignore[attr-defined]
    return (raw or "").lower()


def _charset(ctype: str) -> str | None:
    for part in ctype.split(";"):
        k, _, v = part.strip().partition("=")
        if k == "charset" and v:
            return v.strip("\"'")
    return None


def _warc_date(record: object) -> datetime | None:
    raw = record.rec_headers.get_header("WARC-Date")  # type: ignore[attr-defined]
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
