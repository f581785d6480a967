"""Every read of events by the API, in one place: ``Store.events`` returns records, and this
module turns them into the public JSON (:mod:`warlog.codec`); the routers only pass it on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from warlog.codec import event_json
from warlog.records import Event
from warlog.store import Store
from warlog.store.compact import dumps

EXPORT_PAGE = 500  # events per page of a streamed export


def event_list_body(
    st: Store,
    args: dict[str, Any],
    *,
    ids: list[str] | None,
    order: str,
    limit: int,
    offset: int,
    updated_since: datetime | None,
    near: dict[str, Any] | None,
) -> bytes:
    """The list answer as bytes: the stored list entries joined, never parsed nor encoded
    again (migration 9). The same bytes as rendering ``{"events": [...], ...}`` whole."""
    entries = st.event_list(
        **args, ids=ids, order=order, limit=limit + 1, offset=offset, updated_since=updated_since
    )
    more = len(entries) > limit
    tail = dumps(
        {
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if more else None,
            "near": near,
        }
    )
    return ('{"events":[' + ",".join(entries[:limit]) + "]," + tail[1:]).encode("utf-8")


def one_event(st: Store, event_id: str, focus_country: str | None) -> dict[str, Any]:
    return event_json(st.event(event_id, focus_country=focus_country))


def events_by_id(st: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The list's shape (no claims), as the upload answer names the events it touched."""
    return [event_json(e, with_claims=False) for e in st.events(ids=ids)] if ids else []


def article_ids_of(event: dict[str, Any]) -> list[str]:
    return sorted({c["article_id"] for c in event.get("claims", ())})


def export_pages(st: Store, args: dict[str, Any], limit: int) -> Iterator[list[Event]]:
    """A page of events at a time: a large export is never built whole in memory."""
    for offset in range(0, limit, EXPORT_PAGE):
        size = min(EXPORT_PAGE, limit - offset)
        found = st.events(**args, limit=size, offset=offset)
        yield found
        if len(found) < size:
            return
