"""The HTTP API and the dashboard: a thin FastAPI layer over :class:`warlog.store.Store`.

One ``APIRouter`` per resource (``events``, ``stats``, ``articles``, ``ingest``, ``meta``,
``dashboard``), sharing the dependencies and the one ``EventFilters`` object of
:mod:`warlog.api.deps`; the server's state (the store, the lazily built extractor) is on
``app.state.warlog``. Every read goes through the library (event reads through
:mod:`warlog.api.reads`), so the API, the CLI and the dashboard can never disagree. Errors are
JSON (``{"error": {"status", "code", "message"}}``) for every status.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware

from warlog.api import articles, dashboard, events, ingest, meta, stats
from warlog.api.deps import TOKEN_ENV, ApiState
from warlog.api.deps import error_answer as _error
from warlog.api.fast import FastReads
from warlog.errors import WarlogError
from warlog.settings import DEFAULT_MAX_BYTES, IngestOptions
from warlog.store import Store

log = logging.getLogger(__name__)

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
_STATUS_OF_CODE = {"E113": 404, "E117": 404, "E119": 400, "E118": 400, "E124": 400}
# ``warlog serve --workers N`` starts N processes, each building its app from this variable
# (uvicorn imports a factory by name; the options travel as JSON, the token in its own).
APP_ENV = "WARLOG_SERVE_APP"


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
    store = Store(store_url)
    state = ApiState(
        store=store,
        reads=store.reader(),
        # An empty token is no token: it would let an empty Authorization header write.
        secret=(token if token is not None else os.environ.get(TOKEN_ENV)) or None,
        protect_reads=protect_reads,
        max_body=max_body,
        ingest_options=ingest_options,
        focus_country=focus_country.upper() if focus_country else None,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.reads.close()
        state.store.close()

    app = FastAPI(
        title="warlog",
        summary="A sourced, geocoded ledger of violent events and casualty claims.",
        version=_version(),
        # Swagger UI and ReDoc load from a CDN; /docs is served offline by the dashboard.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.warlog = state
    app.state.store = store
    # The hot reads inside the compression and the guard (warlog/api/fast.py): whatever it
    # does not answer goes on to the routes.
    app.add_middleware(FastReads, state=state)
    # Compression inside the guard: the guard's headers go on the compressed response.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    hosts = {h.lower() for h in (*LOOPBACK_HOSTS, *allow_hosts)}
    app.add_middleware(_Guard, max_body=max_body, hosts=frozenset(hosts))
    _error_handlers(app)
    for module in (events, stats, articles, meta, ingest):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=dashboard.STATIC_DIR), name="static")
    app.include_router(dashboard.router)
    _article_in_schema(app)
    return app


def app_from_env() -> FastAPI:
    """The app of one ``warlog serve --workers N`` process, from :data:`APP_ENV`."""
    opts = json.loads(os.environ[APP_ENV])
    return create_app(
        opts["url"],
        os.environ.get(TOKEN_ENV) or None,
        protect_reads=opts["protect_reads"],
        max_body=opts["max_body"],
        focus_country=opts["focus_country"],
        allow_hosts=opts["allow_hosts"],
    )


# --- helpers ---------------------------------------------------------------------------------


def _version() -> str:
    from warlog import __version__

    return str(__version__)


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
