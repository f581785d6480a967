"""Recognise an input's format from its first bytes; the file name only breaks ties."""

from __future__ import annotations

import gzip
import json
import re
import zlib

from warlog.records import PageFormat

_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)\b[^>]*>", re.I)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I)
_TAGS = re.compile(rb"</?[a-zA-Z][a-zA-Z0-9]*\b[^>]{0,200}>")


def is_gzip(head: bytes) -> bool:
    return head[:2] == b"\x1f\x8b"


def gunzip_head(head: bytes, size: int = 4096) -> bytes:
    """The first bytes of a gzip stream, tolerating truncation."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, size)
    except zlib.error:
        try:
            return gzip.decompress(head)[:size]
        except (OSError, EOFError, zlib.error):
            return b""


def detect(head: bytes, name: str = "") -> PageFormat:
    """Format of an input whose (decompressed) first bytes are ``head``."""
    lower_name = name.lower().removesuffix(".gz")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"WARC/"):
        return PageFormat.WARC
    if stripped.startswith(b"<?xml") or stripped[:1] == b"<":
        if _FEED.search(stripped[:2048]):
            return PageFormat.FEED
        if _HTML.search(stripped[:4096]):
            return PageFormat.HTML
    if stripped[:1] == b"{" and _first_line_is_json_object(stripped):
        return PageFormat.JSONL
    if stripped[:1] == b"[" and lower_name.endswith(".json"):
        return PageFormat.JSONL
    if lower_name.endswith((".csv", ".tsv")):
        return PageFormat.CSV
    # HTML fragments without a document wrapper still read as HTML.
    if len(_TAGS.findall(stripped[:4096])) >= 8:
        return PageFormat.HTML
    return PageFormat.TEXT


def _first_line_is_json_object(data: bytes) -> bool:
    line = data.split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except RecursionError:
        return True  # an object nested too deep: the reader says so for its line
    except ValueError:
        # A first line cut by the head buffer: trust the shape.
        return len(line) >= len(data) - 1 and line.startswith(b'{"')
