"""Claims, articles (metadata, one article with its spans, the raw page) and full-text search."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from warlog.api.deps import MAX_LIST, MAX_OFFSET, json_answer, reader, text_param
from warlog.codec import article_meta_json, claim_json
from warlog.records import OUTCOMES, SCOPES

router = APIRouter(prefix="/api")
# A raw page is whatever a scraper saved, scripts included: never a document of this origin.
RAW_CSP = "sandbox; default-src 'none'"


@router.get("/claims", tags=["claims"], summary="Stored claims")
def list_claims(
    request: Request,
    article_id: Annotated[list[str] | None, Query(max_length=200)] = None,
    outcome: Literal[OUTCOMES] | None = None,  # type: ignore[valid-type]
    scope: Literal[SCOPES] | None = None,  # type: ignore[valid-type]
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> JSONResponse:
    ids = [text_param(a) or "" for a in article_id] if article_id else None
    found = reader(request).claims(
        article_ids=ids, outcome=outcome, scope=scope, limit=limit + 1, offset=offset
    )
    return json_answer(
        {
            "claims": [{"article_id": c.article_id, **claim_json(c)} for c in found[:limit]],
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if len(found) > limit else None,
        }
    )


@router.get("/articles", tags=["articles"], summary="Stored articles (metadata)")
def list_articles(
    request: Request,
    since: date | None = None,
    until: date | None = None,
    duplicates: bool = True,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> JSONResponse:
    found = reader(request).articles(
        since=since, until=until, include_duplicates=duplicates, limit=limit + 1, offset=offset
    )
    return json_answer(
        {
            "articles": [article_meta_json(a, source=False) for a in found[:limit]],
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if len(found) > limit else None,
        }
    )


@router.get(
    "/articles/{article_id}",
    tags=["articles"],
    summary="One article: cleaned text, its claims with their character spans, its events",
)
def one_article(request: Request, article_id: str) -> JSONResponse:
    st = reader(request)
    art = st.article(text_param(article_id) or "")
    return json_answer(
        {
            **article_json(art, st.claims(article_ids=[art.id])),
            "events": st.event_ids_of_articles([art.id]),
            "quarantine": st.quarantine_state(art.id)["quarantined"],
        }
    )


@router.get(
    "/articles/{article_id}/raw",
    tags=["articles"],
    summary="The page the article was read from, byte for byte, as plain text",
)
def raw_page(request: Request, article_id: str) -> Response:
    st = reader(request)
    art = st.article(text_param(article_id) or "")
    body = st.page_body(art.page_sha256)
    if body is None:
        raise HTTPException(404, f"the page of article {art.id!r} is not stored")
    try:
        body.decode("utf-8")
        media = "text/plain; charset=utf-8"
    except UnicodeDecodeError:
        media = "text/plain"
    # text/plain + nosniff + a sandbox: a saved page's scripts are shown, never run.
    return Response(body, media_type=media, headers={"Content-Security-Policy": RAW_CSP})


@router.get("/search", tags=["articles"], summary="Full-text search over articles")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=1000)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> JSONResponse:
    st = reader(request)
    hits = st.search_articles(text_param(q) or "", limit=limit, offset=offset)
    return json_answer(
        {
            "query": q,
            "hits": [
                {
                    "article_id": h.article_id,
                    "title": h.title,
                    "published": h.published.isoformat() if h.published else None,
                    "outlet": h.outlet,
                    "snippet": h.snippet,
                    # The snippet as plain pieces, so a page can build it with textContent.
                    "snippet_parts": snippet_parts(h.snippet),
                    "rank": h.rank,
                    "events": st.event_ids_of_articles([h.article_id]),
                }
                for h in hits
            ],
            "limit": limit,
            "offset": offset,
        }
    )


def snippet_parts(snippet: str) -> list[dict[str, Any]]:
    parts = []
    for i, piece in enumerate(re.split(r"</?mark>", snippet)):
        if piece:
            parts.append({"text": html.unescape(piece), "mark": i % 2 == 1})
    return parts


def article_json(art: Any, claims: list[Any]) -> dict[str, Any]:
    return {
        **article_meta_json(art, source=False),
        "text": art.text,
        "raw_url": f"/api/articles/{art.id}/raw",
        "claims": [claim_json(c) for c in claims],
        # Every claim's sentence, as [start, end) offsets into ``text``.
        "spans": [
            {"claim": c.index, "start": c.evidence.start, "end": c.evidence.end} for c in claims
        ],
    }
