"""The HTTP API and the dashboard: a thin FastAPI layer over :class:`warlog.store.Store`.

Every read goes through the library (``Store.events``, ``Store.event``, ``Store.claims``,
``Store.search_articles``, ``warlog.export``), so the API, the CLI and the dashboard can never
disagree. Errors are JSON (``{"error": {"status", "code", "message"}}``) for every status.
"""

from __future__ import annotations

import hmac
import html
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    MutableMapping,
    Sequence,
)
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware

from warlog.api import stats
from warlog.codec import event_json
from warlog.errors import WarlogError
from warlog.export import FORMATS, export_stream
from warlog.extract.jsonout import article_meta_json, claim_json
from warlog.near import NearPlace, near_place
from warlog.records import OUTCOMES, SCOPES, Event
from warlog.settings import DEFAULT_MAX_BYTES, IngestOptions
from warlog.store import Store

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
STATIC_DIR = WEB_DIR / "static"
BOUNDARIES_DIR = Path(__file__).resolve().parents[1] / "data" / "boundaries"
TOKEN_ENV = "WARLOG_TOKEN"
MAX_LIST = 1000
MAX_OFFSET = 10**9  # anything larger overflows SQLite's integer before it means anything
MAX_EXPORT = 100_000
EXPORT_PAGE = 500  # events per page of a streamed export
# A radius beyond a region's size reads every event of the store; nobody means more than this.
MAX_KM = 1000
MAX_JSON_DEPTH = 64
# Host names a browser may reach the server under: without this check a hostile page can
# read the store through the analyst's browser by DNS rebinding (its name, our address).
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "testserver")
# The pages of the dashboard: a script may only come from this origin, so even an escaping
# bug could not run an inline payload (the XSS test checks escaping with this in place, and
# checks the DOM as well so that the test does not pass on the policy alone).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# A raw page is whatever a scraper saved, scripts included: never a document of this origin.
RAW_CSP = "sandbox; default-src 'none'"
_STATUS_OF_CODE = {"E113": 404, "E117": 404, "E119": 400, "E118": 400, "E124": 400}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def create_app(
    store_url: str,
    token: str | None = None,
    *,
    protect_reads: bool = False,
    max_body: int = DEFAULT_MAX_BYTES,
    ingest_options: IngestOptions | None = None,
    focus_country: str | None = None,
    allow_hosts: Sequence[str] = (),
) -> FastAPI:
    """The API and dashboard over the store at ``store_url``.

    ``token`` (default: ``$WARLOG_TOKEN``) is required for writes; with none set, writes are
    refused. ``protect_reads`` requires it for every ``/api`` read as well. ``max_body`` caps a
    request body (an upload is one page, so the ingest limit per page is the natural cap).
    ``focus_country`` is the collection's country for the "outside_country" flag (default: the
    country of most incidents). Requests must name a loopback host or one of ``allow_hosts``.
    """
    focus_country = focus_country.upper() if focus_country else None
    # An empty token is no token: it would let an empty Authorization header write.
    secret = (token if token is not None else os.environ.get(TOKEN_ENV)) or None
    store = Store(store_url)
    # Reads go through a view that takes no SQLite write lock, so that concurrent requests
    # (and a running ingest) do not make them queue one behind another.
    reads = store.reader()
    write_lock = threading.Lock()
    extractor_box: list[Any] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        reads.close()
        store.close()

    app = FastAPI(
        title="warlog",
        summary="A sourced, geocoded ledger of violent events and casualty claims.",
        version=_version(),
        # Swagger UI and ReDoc load from a CDN; /docs is served offline by the dashboard.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    # Compression inside the guard: the guard's headers go on the compressed response.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    hosts = {h.lower() for h in (*LOOPBACK_HOSTS, *allow_hosts)}
    app.add_middleware(_Guard, max_body=max_body, hosts=frozenset(hosts))
    _error_handlers(app)

    def authorize(request: Request, *, write: bool) -> None:
        if not write and not protect_reads:
            return
        if secret is None:
            raise HTTPException(403, f"writes are disabled: start the server with {TOKEN_ENV} set")
        given = _token_of(request)
        if given is None:
            raise HTTPException(
                401,
                "a token is required: Authorization: Bearer TOKEN",
                {"WWW-Authenticate": "Bearer"},
            )
        # Constant time, so the token cannot be guessed a byte at a time from response times.
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise HTTPException(403, "wrong token")

    def reader(request: Request) -> Store:
        authorize(request, write=False)
        return reads

    # --- events -----------------------------------------------------------------------
    @app.get("/api/events", tags=["events"], summary="Events, filtered, sorted and paginated")
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
    ) -> JSONResponse:
        ids = [_text(i) or "" for i in id] if id else None
        if updated_since is not None:
            # The store keeps UTC: a moment given with its offset is moved there, one without
            # is read as UTC.
            updated_since = (
                updated_since.astimezone(UTC)
                if updated_since.tzinfo
                else updated_since.replace(tzinfo=UTC)
            )
        found = reader(request).events(
            **filters.store_args(focus_country),
            ids=ids,
            order=order,
            limit=limit + 1,
            offset=offset,
            updated_since=updated_since,
        )
        more = len(found) > limit
        return _json(
            {
                "events": [event_json(e, with_claims=False) for e in found[:limit]],
                "limit": limit,
                "offset": offset,
                "next_offset": offset + limit if more else None,
                "near": filters.near_json(),
            }
        )

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with its claims")
    def one_event(request: Request, event_id: str) -> Response:
        st = reader(request)
        event_id = _text(event_id) or ""
        merged = None if st.event_exists(event_id) else st.event_alias(event_id)
        if merged is not None:
            # A cited link to an event that was merged into another answers with that event.
            return RedirectResponse(f"/api/events/{quote(merged)}", status_code=308)
        return _json(event_json(st.event(event_id, focus_country=focus_country)))

    @app.get(
        "/api/events/{event_id}/articles",
        tags=["events"],
        summary="The articles of an event with their text and claim spans, in one request",
    )
    def event_articles(request: Request, event_id: str) -> JSONResponse:
        st = reader(request)
        ev = event_json(st.event(_text(event_id) or "", focus_country=focus_country))
        ids = sorted({c["article_id"] for c in ev.get("claims", ())})
        claims: dict[str, list[Any]] = {}
        for c in st.claims(article_ids=ids) if ids else []:
            claims.setdefault(c.article_id, []).append(c)
        return _json(
            {
                "event": ev["id"],
                "articles": [_article_json(a, claims.get(a.id, [])) for a in st.articles(ids=ids)],
            }
        )

    @app.get("/api/export", tags=["events"], summary="Events in an exchange format")
    def export_events(
        request: Request,
        format: Literal["ucdp-csv", "acled-csv", "geojson", "jsonl"],
        filters: Annotated[EventFilters, Depends(event_filters)],
        limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = 10_000,
    ) -> Response:
        assert format in FORMATS
        st = reader(request)
        args = filters.store_args(focus_country)
        media, ext = {
            "ucdp-csv": ("text/csv; charset=utf-8", "csv"),
            "acled-csv": ("text/csv; charset=utf-8", "csv"),
            "geojson": ("application/geo+json", "geojson"),
            "jsonl": ("application/x-ndjson", "jsonl"),
        }[format]

        def pages() -> Iterator[list[Event]]:
            # A page of events at a time: a large export is never built whole in memory.
            for offset in range(0, limit, EXPORT_PAGE):
                size = min(EXPORT_PAGE, limit - offset)
                found = st.events(**args, limit=size, offset=offset, with_claims=True)
                yield found
                if len(found) < size:
                    return

        return StreamingResponse(
            (part.encode("utf-8") for part in export_stream(pages(), format)),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="warlog-{format}.{ext}"'},
        )

    @app.get("/api/stats", tags=["events"], summary="Deaths per week or month by a grouping")
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
        return _json(
            stats.deaths(
                st,
                period=period,
                by=by,
                since=since,
                until=until,
                actor=_text(actor),
                event_type=_text(type),
                kind=kind,
                conflicting=conflicting,
                include_flagged=include_flagged,
                only_flagged=flagged,
                only_flagged_in=(focus_country or st.dominant_country()) if flagged else None,
            )
        )

    @app.get("/api/facets", tags=["events"], summary="Event types and perpetrators present")
    def facets(request: Request) -> JSONResponse:
        data = stats.deaths(reader(request), by="event_type", kind=None)
        actors = stats.deaths(reader(request), by="actor", kind=None)
        return _json(
            {
                "event_types": sorted(g["group"] for g in data["groups"]),
                "actors": [g["group"] for g in actors["groups"] if g["group"] != stats.UNKNOWN],
                # The country the map opens on and the "outside_country" flag is judged by.
                "focus_country": focus_country or reader(request).dominant_country(),
            }
        )

    # --- claims and articles ----------------------------------------------------------
    @app.get("/api/claims", tags=["claims"], summary="Stored claims")
    def list_claims(
        request: Request,
        article_id: Annotated[list[str] | None, Query(max_length=200)] = None,
        outcome: Literal[OUTCOMES] | None = None,  # type: ignore[valid-type]
        scope: Literal[SCOPES] | None = None,  # type: ignore[valid-type]
        limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> JSONResponse:
        ids = [_text(a) or "" for a in article_id] if article_id else None
        found = reader(request).claims(
            article_ids=ids, outcome=outcome, scope=scope, limit=limit + 1, offset=offset
        )
        return _json(
            {
                "claims": [{"article_id": c.article_id, **claim_json(c)} for c in found[:limit]],
                "limit": limit,
                "offset": offset,
                "next_offset": offset + limit if len(found) > limit else None,
            }
        )

    @app.get("/api/articles", tags=["articles"], summary="Stored articles (metadata)")
    def list_articles(
        request: Request,
        since: date | None = None,
        until: date | None = None,
        duplicates: bool = True,
        limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> JSONResponse:
        found = reader(request).articles(
            since=since,
            until=until,
            include_duplicates=duplicates,
            limit=limit + 1,
            offset=offset,
        )
        return _json(
            {
                "articles": [article_meta_json(a, source=False) for a in found[:limit]],
                "limit": limit,
                "offset": offset,
                "next_offset": offset + limit if len(found) > limit else None,
            }
        )

    @app.get(
        "/api/articles/{article_id}",
        tags=["articles"],
        summary="One article: cleaned text, its claims with their character spans, its events",
    )
    def one_article(request: Request, article_id: str) -> JSONResponse:
        st = reader(request)
        art = st.article(_text(article_id) or "")
        return _json(
            {
                **_article_json(art, st.claims(article_ids=[art.id])),
                "events": st.event_ids_of_articles([art.id]),
                "quarantine": st.quarantine_state(art.id)["quarantined"],
            }
        )

    @app.get(
        "/api/articles/{article_id}/raw",
        tags=["articles"],
        summary="The page the article was read from, byte for byte, as plain text",
    )
    def raw_page(request: Request, article_id: str) -> Response:
        st = reader(request)
        art = st.article(_text(article_id) or "")
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

    @app.get("/api/search", tags=["articles"], summary="Full-text search over articles")
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=1000)],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> JSONResponse:
        st = reader(request)
        hits = st.search_articles(_text(q) or "", limit=limit, offset=offset)
        return _json(
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
                        "snippet_parts": _snippet_parts(h.snippet),
                        "rank": h.rank,
                        "events": st.event_ids_of_articles([h.article_id]),
                    }
                    for h in hits
                ],
                "limit": limit,
                "offset": offset,
            }
        )

    @app.get("/api/health", tags=["meta"], summary="Liveness and what the store holds")
    def health(request: Request) -> JSONResponse:
        st = reader(request)
        return _json(
            {
                "ok": True,
                "articles": st.count("articles"),
                "claims": st.count("claims"),
                "events": st.count("events"),
                "writes": secret is not None,
            }
        )

    @app.get(
        "/api/feeds", tags=["meta"], summary="Feeds followed by `warlog watch`, with their state"
    )
    def feeds(request: Request) -> JSONResponse:
        from warlog.watch.status import feeds_json

        return _json({"feeds": feeds_json(reader(request))})

    # --- writes -----------------------------------------------------------------------
    @app.post(
        "/api/articles",
        tags=["articles"],
        status_code=201,
        summary="Ingest articles: JSON, a multipart upload (field 'file'), or a raw body",
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                {"$ref": "#/components/schemas/ArticleIn"},
                                {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/ArticleIn"},
                                },
                            ]
                        }
                    },
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"file": {"type": "string", "format": "binary"}},
                            "required": ["file"],
                        }
                    },
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                }
            }
        },
    )
    async def post_articles(
        request: Request,
        focus_country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    ) -> JSONResponse:
        authorize(request, write=True)
        body = await _read_body(request, max_body)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/json":
            name, data = "articles.jsonl", _jsonl_of(body)
        elif ctype == "multipart/form-data":
            name, data = await _upload_of(request, body)
        else:
            name, data = "upload", body
        if not data.strip():
            raise HTTPException(400, "the request has no content to ingest")
        options = ingest_options or IngestOptions(max_bytes=max_body)
        if focus_country:
            options = replace(options, focus_country=focus_country.upper())
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_ingest, name, data, options)

    def _ingest(name: str, data: bytes, options: IngestOptions) -> JSONResponse:
        from warlog.pipeline import ingest_paths

        # One writer at a time: the pipeline's models are not shared across threads, and the
        # store serialises writers anyway.
        with write_lock, tempfile.TemporaryDirectory(prefix="warlog-upload-") as tmp:
            if not extractor_box:
                from warlog.extract import Extractor

                extractor_box.append(Extractor())
            path = Path(tmp) / (_SAFE_NAME.sub("_", name)[:80] or "upload")
            path.write_bytes(data)
            report = ingest_paths(
                store, [str(path)], options, extractor=extractor_box[0], command="api"
            )
        problems = [
            {"source": Path(p.source).name, "message": p.message, "line": p.line, "fatal": p.fatal}
            for p in report.problems
        ]
        if not report.articles_new and report.failed:
            return _error(422, problems[0]["message"], code="E100", problems=problems)
        arts = store.articles(ids=report.articles_new) if report.articles_new else []
        claims = store.claims(article_ids=report.articles_new) if report.articles_new else []
        by_article: dict[str, list[dict[str, Any]]] = {}
        for c in claims:
            by_article.setdefault(c.article_id, []).append(claim_json(c))
        event_ids = store.event_ids_of_articles(report.articles_new) if arts else []
        events = (
            [event_json(e, with_claims=False) for e in store.events(ids=event_ids)]
            if event_ids
            else []
        )
        return _json(
            {
                "run_id": report.run_id,
                "pages_new": report.pages_new,
                "pages_unchanged": report.pages_unchanged,
                "articles": [
                    {**article_meta_json(a, source=False), "claims": by_article.get(a.id, [])}
                    for a in arts
                ],
                "events": events,
                "problems": problems,
            },
            status=201 if arts else 200,
        )

    @app.post(
        "/api/articles/{article_id}/quarantine",
        tags=["articles"],
        summary="Take an article out of every event until it is restored (token required)",
    )
    def quarantine(
        request: Request,
        article_id: str,
        reason: Annotated[str, Query(max_length=500)] = "",
    ) -> JSONResponse:
        authorize(request, write=True)
        with write_lock:
            return _json(store.quarantine(_text(article_id) or "", _text(reason) or ""))

    @app.delete(
        "/api/articles/{article_id}/quarantine",
        tags=["articles"],
        summary="Restore a quarantined article into the ledger (token required)",
    )
    def restore(request: Request, article_id: str) -> JSONResponse:
        authorize(request, write=True)
        with write_lock:
            return _json(store.restore(_text(article_id) or ""))

    # --- dashboard ----------------------------------------------------------------------
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    for route in ("/", "/article/{article_id}", "/search", "/feeds"):
        app.add_api_route(route, page, methods=["GET"], include_in_schema=False)

    @app.get("/event/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> Response:
        event_id = _text(event_id) or ""
        merged = None if reads.event_exists(event_id) else reads.event_alias(event_id)
        if merged is not None:
            return RedirectResponse(f"/event/{quote(merged)}", status_code=308)
        return page()

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(WEB_DIR / "docs.html", media_type="text/html")

    @app.get("/boundaries/{name}", include_in_schema=False)
    def boundaries(name: Literal["countries.geojson", "admin1.geojson"]) -> FileResponse:
        return FileResponse(BOUNDARIES_DIR / name, media_type="application/geo+json")

    _article_in_schema(app)
    return app


# --- helpers ---------------------------------------------------------------------------------


def _version() -> str:
    from warlog import __version__

    return str(__version__)


def _text(value: str | None) -> str | None:
    """PostgreSQL refuses NUL in any text parameter; nothing a user means contains one."""
    return value.replace("\x00", "") if value is not None else None


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The event filters of the list, the export (and any new event route): one dependency,
    so a route that takes them is one parameter."""

    since: date | None
    until: date | None
    near: NearPlace | None
    km: float
    actor: str | None
    claimant: str | None
    outlet: str | None
    event_type: str | None
    kind: str | None
    conflicting: bool
    flagged: bool

    def store_args(self, focus_country: str | None) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "near": (self.near.lat, self.near.lon, self.km) if self.near else None,
            "actor": self.actor,
            "claimant": self.claimant,
            "outlet": self.outlet,
            "event_type": self.event_type,
            "kind": self.kind,
            "conflicting": self.conflicting,
            "flagged": self.flagged,
            "focus_country": focus_country,
        }

    def near_json(self) -> dict[str, Any] | None:
        """The place ``near`` used, said back (a name can match a place the user did not mean)."""
        return {**self.near.json(), "km": self.km} if self.near else None


def event_filters(
    since: Annotated[date | None, Query(description="On or after this day")] = None,
    until: Annotated[date | None, Query(description="On or before this day")] = None,
    near: Annotated[
        str | None,
        Query(max_length=200, description="A gazetteer place name (exact), or 'lat,lon'"),
    ] = None,
    km: Annotated[float, Query(ge=0, le=MAX_KM, description="Radius around near")] = 25.0,
    actor: Annotated[str | None, Query(max_length=200, description="Perpetrator")] = None,
    claimant: Annotated[
        str | None, Query(max_length=200, description="Who gave a figure (a source)")
    ] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="Who published")] = None,
    type: Annotated[str | None, Query(max_length=60, description="Event type")] = None,
    kind: Literal["incident", "tally"] | None = None,
    conflicting: bool = False,
    flagged: Annotated[bool, Query(description="Only events with a plausibility flag")] = False,
) -> EventFilters:
    where = None
    if near and near.strip():
        where = near_place(_text(near) or "")
    return EventFilters(
        since=since,
        until=until,
        near=where,
        km=km,
        actor=_text(actor) or None,
        claimant=_text(claimant) or None,
        outlet=_text(outlet) or None,
        event_type=_text(type) or None,
        kind=kind,
        conflicting=conflicting,
        flagged=flagged,
    )


def _snippet_parts(snippet: str) -> list[dict[str, Any]]:
    parts = []
    for i, piece in enumerate(re.split(r"</?mark>", snippet)):
        if piece:
            parts.append({"text": html.unescape(piece), "mark": i % 2 == 1})
    return parts


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def _error(status: int, message: str, code: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code or f"HTTP{status}", "message": message}
    body.update(extra)
    return JSONResponse({"error": body}, status_code=status)


def _token_of(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    # One documented header: an undocumented second one is one more thing to get wrong.
    return None


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused past ``limit`` even when no Content-Length announced it (chunked)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body over the limit of {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    # Starlette re-reads a cached body for form parsing; the stream itself is spent.
    request._body = body
    return body


def _jsonl_of(body: bytes) -> bytes:
    if _nesting(body) > MAX_JSON_DEPTH:
        raise HTTPException(400, f"malformed JSON: nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise HTTPException(400, f"malformed JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise HTTPException(400, "no articles in the request")
    allowed = {"text", "title", "outlet", "published", "date", "url", "id"}
    lines = []
    for i, item in enumerate(items):
        where = f"article {i}" if isinstance(data, list) else "the article"
        if not isinstance(item, dict):
            raise HTTPException(422, f"{where} is not a JSON object")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise HTTPException(422, f"{where} has no 'text' string")
        for key, value in item.items():
            if key in allowed and value is not None and not isinstance(value, str):
                raise HTTPException(422, f"{where}: '{key}' must be a string")
        lines.append(json.dumps({k: v for k, v in item.items() if k in allowed}))
    return ("\n".join(lines) + "\n").encode()


def _nesting(body: bytes) -> int:
    """How deep brackets nest (strings ignored): 200,000 '[' must be a 400, not a recursion
    crash of the parser."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in body.decode("utf-8", "replace"):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _article_json(art: Any, claims: list[Any]) -> dict[str, Any]:
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


async def _upload_of(request: Request, body: bytes) -> tuple[str, bytes]:
    try:
        form = await request.form()
    except Exception as exc:  # python-multipart raises several types for a broken body
        raise HTTPException(400, f"malformed multipart body: {exc}") from exc
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(422, "the multipart body has no 'file' field with a file")
    data = await upload.read()
    await form.close()
    return upload.filename or "upload", data


def _article_in_schema(app: FastAPI) -> None:
    """Document the JSON article shape (read by hand in POST /api/articles, not by pydantic)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {}).setdefault("schemas", {})["ArticleIn"] = {
            "type": "object",
            "required": ["text"],
            "properties": {
                k: {"type": "string"} for k in ("text", "title", "outlet", "published", "url", "id")
            },
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        resp = _error(exc.status_code, str(exc.detail))
        for k, v in (exc.headers or {}).items():
            resp.headers[k] = v
        return resp

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"where": ".".join(str(x) for x in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        message = "; ".join(f"{d['where']}: {d['message']}" for d in details) or "invalid request"
        return _error(422, message, details=details)

    @app.exception_handler(WarlogError)
    async def warlog_error(request: Request, exc: WarlogError) -> JSONResponse:
        return _error(_STATUS_OF_CODE.get(exc.code, 400), exc.message, code=exc.code)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "internal error")


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _host_name(host: str) -> str:
    """The name of a Host header, without its port ("[::1]:8000" -> "[::1]")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class _Guard:
    """Pure ASGI (no per-request task like BaseHTTPMiddleware): refuse a body announced over
    the limit before reading a byte of it, and add the security headers to every response."""

    def __init__(
        self,
        app: Callable[[Scope, Receive, Send], Awaitable[None]],
        max_body: int,
        hosts: frozenset[str] = frozenset(LOOPBACK_HOSTS),
    ):
        self.app = app
        self.max_body = max_body
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = _host_name(headers.get(b"host", b"").decode("latin-1"))
        if host not in self.hosts:
            # DNS rebinding: a page of attacker.example resolved to our address would read the
            # store with the analyst's browser; it still sends its own name as the Host.
            resp = _error(
                400,
                f"host {host!r} is not allowed: start the server with --allow-host {host}"
                if host
                else "a Host header is required",
                code="HOST",
            )
            await resp(scope, receive, send)
            return
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                too_big = False
            if too_big:
                resp = _error(413, f"request body over the limit of {self.max_body} bytes")
                await resp(scope, receive, send)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                path = scope.get("path", "")
                if path.startswith("/static/vendor/") or path.startswith("/boundaries/"):
                    # Versioned files that change only with a warlog release: cache a day.
                    headers.append((b"cache-control", b"public, max-age=86400"))
                elif path.startswith("/api/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
