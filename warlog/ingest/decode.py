"""Bytes -> text, surviving wrong and mislabelled encodings.

Scraped pages lie about their encoding: Arabic sites serve cp1256 under a
``charset=utf-8`` header, European ones latin-1 without saying so. We trust
bytes over labels: strict UTF-8 first (it almost never decodes non-UTF-8 text
by accident), then the declared charset, then charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from warlog.errors import E, InputError

_DECLARED = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Control bytes that never occur in text pages (tab, LF, CR, FF and ESC excluded).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
# cp1256 keeps a few French letters (à â ç è é ê ë î ï ô ù û ü) and × among its Arabic block.
_CP1256_LATIN = frozenset(
    (0xD7, 0xE0, 0xE2, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEE, 0xEF, 0xF4, 0xF9, 0xFB, 0xFC)
)
_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"\x7fELF": "executable",
    b"SQLite format 3": "SQLite database",
}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def declared_charset(head: bytes) -> str | None:
    m = _XML_DECL.search(head) or _DECLARED.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary data, or None for something that may be text."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return what
    sample = data[:8192]
    if not sample:
        return None
    if b"\x00" in sample and not _looks_utf16(sample):
        return "contains NUL bytes"
    ctrl = sum(sample.count(bytes([b])) for b in _BINARY_BYTES)
    if ctrl / len(sample) > 0.05:
        return "mostly control bytes"
    return None


def _looks_utf16(sample: bytes) -> bool:
    return sample[:2] in (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode page bytes; raises InputError for data that is not text at all."""
    what = sniff_binary(data)
    if what:
        raise InputError(E.E104, what=what)
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    if _looks_utf16(data):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    declared = declared or declared_charset(data[:4096])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(text, "utf-8")
    guess = _guess(data)
    if declared and _same_codec(declared, "utf-8"):
        return Decoded(
            data.decode(guess, errors="replace"),
            guess,
            f"declared UTF-8 but is not; decoded as {guess}",
        )
    if declared and not _same_codec(declared, guess):
        try:
            return Decoded(data.decode(declared), declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return Decoded(
        data.decode(guess, errors="replace"), guess, f"no valid UTF-8; decoded as {guess}"
    )


def _guess(data: bytes) -> str:
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return "latin-1"
    enc = best.encoding
    # charset-normalizer often reports Arabic cp1256 pages as cp1250/latin: a
    # high share of bytes in the Arabic block of cp1256 settles it.
    if enc != "cp1256" and _arabic_share(data) > 0.3:
        return "cp1256"
    return enc


def _arabic_share(data: bytes) -> float:
    high = [b for b in data[:50_000] if b >= 0x80]
    if not high:
        return 0.0
    arabic = sum(1 for b in high if 0xC1 <= b <= 0xFE and b not in _CP1256_LATIN)
    return arabic / len(high)


def _same_codec(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return False
