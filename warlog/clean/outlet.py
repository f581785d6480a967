"""Which outlet published a page: from its URL or metadata, else from a clear signature.

A bare text page is attributed only on evidence that names the publisher
(a copyright line, "Press TV reported" closing a rewrite); a wire credit inside
the story ("told AFP") names a source, not the outlet, and is ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domains: tuple[str, ...]
    signatures: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class OutletGuess:
    name: str
    how: str
    known: bool = True  # in the outlet list (a canonical name), not just a host name


def choose(
    url: str | None, given: str | None, given_how: str | None, tail: list[str]
) -> OutletGuess | None:
    """Best evidence first: a listed domain, then metadata, then the bare host, then signatures."""
    by_url = from_url(url)
    if by_url and by_url.known:
        return by_url
    if given and given.strip():
        return _canonical(given.strip(), given_how or "given with the page")
    return by_url or from_signature(tail)


@cache
def outlets() -> tuple[Outlet, ...]:
    raw = json.loads(resources.files("warlog.data").joinpath("outlets.json").read_text("utf-8"))
    return tuple(
        Outlet(
            name=o["name"],
            domains=tuple(o["domains"]),
            signatures=tuple(re.compile(p, re.I) for p in o["signatures"]),
        )
        for o in raw["outlets"]
    )


def from_url(url: str | None) -> OutletGuess | None:
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    if not host:
        return None
    for outlet in outlets():
        for domain in outlet.domains:
            if host == domain or host.endswith("." + domain):
                return OutletGuess(outlet.name, f"url host {host}")
    bare = host.removeprefix("www.")
    return OutletGuess(bare, f"url host {host} (not in the outlet list)", known=False)


def _canonical(name: str, how: str) -> OutletGuess:
    low = name.lower()
    for outlet in outlets():
        if outlet.name.lower() == low:
            return OutletGuess(outlet.name, f"{how} {name!r}")
    return OutletGuess(name, f"{how} {name!r}", known=False)


def from_signature(lines: list[str]) -> OutletGuess | None:
    """Attribute a bare page from copyright lines or its closing paragraph."""
    for line in lines:
        for outlet in outlets():
            for sig in outlet.signatures:
                m = sig.search(line)
                if m:
                    return OutletGuess(outlet.name, f"signature {m.group(0)!r}")
    return None
