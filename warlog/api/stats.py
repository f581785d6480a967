"""Statistics over the events: deaths per period by a grouping, and the filter facets."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from warlog.api.deps import json_answer, reader, state, text_param
from warlog.store.stats import UNKNOWN

router = APIRouter(prefix="/api", tags=["events"])


@router.get("/stats", summary="Deaths per week or month by a grouping")
def deaths_stats(
    request: Request,
    period: Literal["week", "month"] = "week",
    by: Literal["actor", "admin1", "event_type"] = "actor",
    since: date | None = None,
    until: date | None = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    type: Annotated[str | None, Query(max_length=60)] = None,
    kind: Literal["incident", "tally"] = "incident",
    conflicting: bool = False,
    flagged: Annotated[bool, Query(description="Only events with a plausibility flag")] = False,
    include_flagged: Annotated[
        bool, Query(description="Count flagged events too (left out by default)")
    ] = False,
) -> JSONResponse:
    st = reader(request)
    return json_answer(
        st.deaths(
            period=period,
            by=by,
            since=since,
            until=until,
            actor=text_param(actor),
            event_type=text_param(type),
            kind=kind,
            conflicting=conflicting,
            include_flagged=include_flagged,
            only_flagged=flagged,
            only_flagged_in=state(request).focus() if flagged else None,
        )
    )


@router.get("/facets", summary="Event types and perpetrators present")
def facets(request: Request) -> JSONResponse:
    st = reader(request)
    types = st.deaths(by="event_type", kind=None)
    actors = st.deaths(by="actor", kind=None)
    return json_answer(
        {
            "event_types": sorted(g["group"] for g in types["groups"]),
            "actors": [g["group"] for g in actors["groups"] if g["group"] != UNKNOWN],
            # The country the map opens on and the "outside_country" flag is judged by.
            "focus_country": state(request).focus(),
        }
    )
