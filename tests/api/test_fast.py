"""The hot reads answered beside FastAPI (warlog/api/fast.py): the same bytes and headers as
the routes for every request it takes, and every other request left to the routes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from api.helpers import MAYADEEN_PREFIX, TOKEN, auth
from warlog.api import create_app
from warlog.api.fast import FastReads, _list_args

LISTS: list[dict[str, Any]] = [
    {},
    {"order": "-date", "limit": 5, "offset": 10},
    {"order": "killed", "limit": 1000},
    {"order": "reports"},
    {"order": "sources", "limit": 3},
    {"actor": "Islamic State"},
    {"actor": "islamic", "since": "2018-01-01", "until": "2018-12-31", "limit": 50},
    {"claimant": "sohr", "order": "-date"},
    {"outlet": "a", "since": "2017-06-01"},
    {"type": "air/drone strike", "order": "-date"},
    {"kind": "tally"},
    {"kind": "incident", "until": "2018-05-23"},
    {"conflicting": "true"},
    {"conflicting": "0", "flagged": "1"},
    {"flagged": "true", "order": "-date"},
    {"flagged": "false"},
    {"actor": "", "claimant": ""},  # empty text: no filter, as the route reads it
    {"actor": "état islamique"},  # non-ASCII, percent-encoded as UTF-8
]


def _pair(client: TestClient, path: str, query: dict[str, Any]) -> tuple[Any, Any]:
    """The answer of the fast path, and the route's (an ignored parameter sends it there)."""
    fast = client.get(f"{path}?{urlencode(query)}" if query else path)
    slow = client.get(f"{path}?{urlencode({**query, 'zz_route': '1'})}")
    return fast, slow


@pytest.mark.parametrize("query", LISTS, ids=[urlencode(q) or "none" for q in LISTS])
def test_event_lists_are_the_routes_bytes(client: TestClient, query: dict[str, Any]) -> None:
    assert _list_args(urlencode(query).encode()) is not None  # the fast path takes it
    fast, slow = _pair(client, "/api/events", query)
    assert fast.status_code == slow.status_code == 200
    assert fast.content == slow.content
    assert fast.headers.items() == slow.headers.items()


def test_one_event_is_the_routes_bytes(client: TestClient) -> None:
    ids = [e["id"] for e in client.get("/api/events", params={"limit": 1000}).json()["events"]]
    assert len(ids) > 10
    for event_id in ids:
        fast, slow = _pair(client, f"/api/events/{event_id}", {})
        assert fast.status_code == slow.status_code == 200
        assert fast.content == slow.content, event_id
        assert fast.headers.items() == slow.headers.items()


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=1001",
        "limit=050",  # pydantic's reading of it is the route's business
        "limit=+5",
        "offset=-1",
        "order=random",
        "kind=war",
        "since=2018-13-40",
        "since=20180101",
        "conflicting=yes",
        "actor=" + "x" * 201,
        "type=" + "x" * 61,
        "limit=5&limit=6",
        "near=Mayadeen",
        "km=5",
        "id=abc",
        "updated_since=2020-01-01T00:00:00",
    ],
)
def test_what_it_does_not_know_goes_to_the_route(query: str) -> None:
    assert _list_args(query.encode()) is None


@pytest.mark.parametrize("event_id", ["i-000000000000", "nope", "%00", MAYADEEN_PREFIX])
def test_unknown_ids_and_prefixes_are_the_routes(client: TestClient, event_id: str) -> None:
    """A prefix (200), an unknown id (404): answered by the route, as before."""
    r = client.get(f"/api/events/{event_id}")
    if event_id == MAYADEEN_PREFIX:
        assert r.status_code == 200 and r.json()["id"].startswith(MAYADEEN_PREFIX)
    else:
        assert r.status_code == 404 and r.json()["error"]["code"] in ("E117", "HTTP404")


def test_refused_values_are_the_routes_json_errors(client: TestClient) -> None:
    r = client.get("/api/events?limit=0")
    assert r.status_code == 422 and r.json()["error"]["status"] == 422


def test_gzip_and_guard_headers_apply(client: TestClient) -> None:
    r = client.get("/api/events?limit=50", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    plain = client.get("/api/events?limit=50&zz_route=1", headers={"Accept-Encoding": "identity"})
    # httpx decodes the body: the decoded bytes are the route's.
    assert r.content == plain.content


def test_foreign_hosts_are_still_refused(client: TestClient) -> None:
    r = client.get("/api/events", headers={"Host": "attacker.example"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "HOST"


@pytest.fixture(scope="module")
def protected(seeds_db: Path) -> Iterator[TestClient]:
    app = create_app(f"sqlite:///{seeds_db}", TOKEN, protect_reads=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.store.close()


@pytest.mark.parametrize("path", ["/api/events?limit=5", "/api/events/{id}"])
def test_protected_reads_need_the_token(
    protected: TestClient, client: TestClient, path: str
) -> None:
    event_id = client.get("/api/events", params={"limit": 1}).json()["events"][0]["id"]
    url = path.format(id=event_id)
    assert protected.get(url).status_code == 401
    assert protected.get(url, headers=auth("wrong")).status_code == 403
    r = protected.get(url, headers=auth())
    assert r.status_code == 200 and r.content == client.get(url).content


def test_a_failing_read_is_answered_by_the_route(seeds_db: Path, tmp_path: Path) -> None:
    """A read that raises in the fast path is not half-sent: the route runs it again and
    answers with its own error."""
    app = create_app(f"sqlite:///{seeds_db}", TOKEN)
    fast = next(m for m in app.user_middleware if m.cls is FastReads)
    state = fast.kwargs["state"]

    def broken(*a: Any, **k: Any) -> Any:
        raise RuntimeError("damaged")

    with TestClient(app, raise_server_exceptions=False) as c:
        state.reads.event_list = broken  # type: ignore[method-assign]
        r = c.get("/api/events?limit=5")
    app.state.store.close()
    assert r.status_code == 500 and r.json()["error"]["message"] == "internal error"


def test_the_fast_path_answers_without_the_routes(client: TestClient) -> None:
    """Over an inner app that fails, the requests it takes are still answered (so the tests
    above compare the fast path with the route, not the route with itself)."""
    state = client.app.state.warlog  # type: ignore[attr-defined]
    event_id = client.get("/api/events", params={"limit": 1}).json()["events"][0]["id"]

    async def no_route(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("reached the route")

    fast = FastReads(no_route, state)
    for path, query in (("/api/events", b"limit=5&order=-date"), (f"/api/events/{event_id}", b"")):
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any], sent: list[dict[str, Any]] = sent) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "query_string": query}
        asyncio.run(fast(scope, None, send))
        assert sent[0]["status"] == 200
        url = f"{path}?{query.decode()}" if query else path
        assert sent[1]["body"] == client.get(url).content
