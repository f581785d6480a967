"""Every read of events by the API, in one place: when ``Store.events`` returns records
instead of JSON dicts, this module is what changes (the routers only pass its answers on)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

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
    return st.event(event_id, focus_country=focus_country)


def events_by_id(st: Store, ids: list[str]) -> list[dict[str, Any]]:
    return st.events(ids=ids) if ids else []


def article_ids_of(event: dict[str, Any]) -> list[str]:
    return sorted({c["article_id"] for c in event.get("claims", ())})


def export_pages(st: Store, args: dict[str, Any], limit: int) -> Iterator[list[dict[str, Any]]]:
    """A page of events at a time: a large export is never built whole in memory."""
    for offset in range(0, limit, EXPORT_PAGE):
        size = min(EXPORT_PAGE, limit - offset)
        found = st.events(**args, limit=size, offset=offset, with_claims=True)
        yield found
        if len(found) < size:
            return
