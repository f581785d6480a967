"""What every router shares: the app's state (on ``app.state.warlog``), the read and write
guards as dependencies, the one event filter object, and the JSON answers."""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from warlog.near import NearPlace, near_place
from warlog.settings import IngestOptions
from warlog.store import Store

TOKEN_ENV = "WARLOG_TOKEN"
MAX_LIST = 1000
MAX_OFFSET = 10**9  # anything larger overflows SQLite's integer before it means anything
# A radius beyond a region's size reads every event of the store; nobody means more than this.
MAX_KM = 1000


@dataclass(slots=True)
class ApiState:
    """The server's state, built once by ``create_app`` and read by every route."""

    store: Store
    # Reads go through a view that takes no SQLite write lock, so that concurrent requests
    # (and a running ingest) do not make them queue one behind another.
    reads: Store
    secret: str | None
    protect_reads: bool
    max_body: int
    ingest_options: IngestOptions | None
    focus_country: str | None
    # One writer at a time: the pipeline's models are not shared across threads.
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _extractor: Any = None

    def extractor(self) -> Any:
        """The claim extractor, built on the first upload (loading spaCy takes seconds)."""
        if self._extractor is None:
            from warlog.extract import Extractor

            self._extractor = Extractor()
        return self._extractor

    def focus(self) -> str | None:
        """The collection's country: given, else the country of most incidents."""
        return self.focus_country or self.reads.dominant_country()


def state(request: Request) -> ApiState:
    found: ApiState = request.app.state.warlog
    return found


def authorize(request: Request, *, write: bool) -> ApiState:
    st = state(request)
    if not write and not st.protect_reads:
        return st
    if st.secret is None:
        raise HTTPException(403, f"writes are disabled: start the server with {TOKEN_ENV} set")
    given = _token_of(request)
    if given is None:
        raise HTTPException(
            401, "a token is required: Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"}
        )
    # Constant time, so the token cannot be guessed a byte at a time from response times.
    if not hmac.compare_digest(given.encode(), st.secret.encode()):
        raise HTTPException(403, "wrong token")
    return st


def reader(request: Request) -> Store:
    """Dependency of every read route: the reading store, once the token (if reads are
    protected) is checked."""
    return authorize(request, write=False).reads


def writer(request: Request) -> ApiState:
    """Dependency of every write route: the state, once the token is checked."""
    return authorize(request, write=True)


def _token_of(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    # One documented header: an undocumented second one is one more thing to get wrong.
    return None


def text_param(value: str | None) -> str | None:
    """PostgreSQL refuses NUL in any text parameter; nothing a user means contains one."""
    return value.replace("\x00", "") if value is not None else None


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The event filters of the list, the export and the statistics: one dependency, so a
    route that takes them is one parameter."""

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
        where = near_place(text_param(near) or "")
    return EventFilters(
        since=since,
        until=until,
        near=where,
        km=km,
        actor=text_param(actor) or None,
        claimant=text_param(claimant) or None,
        outlet=text_param(outlet) or None,
        event_type=text_param(type) or None,
        kind=kind,
        conflicting=conflicting,
        flagged=flagged,
    )


def json_answer(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def error_answer(status: int, message: str, code: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code or f"HTTP{status}", "message": message}
    body.update(extra)
    return JSONResponse({"error": body}, status_code=status)
