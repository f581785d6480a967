"""What the server holds (health) and the feeds ``warlog watch`` follows."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from warlog.api.deps import json_answer, reader, state

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/health", summary="Liveness and what the store holds")
def health(request: Request) -> JSONResponse:
    st = reader(request)
    return json_answer(
        {
            "ok": True,
            "articles": st.count("articles"),
            "claims": st.count("claims"),
            "events": st.count("events"),
            "writes": state(request).secret is not None,
        }
    )


@router.get("/feeds", summary="Feeds followed by `warlog watch`, with their state")
def feeds(request: Request) -> JSONResponse:
    from warlog.watch.status import feeds_json

    return json_answer({"feeds": feeds_json(reader(request))})
