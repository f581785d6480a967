"""Every read endpoint of the HTTP API over the seeds store: results, filters, pagination,
errors as JSON 4xx (never a 500), and the dashboard's own routes."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.helpers import MAYADEEN_PREFIX, RUSSIAN_GROUP
from warlog.export import FORMATS


def ok(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def error(client: TestClient, url: str, status: int, **params: Any) -> dict[str, Any]:
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()["error"]
    assert body["status"] == status and body["message"]
    return body


# --- events -----------------------------------------------------------------------------------


def test_events_lists_the_ledger(client: TestClient) -> None:
    data = ok(client, "/api/events", limit=1000)
    events = data["events"]
    # The ledger's size follows the linker; the API must give all of it, whatever it is.
    assert len(events) == ok(client, "/api/health")["events"] > 10
    assert data["next_offset"] is None
    assert all("claims" not in e for e in events)
    assert {"id", "kind", "date", "place", "killed", "estimates", "n_outlets"} <= set(events[0])


def test_events_paginate_without_gaps_or_repeats(client: TestClient) -> None:
    everything = [e["id"] for e in ok(client, "/api/events", limit=1000)["events"]]
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = ok(client, "/api/events", limit=5, offset=offset)
        seen += [e["id"] for e in page["events"]]
        offset = page["next_offset"]
    assert seen == everything


def test_events_sort(client: TestClient) -> None:
    killed = [
        (e["killed"] or {}).get("best") for e in ok(client, "/api/events", order="killed")["events"]
    ]
    known = [k for k in killed if k is not None]
    assert known == sorted(known, reverse=True) and known[0] == 387000
    dates = [
        (e["date"] or {}).get("start") for e in ok(client, "/api/events", order="-date")["events"]
    ]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)


def test_events_filters(client: TestClient) -> None:
    tallies = ok(client, "/api/events", kind="tally")["events"]
    assert tallies and all(e["kind"] == "tally" for e in tallies)
    conflicting = ok(client, "/api/events", conflicting="true")["events"]
    assert [e["id"][:6] for e in conflicting] == [MAYADEEN_PREFIX]
    isis = ok(client, "/api/events", actor="Islamic State")["events"]
    assert len(isis) >= 3 and all("islamic" in json.dumps(e).lower() for e in isis)
    strikes = ok(client, "/api/events", type="air/drone strike")["events"]
    assert strikes and all(e["event_type"] == "air/drone strike" for e in strikes)
    may = ok(client, "/api/events", since="2018-05-23", until="2018-05-23")["events"]
    assert MAYADEEN_PREFIX in [e["id"][:6] for e in may]
    near = ok(client, "/api/events", near="Mayadeen", km=10)["events"]
    assert near and all(e["place"]["admin1"] == "Deir Ezzor" for e in near)
    by_point = ok(client, "/api/events", near="35.02,40.45", km=10)["events"]
    assert [e["id"] for e in by_point] == [e["id"] for e in near]
    some = [e["id"] for e in tallies[:2]]
    assert [e["id"] for e in ok(client, "/api/events", id=some)["events"]] == some


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"limit": 0}, 422, None),
        ({"limit": 1001}, 422, None),
        ({"limit": "ten"}, 422, None),
        ({"offset": -1}, 422, None),
        ({"offset": 10**30}, 422, None),
        ({"order": "random"}, 422, None),
        ({"kind": "war"}, 422, None),
        ({"since": "2018-13-40"}, 422, None),
        ({"conflicting": "perhaps"}, 422, None),
        ({"km": -5}, 422, None),
        ({"near": "Atlantis-upon-Nowhere"}, 400, "E119"),
        ({"near": "95,200"}, 400, "E118"),
        ({"actor": "x" * 201}, 422, None),
    ],
)
def test_events_bad_parameters_are_json_4xx(
    client: TestClient, params: dict[str, Any], status: int, code: str | None
) -> None:
    body = error(client, "/api/events", status, **params)
    if code:
        assert body["code"] == code


def test_one_event_with_claims_and_evidence(client: TestClient) -> None:
    e = ok(client, f"/api/events/{MAYADEEN_PREFIX}")  # a unique prefix is enough
    assert e["id"].startswith(MAYADEEN_PREFIX) and e["conflict"] is True
    russians = next(x for x in e["estimates"] if x["group"] == RUSSIAN_GROUP)
    assert (russians["low"], russians["high"], russians["conflict"]) == (4, 9, True)
    said = {s["count_text"] for s in russians["sources"]}
    assert {"four", "up to six", "at least nine Russians"} <= said
    assert e["claims"] and all(c["claim"]["evidence"]["sentence"] for c in e["claims"])


@pytest.mark.parametrize("event_id", ["i-000000000000", "nope", "i-", "%00", "x" * 500])
def test_unknown_event_is_404(client: TestClient, event_id: str) -> None:
    assert error(client, f"/api/events/{event_id}", 404)["code"] in ("E117", "HTTP404")


def test_export_every_format(client: TestClient) -> None:
    for fmt in FORMATS:
        r = client.get("/api/export", params={"format": fmt, "kind": "incident"})
        assert r.status_code == 200, r.text
        assert "attachment" in r.headers["content-disposition"]
        if fmt.endswith("csv"):
            assert r.headers["content-type"].startswith("text/csv")
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert len(rows) == len(ok(client, "/api/events", kind="incident")["events"])
        elif fmt == "geojson":
            assert r.json()["type"] == "FeatureCollection"
        else:
            lines = [json.loads(x) for x in r.text.splitlines()]
            assert all("claims" in x for x in lines)
    error(client, "/api/export", 422, format="xlsx")
    error(client, "/api/export", 422)


# --- statistics -------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["actor", "admin1", "event_type"])
@pytest.mark.parametrize("period", ["week", "month"])
def test_stats_sum_to_the_incidents(client: TestClient, by: str, period: str) -> None:
    data = ok(client, "/api/stats", by=by, period=period)
    incidents = ok(client, "/api/events", kind="incident")["events"]
    dated = [e for e in incidents if (e["date"] or {}).get("start")]
    assert sum(b["killed"] for b in data["buckets"]) == sum(
        (e["killed"] or {}).get("best") or 0 for e in dated
    )
    assert sum(b["events"] for b in data["buckets"]) == len(dated)
    assert data["undated"]["events"] == len(incidents) - len(dated)
    for b in data["buckets"]:
        day = b["period"]
        assert day.endswith("-01") if period == "month" else True


def test_stats_weeks_start_on_monday_and_group_by_actor(client: TestClient) -> None:
    data = ok(
        client, "/api/stats", by="actor", period="week", since="2018-05-21", until="2018-05-27"
    )
    cells = {(b["period"], b["group"]): b["killed"] for b in data["buckets"]}
    # Mayadeen (35, Wednesday 23 May 2018) and the Homs desert (26) are both Islamic State's.
    assert cells[("2018-05-21", "Islamic State")] >= 35 + 26
    error(client, "/api/stats", 422, by="weather")
    error(client, "/api/stats", 422, period="decade")


def test_facets_and_health(client: TestClient) -> None:
    f = ok(client, "/api/facets")
    assert "Islamic State" in f["actors"] and "air/drone strike" in f["event_types"]
    h = ok(client, "/api/health")
    assert h["ok"] and h["events"] > 10 and h["articles"] == 6 and h["writes"] is True


# --- claims, articles, raw pages, search ------------------------------------------------------


def test_claims(client: TestClient) -> None:
    data = ok(client, "/api/claims", limit=1000)
    assert len(data["claims"]) == ok(client, "/api/health")["claims"] > 30
    wounded = ok(client, "/api/claims", outcome="wounded")["claims"]
    assert wounded and all(c["outcome"] == "wounded" for c in wounded)
    tallies = ok(client, "/api/claims", scope="cumulative")["claims"]
    assert tallies and all(c["scope"] == "cumulative" for c in tallies)
    one = data["claims"][0]["article_id"]
    mine = ok(client, "/api/claims", article_id=one)["claims"]
    assert mine and {c["article_id"] for c in mine} == {one}
    page = ok(client, "/api/claims", limit=10, offset=10)
    assert page["claims"] == data["claims"][10:20] and page["next_offset"] == 20
    error(client, "/api/claims", 422, outcome="maimed")
    error(client, "/api/claims", 422, scope="galactic")


def test_articles_and_claim_spans(client: TestClient) -> None:
    arts = ok(client, "/api/articles")["articles"]
    assert len(arts) == 6
    assert all("text" not in a for a in arts)
    for meta in arts:
        a = ok(client, f"/api/articles/{meta['id']}")
        assert a["raw_url"] == f"/api/articles/{a['id']}/raw"
        by_index = {c["index"]: c for c in a["claims"]}
        assert len(a["spans"]) == len(a["claims"])
        for span in a["spans"]:
            # Offsets point into the cleaned text at exactly the evidence sentence.
            sentence = by_index[span["claim"]]["evidence"]["sentence"]
            assert a["text"][span["start"] : span["end"]] == sentence
    dated = ok(client, "/api/articles", since="2018-01-01")["articles"]
    assert dated and all(a["published"] >= "2018-01-01" for a in dated)
    assert ok(client, "/api/articles", limit=2, offset=2)["articles"] == arts[2:4]


def test_raw_page_is_inert_plain_text(client: TestClient, seeds_db: Any) -> None:
    art = ok(client, "/api/articles")["articles"][0]
    r = client.get(f"/api/articles/{art['id']}/raw")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in r.headers["content-security-policy"]
    assert art["title"] and art["title"].split()[0] in r.text


def test_unknown_article_is_404(client: TestClient) -> None:
    assert error(client, "/api/articles/0000000000000000", 404)["code"] == "E113"
    assert error(client, "/api/articles/0000000000000000/raw", 404)["code"] == "E113"


def test_search_reaches_the_tally(client: TestClient) -> None:
    data = ok(client, "/api/search", q="Syromolotov")
    assert data["hits"]
    hit = data["hits"][0]
    assert any(p["mark"] and p["text"] == "Syromolotov" for p in hit["snippet_parts"])
    events = ok(client, "/api/events", id=hit["events"])["events"]
    tallies = [e for e in events if e["kind"] == "tally" and (e["killed"] or {}).get("best") == 160]
    assert tallies, events
    assert ok(client, "/api/search", q="!!! ...")["hits"] == []
    assert ok(client, "/api/search", q="\x00")["hits"] == []
    error(client, "/api/search", 422)
    error(client, "/api/search", 422, q="")
    error(client, "/api/search", 422, q="Syromolotov", limit=101)


# --- no 500 on anything -----------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "'",
    '"',
    "%",
    "_",
    "\\",
    "\x00",
    "é",
    "😀",
    "' OR 1=1 --",
    "<script>",
    "a" * 3000,
]


@pytest.mark.parametrize("value", NASTY)
def test_no_500_on_any_text_parameter(client: TestClient, value: str) -> None:
    for url, name in [
        ("/api/events", "actor"), ("/api/events", "type"), ("/api/events", "near"),
        ("/api/events", "id"), ("/api/stats", "actor"), ("/api/claims", "article_id"),
        ("/api/search", "q"), ("/api/export", "actor"),
    ]:  # fmt: skip
        params = {name: value}
        if url == "/api/export":
            params["format"] = "jsonl"
        r = client.get(url, params=params)
        assert r.status_code < 500, (url, name, value, r.text)
        assert r.headers["content-type"].split(";")[0] in (
            "application/json", "application/x-ndjson"
        )  # fmt: skip
    for path in ("/api/events/", "/api/articles/", "/event/", "/article/"):
        r = client.get(path + quote(value, safe=""))
        assert r.status_code < 500, (path, value)


# --- the server's own pages -------------------------------------------------------------------


def test_unknown_routes_and_methods_are_json(client: TestClient) -> None:
    assert error(client, "/api/nothing-here", 404)["code"] == "HTTP404"
    r = client.delete("/api/events")
    assert r.status_code == 405 and r.json()["error"]["status"] == 405


def test_dashboard_routes_serve_the_page_with_a_strict_policy(client: TestClient) -> None:
    for path in ("/", "/event/i-4747", "/article/abc", "/search?q=x"):
        r = client.get(path)
        assert r.status_code == 200 and '<main id="main"' in r.text
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    for asset in ("/static/app.js", "/static/app.css", "/static/vendor/leaflet/leaflet.js"):
        assert client.get(asset).status_code == 200
    gj = client.get("/boundaries/admin1.geojson")
    assert gj.status_code == 200 and gj.json()["type"] == "FeatureCollection"
    assert client.get("/boundaries/..%2F..%2Fsettings.py").status_code in (404, 422)
    assert client.get("/static/../api/app.py").status_code == 404


def test_docs_are_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "/static/docs.js" in page.text
    assert "http" not in page.text.replace('href="/openapi.json"', "")
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/events", "/api/events/{event_id}", "/api/claims", "/api/articles",
        "/api/articles/{article_id}", "/api/articles/{article_id}/raw", "/api/search",
        "/api/stats", "/api/export", "/api/facets", "/api/health",
    ):  # fmt: skip
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"]


def test_reads_do_not_wait_for_a_writer(client: TestClient, seeds_db: Any) -> None:
    """An ingest holds SQLite's write lock for a whole file; the API's reads must not queue."""
    import time

    from warlog.store import Store

    with Store(f"sqlite:///{seeds_db}") as other, other.transaction():
        t0 = time.monotonic()
        assert client.get("/api/events", params={"limit": 5}).status_code == 200
        assert client.get("/api/health").status_code == 200
        assert time.monotonic() - t0 < 5
