"""Read inputs of any supported format into raw pages.

:func:`expand` turns command-line paths into inputs (directories are walked
recursively, ``-`` is standard input); :func:`read` yields the raw pages of one
input, or :class:`~warlog.records.Problem` records for what could not be read.
Nothing here writes: problems are reported by the caller, and the batch goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warlog.errors import E, InputError
from warlog.ingest import detect as det
from warlog.ingest.feed import read_feed
from warlog.ingest.html import read_html
from warlog.ingest.skip import Unchanged
from warlog.ingest.tabular import read_csv, read_jsonl
from warlog.ingest.text import read_text
from warlog.ingest.warc import read_warc
from warlog.records import PageFormat, Problem, RawPage
from warlog.settings import IngestOptions, format_mb

STDIN = "-"
_HEAD = 8192


@dataclass(frozen=True, slots=True)
class Input:
    name: str  # what messages call it: the path as given, "<stdin>", "<bytes 1>"
    path: Path | None  # None for standard input and for content given in memory
    stream: BinaryIO | None = None  # content given as bytes or a binary file object

    def open(self) -> BinaryIO:
        if self.stream is not None:
            return self.stream
        if self.path is None:
            return sys.stdin.buffer
        return self.path.open("rb")


# What ingest takes: paths (a str or os.PathLike; "-" is standard input), or a page's
# content itself as bytes or a binary file object (an upload, a download in memory).
Source = str | os.PathLike[str] | bytes | BinaryIO


def expand(paths: Iterable[Source]) -> Iterator[Input | Problem]:
    """Inputs named on the command line, directories walked in a stable order; content given
    as bytes or a file object is one input, named ``<bytes N>`` or by the file's name."""
    for n, given in enumerate(paths, 1):
        if isinstance(given, bytes | bytearray):
            yield Input(f"<bytes {n}>", None, io.BytesIO(bytes(given)))
            continue
        if hasattr(given, "read"):
            name = getattr(given, "name", None)
            yield Input(name if isinstance(name, str) else f"<stream {n}>", None, given)  # type: ignore[arg-type]
            continue
        raw = os.fspath(given)  # type: ignore[arg-type]
        if raw == STDIN:
            yield Input("<stdin>", None)
            continue
        p = Path(raw)
        if p.is_dir():
            found = False
            for f in _walk(p):
                if isinstance(f, Problem):
                    yield f
                    continue
                found = True
                yield Input(str(f), f)
            if not found:
                yield Problem(raw, InputError(E.E101, path=raw).message)
        elif p.is_file():
            yield Input(raw, p)
        elif not p.exists():
            yield Problem(
                raw, InputError(E.E102, path=raw, reason="no such file or directory").message
            )
        else:
            yield Problem(raw, InputError(E.E102, path=raw, reason="not a regular file").message)


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _walk(root: Path) -> Iterator[Path | Problem]:
    """Regular files under ``root`` (symbolic links to them too), in a stable order.

    Anything else is named and skipped: opening a FIFO would wait forever for a writer.
    A folder that cannot be listed is named too, never skipped in silence.
    """
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        yield from _walk_errors(errors)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                yield Problem(
                    str(path),
                    InputError(E.E102, path=str(path), reason=exc.strerror or str(exc)).message,
                )
                continue
            if stat.S_ISREG(mode):
                yield path
                continue
            kind = next((what for test, what in _KINDS if test(mode)), "not a file")
            yield Problem(str(path), InputError(E.E127, kind=kind).message, fatal=False)
    yield from _walk_errors(errors)


def _walk_errors(errors: list[OSError]) -> Iterator[Problem]:
    for exc in errors:
        where = str(exc.filename or "")
        yield Problem(
            where, InputError(E.E102, path=where, reason=exc.strerror or str(exc)).message
        )
    errors.clear()


def read(
    inp: Input, options: IngestOptions, known: Callable[[str], bool] | None = None
) -> Iterator[RawPage | Problem | Unchanged]:
    """Raw pages of one input. Raises InputError when the whole input is unusable.

    ``known(sha256)`` tells whether a page's bytes are already stored: such pages are
    reported as :class:`Unchanged` before any extraction work (HTML parsing is the
    expensive part of a re-run).
    """
    try:
        stream = inp.open()
    except OSError as exc:
        raise InputError(E.E102, path=inp.name, reason=exc.strerror or str(exc)) from exc
    try:
        yield from _read_stream(stream, inp, options, known)
    except OSError as exc:
        raise InputError(E.E102, path=inp.name, reason=exc.strerror or str(exc)) from exc
    finally:
        if inp.path is not None:
            stream.close()


def _read_stream(
    stream: BinaryIO, inp: Input, options: IngestOptions, known: Callable[[str], bool] | None
) -> Iterator[RawPage | Problem | Unchanged]:
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(_HEAD)[:_HEAD]  # type: ignore[attr-defined]
    if not head.strip():
        raise InputError(E.E103)
    if det.is_gzip(head):
        inner = det.gunzip_head(head)
        if det.detect(inner, inp.name) is PageFormat.WARC:
            yield from read_warc(buffered, inp.name, options.max_bytes, known)
            return
        if not inner:
            raise InputError(E.E107, what="gzip file", reason="cannot decompress the first block")
        yield from _dispatch(gzip.GzipFile(fileobj=buffered), inner, inp, options, known, gz=True)
        return
    yield from _dispatch(buffered, head, inp, options, known, gz=False)


def _dispatch(
    stream: BinaryIO,
    head: bytes,
    inp: Input,
    options: IngestOptions,
    known: Callable[[str], bool] | None,
    gz: bool,
) -> Iterator[RawPage | Problem | Unchanged]:
    fmt = det.detect(head, inp.name)
    if fmt is PageFormat.WARC:
        yield from read_warc(stream, inp.name, options.max_bytes, known)
        return
    if fmt in (PageFormat.JSONL, PageFormat.CSV):
        stream = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
        reader = read_jsonl if fmt is PageFormat.JSONL else read_csv
        try:
            yield from reader(stream, inp.name, options, known)
        except (EOFError, gzip.BadGzipFile) as exc:
            raise InputError(E.E107, what="gzip file", reason=str(exc) or "unexpected end") from exc
        return
    body = _read_limited(stream, options.max_bytes, gz)
    if fmt is not PageFormat.FEED and known is not None:
        sha = hashlib.sha256(body).hexdigest()
        if known(sha):
            yield Unchanged(inp.name, sha)
            return
    readers: dict[PageFormat, Callable[[bytes, str], Iterator[RawPage | Problem]]] = {
        PageFormat.TEXT: lambda b, s: read_text(b, s),
        PageFormat.HTML: lambda b, s: iter([read_html(b, s)]),
        PageFormat.FEED: read_feed,
    }
    yield from readers[fmt](body, inp.name)


def _read_limited(stream: BinaryIO, limit: int, gz: bool) -> bytes:
    try:
        body = stream.read(limit + 1)
    except (EOFError, gzip.BadGzipFile) as exc:
        raise InputError(E.E107, what="gzip file", reason=str(exc) or "unexpected end") from exc
    if len(body) > limit:
        size = "over the limit once decompressed" if gz else format_mb(_size(stream))
        raise InputError(E.E105, size=size, limit=format_mb(limit))
    return body


def _size(stream: BinaryIO) -> float:
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        return 0.0
