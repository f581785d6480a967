"""The server against a hostile web page or client: Host allowlist (DNS rebinding), bounded
work for unauthenticated requests, pathological JSON, compression and cache headers, and
exports streamed page by page with the same bytes as the CLI's."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.helpers import TOKEN, auth
from warlog.api import create_app, reads
from warlog.cli import main
from warlog.export import FORMATS


@pytest.mark.parametrize(
    "host",
    ["attacker.example:8765", "attacker.example", "127.0.0.1.nip.io", "evil.localhost.example"],
)
def test_a_dns_rebinding_request_is_refused(client: TestClient, host: str) -> None:
    r = client.get("/api/export", params={"format": "jsonl"}, headers={"Host": host})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "HOST" and "--allow-host" in r.json()["error"]["message"]
    assert client.get("/", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:18300", "[::1]:8000", "LOCALHOST"])
def test_loopback_names_are_allowed(client: TestClient, host: str) -> None:
    assert client.get("/api/health", headers={"Host": host}).status_code == 200


def test_allow_host_adds_a_name(seeds_db) -> None:  # type: ignore[no-untyped-def]
    app = create_app(f"sqlite:///{seeds_db}", TOKEN, allow_hosts=["warlog.lan"])
    with TestClient(app) as c:
        assert c.get("/api/health", headers={"Host": "warlog.lan:8000"}).status_code == 200
        assert c.get("/api/health", headers={"Host": "other.lan"}).status_code == 400
    app.state.store.close()


def test_km_is_capped(client: TestClient) -> None:
    r = client.get("/api/events", params={"near": "Homs", "km": 20000})
    assert r.status_code == 422 and "km" in r.json()["error"]["message"]
    assert client.get("/api/events", params={"near": "Homs", "km": 1000}).status_code == 200


def test_a_huge_offset_reads_nothing(client: TestClient) -> None:
    for url in ("/api/claims", "/api/articles", "/api/events"):
        r = client.get(url, params={"offset": 999_999_999})
        assert r.status_code == 200, url
        body = r.json()
        assert body["next_offset"] is None and not next(
            v for k, v in body.items() if isinstance(v, list)
        )


def test_claims_paginate_in_sql(client: TestClient) -> None:
    everything = [
        (c["article_id"], c["index"])
        for c in client.get("/api/claims", params={"limit": 1000}).json()["claims"]
    ]
    page = client.get("/api/claims", params={"limit": 3, "offset": 2}).json()
    assert [(c["article_id"], c["index"]) for c in page["claims"]] == everything[2:5]


@pytest.mark.parametrize("body", [b"[" * 60_000, b'{"a":' * 12_000, b"[" * 65 + b"]" * 65])
def test_pathological_json_is_a_400(writer: TestClient, body: bytes) -> None:
    r = writer.post(
        "/api/articles", content=body, headers={**auth(), "Content-Type": "application/json"}
    )
    assert r.status_code == 400, r.text
    assert "nested deeper" in r.json()["error"]["message"]


def test_json_and_static_files_are_compressed(client: TestClient) -> None:
    for url in ("/api/events?limit=50", "/static/app.js", "/boundaries/admin1.geojson"):
        r = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip", url
        # The guard's headers survive compression.
        assert r.headers["x-content-type-options"] == "nosniff"


def test_vendored_files_are_cached_and_api_answers_are_not(client: TestClient) -> None:
    r = client.get("/static/vendor/leaflet/leaflet.js")
    assert r.status_code == 200 and "max-age=86400" in r.headers["cache-control"]
    assert client.get("/api/health").headers["cache-control"] == "no-store"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_streamed_export_equals_the_cli_export(
    client: TestClient,
    seeds_db,
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """Pages joined give the CLI's bytes, with pages of 2 events so that many are joined."""
    monkeypatch.setattr(reads, "EXPORT_PAGE", 2)
    api = client.get("/api/export", params={"format": fmt, "limit": 100_000})
    assert api.status_code == 200
    res = CliRunner().invoke(main, ["export", "--db", f"sqlite:///{seeds_db}", "--format", fmt])
    assert res.exit_code == 0
    assert api.text == res.stdout
    few = client.get("/api/export", params={"format": fmt, "limit": 3}).text
    if fmt == "jsonl":
        assert few.splitlines() == res.stdout.splitlines()[:3]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_serve_warns_beyond_loopback(host: str, loopback: bool) -> None:
    from warlog.cli.serve import _loopback

    assert _loopback(host) is loopback
