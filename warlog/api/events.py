"""Events: the list, one event, its articles, and exports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from warlog.api import reads
from warlog.api.articles import article_json
from warlog.api.deps import (
    MAX_LIST,
    MAX_OFFSET,
    EventFilters,
    event_filters,
    json_answer,
    reader,
    state,
    text_param,
)
from warlog.export import FORMATS, export_stream

router = APIRouter(prefix="/api", tags=["events"])
MAX_EXPORT = 100_000
_MEDIA = {
    "ucdp-csv": ("text/csv; charset=utf-8", "csv"),
    "acled-csv": ("text/csv; charset=utf-8", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "jsonl": ("application/x-ndjson", "jsonl"),
}


@router.get("/events", summary="Events, filtered, sorted and paginated")
def list_events(
    request: Request,
    filters: Annotated[EventFilters, Depends(event_filters)],
    order: Literal["date", "-date", "killed", "reports", "sources"] = "date",
    id: Annotated[
        list[str] | None, Query(max_length=MAX_LIST, description="Only these event ids")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    updated_since: Annotated[
        datetime | None,
        Query(description="Only events created or changed after this moment (ISO 8601)"),
    ] = None,
) -> Response:
    st = reader(request)
    ids = [text_param(i) or "" for i in id] if id else None
    if updated_since is not None:
        # The store keeps UTC: a moment given with its offset is moved there, one without
        # is read as UTC.
        updated_since = (
            updated_since.astimezone(UTC)
            if updated_since.tzinfo
            else updated_since.replace(tzinfo=UTC)
        )
    body = reads.event_list_body(
        st,
        filters.store_args(state(request).focus_country),
        ids=ids,
        order=order,
        limit=limit,
        offset=offset,
        updated_since=updated_since,
        near=filters.near_json(),
    )
    return Response(body, media_type="application/json")


@router.get("/events/{event_id}", summary="One event with its claims")
def one_event(request: Request, event_id: str) -> Response:
    st = reader(request)
    event_id = text_param(event_id) or ""
    merged = None if st.event_exists(event_id) else st.event_alias(event_id)
    if merged is not None:
        # A cited link to an event that was merged into another answers with that event.
        return RedirectResponse(f"/api/events/{quote(merged)}", status_code=308)
    return json_answer(reads.one_event(st, event_id, state(request).focus_country))


@router.get(
    "/events/{event_id}/articles",
    summary="The articles of an event with their text and claim spans, in one request",
)
def event_articles(request: Request, event_id: str) -> JSONResponse:
    st = reader(request)
    ev = reads.one_event(st, text_param(event_id) or "", state(request).focus_country)
    ids = reads.article_ids_of(ev)
    claims: dict[str, list[Any]] = {}
    for c in st.claims(article_ids=ids) if ids else []:
        claims.setdefault(c.article_id, []).append(c)
    return json_answer(
        {
            "event": ev["id"],
            "articles": [article_json(a, claims.get(a.id, [])) for a in st.articles(ids=ids)],
        }
    )


@router.get("/export", summary="Events in an exchange format")
def export_events(
    request: Request,
    format: Literal["ucdp-csv", "acled-csv", "geojson", "jsonl"],
    filters: Annotated[EventFilters, Depends(event_filters)],
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = 10_000,
) -> Response:
    assert format in FORMATS
    st = reader(request)
    media, ext = _MEDIA[format]
    pages = reads.export_pages(st, filters.store_args(state(request).focus_country), limit)
    return StreamingResponse(
        (part.encode("utf-8") for part in export_stream(pages, format)),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="warlog-{format}.{ext}"'},
    )
