"""POST /api/articles: token checks, bad bodies, size limits, and a real ingest (JSON, upload,
raw body) returning the new claims and events; plus reads protected by the token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.helpers import TOKEN, auth
from warlog.api import create_app

STORY = (
    "Air strikes kill 14 civilians in Idlib\n\n"
    "Published May 3rd, 2018\n\n"
    "Air strikes killed 14 civilians, including five children, in the town of Saraqeb in "
    "Idlib province on Wednesday, the Syrian Observatory for Human Rights said.\n"
)


def err(r: object, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    body = r.json()["error"]  # type: ignore[attr-defined]
    assert body["status"] == status and body["message"]
    return body  # type: ignore[no-any-return]


# --- refused before any work ------------------------------------------------------------------


def test_missing_token_is_401(writer: TestClient) -> None:
    r = writer.post("/api/articles", json={"text": STORY})
    err(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": "Bearer é".encode()},  # type: ignore[dict-item]
    ],
)
def test_wrong_token_is_403(writer: TestClient, headers: dict[str, str]) -> None:
    err(writer.post("/api/articles", json={"text": STORY}, headers=headers), 403)


def test_only_the_documented_header_carries_the_token(writer: TestClient) -> None:
    """Regression: an undocumented X-Warlog-Token header was accepted as well."""
    r = writer.post("/api/articles", json={"text": STORY}, headers={"X-Warlog-Token": TOKEN})
    err(r, 401)


def test_writes_are_off_without_a_configured_token(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'ro.db'}", token="")
    with TestClient(app, raise_server_exceptions=False) as c:
        body = err(c.post("/api/articles", json={"text": STORY}, headers=auth()), 403)
        assert "WARLOG_TOKEN" in str(body["message"])
        assert c.get("/api/health").json()["writes"] is False
    app.state.store.close()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe\x00garbage", 400),
        (b"[]", 400),
        (b"42", 422),
        (b'"text"', 422),
        (b'{"title": "no text"}', 422),
        (b'{"text": ""}', 422),
        (b'{"text": 12}', 422),
        (b'{"text": "x", "title": ["a"]}', 422),
        (b'[{"text": "fine"}, 3]', 422),
    ],
)
def test_bad_json_is_4xx(writer: TestClient, body: bytes, status: int) -> None:
    headers = {**auth(), "Content-Type": "application/json"}
    err(writer.post("/api/articles", content=body, headers=headers), status)


def test_oversized_bodies_are_413(writer: TestClient) -> None:
    big = b"x" * (64 * 1024 + 1)  # the writer app's limit is 64 KiB
    err(writer.post("/api/articles", content=big, headers=auth()), 413)
    files = {"file": ("big.txt", big, "text/plain")}
    err(writer.post("/api/articles", files=files, headers=auth()), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
        for _ in range(70):
            yield b"y" * 1024

    err(writer.post("/api/articles", content=chunks(), headers=auth()), 413)


def test_bad_uploads_are_4xx(writer: TestClient) -> None:
    err(writer.post("/api/articles", content=b"", headers=auth()), 400)
    err(writer.post("/api/articles", content=b"   \n", headers=auth()), 400)
    err(writer.post("/api/articles", data={"other": "field"}, headers=auth()), 422)
    broken = {**auth(), "Content-Type": "multipart/form-data; boundary=zzz"}
    r = writer.post("/api/articles", content=b"--zzz\r\nbroken", headers=broken)
    assert 400 <= r.status_code < 500, r.text
    r = writer.post("/api/articles?focus_country=Syria", json={"text": STORY}, headers=auth())
    err(r, 422)
    # Binary junk is read by the pipeline and refused with its own message, not a crash.
    body = err(writer.post("/api/articles", content=b"\x00\x01\x02" * 100, headers=auth()), 422)
    assert body["problems"]


# --- real ingestion ---------------------------------------------------------------------------


def test_post_json_runs_the_pipeline(writer: TestClient) -> None:
    r = writer.post(
        "/api/articles?focus_country=sy",
        json={"text": STORY, "outlet": "Test Wire", "published": "2018-05-03", "id": "w1"},
        headers=auth(),
    )
    assert r.status_code == 201, r.text
    data = r.json()
    [art] = data["articles"]
    assert art["outlet"] == "Test Wire"
    killed = [c for c in art["claims"] if c["outcome"] == "killed"]
    assert killed and killed[0]["low"] == 14
    assert data["events"] and data["events"][0]["killed"]["best"] == 14
    event = writer.get(f"/api/events/{data['events'][0]['id']}").json()
    assert event["claims"][0]["article_id"] == art["id"]
    # The same input again adds nothing and says so.
    again = writer.post(
        "/api/articles?focus_country=sy",
        json={"text": STORY, "outlet": "Test Wire", "published": "2018-05-03", "id": "w1"},
        headers=auth(),
    )
    assert again.status_code == 200 and again.json()["articles"] == []
    assert again.json()["pages_unchanged"] == 1


def test_post_upload_and_raw_body(writer: TestClient) -> None:
    html = (
        b"<html><head><title>Shelling kills 7 in Daraa</title></head><body><article>"
        b"<h1>Shelling kills 7 in Daraa</h1><p>Government shelling killed seven people in "
        b"Daraa on Monday, local activists said.</p></article></body></html>"
    )
    r = writer.post(
        "/api/articles", files={"file": ("daraa.html", html, "text/html")}, headers=auth()
    )
    assert r.status_code == 201, r.text
    assert any(c["low"] == 7 for a in r.json()["articles"] for c in a["claims"])
    text = STORY.replace("14", "23").replace("Saraqeb", "Maarat al-Numan").encode()
    r = writer.post("/api/articles", content=text, headers={**auth(), "Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    assert any(c["low"] == 23 for a in r.json()["articles"] for c in a["claims"])
    batch = [{"text": STORY.replace("14", str(n)), "id": f"b{n}"} for n in (31, 32)]
    r = writer.post("/api/articles", json={"articles": batch}, headers=auth())
    assert r.status_code == 201 and len(r.json()["articles"]) == 2


def test_protected_reads_need_the_token(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'p.db'}", TOKEN, protect_reads=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        err(c.get("/api/events"), 401)
        err(c.get("/api/events", headers=auth("bad")), 403)
        assert c.get("/api/events", headers=auth()).status_code == 200
        # The dashboard's page itself is static; its data calls carry the protection.
        assert c.get("/").status_code == 200
    app.state.store.close()


def test_api_on_postgresql(pg_url: str) -> None:
    """The same write-then-read round trip on PostgreSQL (tsvector search, no reader view)."""
    app = create_app(pg_url, TOKEN)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/articles?focus_country=SY", json={"text": STORY}, headers=auth())
        assert r.status_code == 201, r.text
        [event] = r.json()["events"]
        assert c.get(f"/api/events/{event['id']}").json()["killed"]["best"] == 14
        hits = c.get("/api/search", params={"q": "Saraqeb"}).json()["hits"]
        assert hits and hits[0]["events"] == [event["id"]]
        assert any(p["mark"] for p in hits[0]["snippet_parts"])
        listed = c.get("/api/events", params={"order": "-date", "near": "Idlib"}).json()
        assert [e["id"] for e in listed["events"]] == [event["id"]]
        assert c.get("/api/stats", params={"by": "admin1"}).json()["buckets"]
        err(c.get("/api/events/i-nothing"), 404)


def test_serve_command(runner: object) -> None:
    from warlog.cli import main

    result = runner.invoke(main, ["serve", "--help"])  # type: ignore[attr-defined]
    assert result.exit_code == 0 and "--port" in result.output and "WARLOG_TOKEN" in result.output
    result = runner.invoke(main, ["serve", "--protect-reads"], env={"WARLOG_TOKEN": ""})  # type: ignore[attr-defined]
    assert result.exit_code == 2 and "WARLOG_TOKEN" in result.output


def test_events_updated_since_lists_only_what_changed_after(writer: TestClient) -> None:
    """The dashboard's "new since your last visit": events created or changed after a moment."""
    from datetime import UTC, datetime, timedelta, timezone

    before = writer.get("/api/events", params={"limit": 1000}).json()["events"]
    moment = datetime.now(UTC)
    story = (
        "Gunmen killed nine villagers in an attack on the town of Kafr Nabl in Idlib province "
        "on Tuesday, the Syrian Observatory for Human Rights said."
    )
    r = writer.post(
        "/api/articles",
        json={"text": story, "published": "2019-04-10", "id": "new-since"},
        headers=auth(),
    )
    assert r.status_code == 201, r.text
    touched = {e["id"] for e in r.json()["events"]}
    assert touched
    fresh = writer.get(
        "/api/events", params={"updated_since": moment.isoformat(), "limit": 1000}
    ).json()["events"]
    assert {e["id"] for e in fresh} == touched
    later = (moment + timedelta(days=1)).isoformat()
    assert writer.get("/api/events", params={"updated_since": later}).json()["events"] == []
    # A moment with an offset is the same instant in UTC; the whole list is unchanged.
    shifted = moment.astimezone(timezone(timedelta(hours=3))).isoformat()
    again = writer.get("/api/events", params={"updated_since": shifted, "limit": 1000})
    assert {e["id"] for e in again.json()["events"]} == touched
    assert len(writer.get("/api/events", params={"limit": 1000}).json()["events"]) >= len(before)
    bad = writer.get("/api/events", params={"updated_since": "yesterday-ish"})
    assert bad.status_code == 422
