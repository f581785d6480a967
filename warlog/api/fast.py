"""The three hot reads (the event list, a filtered list, one event) answered without FastAPI's
routing, dependency injection and pydantic validation.

Under 50 clients these cost more than the reads themselves (about 0.5 ms a list page, 1.4 ms
a filtered one, on 2 cores shared with the clients), and with every client always waiting the
p99 latency is about the clients divided by the throughput. This pure ASGI layer sits inside
the guard and the compression (so hosts, body limits, security headers and gzip apply as to
every route) and answers only requests it understands exactly: known parameters, each once,
each in a form FastAPI reads as the same value (digits for integers, ``YYYY-MM-DD`` for dates,
``true``/``false``/``1``/``0`` for flags). It calls the same library functions as the routes
of :mod:`warlog.api.events` and renders the same bytes with the same headers. Anything else
(another parameter, a value to reject, a radius, an id that is not an event's, a read
failing, a missing or wrong token when reads are protected) goes on to FastAPI, whose route
answers it, errors included, exactly as before; nothing is sent before that choice is made.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from anyio import to_thread

from warlog.api import reads
from warlog.api.deps import MAX_LIST, MAX_OFFSET, ApiState, text_param
from warlog.codec import event_json
from warlog.store.compact import dumps

_ORDERS = frozenset({"date", "-date", "killed", "reports", "sources"})
_KINDS = frozenset({"incident", "tally"})
_BOOLS = {"true": True, "1": True, "false": False, "0": False}
_DIGITS = re.compile(r"0|[1-9][0-9]{0,9}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A page up to this size is read on the event loop itself: a few hundred microseconds, less
# than handing it to a thread and back. Larger pages (the dashboard's 1,000-event map) and the
# filters that may scan many rows go to a thread, so as not to hold every other request.
INLINE_LIMIT = 100
_PREFIX = "/api/events"

Scope = dict[str, Any]
ASGIApp = Callable[..., Any]


class FastReads:
    """Pure ASGI middleware: see the module's doc."""

    def __init__(self, app: ASGIApp, state: ApiState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            work = self._work(scope)
            if work is not None:
                read, inline = work
                try:
                    body = read() if inline else await to_thread.run_sync(read)
                except Exception:  # the route answers it, with its own error handling
                    body = None
                if body is not None:
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 200,
                            # As Starlette's Response renders them, in this order.
                            "headers": [
                                (b"content-length", str(len(body)).encode("latin-1")),
                                (b"content-type", b"application/json"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)

    def _work(self, scope: Scope) -> tuple[Callable[[], bytes | None], bool] | None:
        path: str = scope["path"]
        if not path.startswith(_PREFIX) or not self._allowed(scope):
            return None
        if path == _PREFIX:
            return self._list(scope["query_string"])
        rest = path[len(_PREFIX) + 1 :]
        if path[len(_PREFIX)] == "/" and rest and "/" not in rest and not scope["query_string"]:
            return self._one(rest), True
        return None

    def _allowed(self, scope: Scope) -> bool:
        """Reads are open, or the request carries the right token (else the route says why)."""
        st = self.state
        if not st.protect_reads:
            return True
        if st.secret is None:
            return False
        for name, value in scope.get("headers") or ():
            if name == b"authorization":
                auth = value.decode("latin-1")
                given = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
                return bool(given) and hmac.compare_digest(given.encode(), st.secret.encode())
        return False

    def _one(self, event_id: str) -> Callable[[], bytes | None]:
        st, focus = self.state.reads, self.state.focus_country
        wanted = text_param(event_id) or ""

        def read() -> bytes | None:
            # An old (merged) id, a prefix or an unknown id: the route redirects or says 404.
            found = st.event_by_id(wanted, focus_country=focus)
            return None if found is None else dumps(event_json(found)).encode("utf-8")

        return read

    def _list(self, query: bytes) -> tuple[Callable[[], bytes | None], bool] | None:
        args = _list_args(query)
        if args is None:
            return None
        st = self.state.reads
        order, limit, offset = args.pop("order"), args.pop("limit"), args.pop("offset")
        store_args = {
            "since": None,
            "until": None,
            "near": None,
            "actor": None,
            "claimant": None,
            "outlet": None,
            "event_type": None,
            "kind": None,
            "conflicting": False,
            "flagged": False,
            "focus_country": self.state.focus_country,
            **args,
        }

        def read() -> bytes:
            return reads.event_list_body(
                st,
                store_args,
                ids=None,
                order=order,
                limit=limit,
                offset=offset,
                updated_since=None,
                near=None,
            )

        inline = limit <= INLINE_LIMIT and not (args.get("conflicting") or args.get("flagged"))
        return read, inline


_INVALID = object()  # a value FastAPI would refuse, or read otherwise: the route decides


def _choice(allowed: frozenset[str]) -> Callable[[str], Any]:
    return lambda v: v if v in allowed else _INVALID


def _integer(low: int, high: int) -> Callable[[str], Any]:
    # Plain digits only: every such string is the same integer to pydantic.
    return lambda v: int(v) if _DIGITS.fullmatch(v) and low <= int(v) <= high else _INVALID


def _day(v: str) -> Any:
    if not _DAY.fullmatch(v):
        return _INVALID
    try:
        return date.fromisoformat(v)
    except ValueError:
        return _INVALID


def _text(longest: int) -> Callable[[str], Any]:
    # The route's text_param(...) or None: an empty value is no filter.
    return lambda v: (text_param(v) or None) if len(v) <= longest else _INVALID


# Query parameter -> (keyword of the read, parser).
_PARAMS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "order": ("order", _choice(_ORDERS)),
    "limit": ("limit", _integer(1, MAX_LIST)),
    "offset": ("offset", _integer(0, MAX_OFFSET)),
    "since": ("since", _day),
    "until": ("until", _day),
    "actor": ("actor", _text(200)),
    "claimant": ("claimant", _text(200)),
    "outlet": ("outlet", _text(200)),
    "type": ("event_type", _text(60)),
    "kind": ("kind", _choice(_KINDS)),
    "conflicting": ("conflicting", lambda v: _BOOLS.get(v, _INVALID)),
    "flagged": ("flagged", lambda v: _BOOLS.get(v, _INVALID)),
}


def _list_args(query: bytes) -> dict[str, Any] | None:
    """The list's parameters as the route reads them, or None for anything it should see
    (near, km, id, updated_since, a parameter the route ignores, a value to refuse)."""
    # As Starlette reads a query string (latin-1 bytes, then percent-decoded as UTF-8).
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len({k for k, _ in pairs}) != len(pairs):
        return None  # a repeated parameter: FastAPI keeps the last, leave that to it
    args: dict[str, Any] = {"order": "date", "limit": 100, "offset": 0}
    for key, value in pairs:
        known = _PARAMS.get(key)
        if known is None:
            return None
        parsed = known[1](value)
        if parsed is _INVALID:
            return None
        args[known[0]] = parsed
    return args
