"""The compact list form of an event, computed when the event is written (migration 9).

A list page used to parse every event's whole JSON (claims and evidence included), drop the
claims, add the country flag and serialise it again: most of a page's server time. Each event
row now also holds ``list_json``, the event's list entry already serialised exactly as the API
renders it (Starlette's ``JSONResponse``: compact separators, UTF-8, no NaN), and
``list_flags_at``, where its ``flags`` list closes, so that the one flag that depends on the
request (``outside_country``, judged against the collection's country) is spliced in as text.
A page is then these strings joined: byte for byte what the old path produced (a test keeps
them equal on the seeds).

``span_class`` bounds an event's date window (0: at most 31 days, 1: at most 366, 2: longer
or unknown), so ``since`` can bound ``date_start`` from below as well and an index serves a
date range instead of scanning every earlier event.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from warlog.link.plausibility import outside_country

# (class, longest window in days) for the bounded classes; anything else is the last class.
SPAN_CLASSES: tuple[tuple[int, int], ...] = ((0, 31), (1, 366))
UNBOUNDED_SPAN = 2


def dumps(value: Any) -> str:
    """JSON exactly as the API's responses render it (``starlette.responses.JSONResponse``)."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    )


def list_entry(data: dict[str, Any]) -> tuple[str, int]:
    """An event's list entry (its public JSON without ``claims``) and the offset of the ``]``
    closing its ``flags``.

    Built key by key as ``json.dumps`` would, to learn that offset without searching the text.
    """
    d = {k: v for k, v in data.items() if k != "claims"}
    # ``with_flags`` adds the key at the end when an event has none.
    d.setdefault("flags", [])
    parts: list[str] = []
    size = 1  # the opening brace
    flags_at = -1
    for key, value in d.items():
        part = f"{dumps(key)}:{dumps(value)}"
        if key == "flags":
            flags_at = size + (1 if parts else 0) + len(part) - 1
        size += len(part) + (1 if parts else 0)
        parts.append(part)
    return "{" + ",".join(parts) + "}", flags_at


def compact_columns(data: dict[str, Any], start: date | None, end: date | None) -> dict[str, Any]:
    """Migration 9's columns of an event row: its list entry, where its flags close, its span
    class (the ledger writes them with each event; the migration filled older rows alike)."""
    entry, flags_at = list_entry(data)
    return {"list_json": entry, "list_flags_at": flags_at, "span_class": span_class(start, end)}


def with_focus(entry: str, flags_at: int, country: str | None, focus: str | None) -> str:
    """The stored entry with the ``outside_country`` flag spliced in when the event's place
    is in another country than the collection's (as ``plausibility.with_flags`` adds it)."""
    extra = outside_country({"place": {"country": country}}, focus)
    if extra is None:
        return entry
    comma = "" if entry[flags_at - 1] == "[" else ","
    return entry[:flags_at] + comma + dumps(extra) + entry[flags_at:]


def span_class(start: date | None, end: date | None) -> int:
    if start is None or end is None:
        return UNBOUNDED_SPAN
    days = (end - start).days
    for cls, longest in SPAN_CLASSES:
        if days <= longest:
            return cls
    return UNBOUNDED_SPAN


def earliest_start(since: date, cls: int) -> date:
    """The earliest ``date_start`` an event of class ``cls`` can have and still end on or
    after ``since``."""
    longest = dict(SPAN_CLASSES)[cls]
    try:
        return since - timedelta(days=longest)
    except OverflowError:
        return date.min
