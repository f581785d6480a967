"""The dashboard's pages, the offline API reference and the packaged boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from warlog.api.deps import state, text_param

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
STATIC_DIR = WEB_DIR / "static"
BOUNDARIES_DIR = Path(__file__).resolve().parents[1] / "data" / "boundaries"

router = APIRouter(include_in_schema=False)


def page() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", media_type="text/html")


for _route in ("/", "/article/{article_id}", "/search", "/feeds"):
    router.add_api_route(_route, page, methods=["GET"])


@router.get("/event/{event_id}")
def event_page(request: Request, event_id: str) -> Response:
    reads = state(request).reads
    event_id = text_param(event_id) or ""
    merged = None if reads.event_exists(event_id) else reads.event_alias(event_id)
    if merged is not None:
        return RedirectResponse(f"/event/{quote(merged)}", status_code=308)
    return page()


@router.get("/docs")
def docs() -> FileResponse:
    return FileResponse(WEB_DIR / "docs.html", media_type="text/html")


@router.get("/boundaries/{name}")
def boundaries(name: Literal["countries.geojson", "admin1.geojson"]) -> FileResponse:
    return FileResponse(BOUNDARIES_DIR / name, media_type="application/geo+json")
