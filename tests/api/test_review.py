"""The analyst's review tools in the API: plausibility flags and the flagged filter, the
perpetrator/claimant/outlet filters, `near` said back or refused, stable ids (redirects), and
quarantine of an article (token required)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.helpers import TOKEN, auth, seeds_store
from warlog.api import create_app
from warlog.link.plausibility import FLAG_CODES, rules

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "fakes" / "dev.jsonl"


def ok(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A private copy of the seeds store that the tests here may change."""
    app = create_app(f"sqlite:///{seeds_store(tmp_path_factory)}", TOKEN)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    app.state.store.close()


# --- flags ------------------------------------------------------------------------------------


def test_every_event_has_flags_and_the_filter_keeps_exactly_the_flagged(
    client: TestClient,
) -> None:
    events = ok(client, "/api/events", limit=1000)["events"]
    assert all(isinstance(e["flags"], list) for e in events)
    assert all(f["code"] in FLAG_CODES and f["message"] for e in events for f in e["flags"])
    flagged = ok(client, "/api/events", flagged=1, limit=1000)["events"]
    assert [e["id"] for e in flagged] == [e["id"] for e in events if e["flags"]]


def test_an_event_abroad_is_flagged_against_the_collection_country(client: TestClient) -> None:
    """The seeds are about Syria; the Paris attacks (FR) are flagged outside the country, and
    with focus on France they are not."""
    events = ok(client, "/api/events", limit=1000)["events"]
    paris = next(e for e in events if (e["place"] or {}).get("country") == "FR")
    assert "outside_country" in [f["code"] for f in paris["flags"]]
    assert "(SY)" in next(f for f in paris["flags"] if f["code"] == "outside_country")["message"]


def test_focus_country_changes_the_country_flag(seeds_db: Path) -> None:
    app = create_app(f"sqlite:///{seeds_db}", TOKEN, focus_country="fr")
    with TestClient(app) as c:
        events = c.get("/api/events", params={"limit": 1000}).json()["events"]
    app.state.store.close()
    paris = next(e for e in events if (e["place"] or {}).get("country") == "FR")
    assert "outside_country" not in [f["code"] for f in paris["flags"]]
    syria = [e for e in events if (e["place"] or {}).get("country") == "SY"]
    assert syria and all("outside_country" in [f["code"] for f in e["flags"]] for e in syria)


def _dev_lines(*numbers: int) -> list[dict[str, Any]]:
    if not DEV.exists():
        pytest.skip(f"{DEV} is absent")
    lines = DEV.read_text(encoding="utf-8").splitlines()
    return [
        {
            k: v
            for k, v in json.loads(lines[n - 1]).items()
            if k in ("id", "title", "text", "outlet")
        }
        for n in numbers
    ]


def test_no_incident_over_the_threshold_goes_unflagged(writer: TestClient) -> None:
    """FA-KES dev lines 158 (a war's toll, "more than 170000 ... killed in Syria's civil war")
    and 150 (a chronology whose "2011:" was read as a toll): whatever the extractor makes of
    them, an incident above the threshold or a year-like figure is flagged, and the timeline
    leaves flagged events out."""
    r = writer.post("/api/articles", json=_dev_lines(158, 150), headers=auth())
    assert r.status_code in (200, 201), r.text
    events = ok(writer, "/api/events", limit=1000)["events"]
    big = [
        e
        for e in events
        if e["kind"] == "incident"
        and ((e["killed"] or {}).get("best") or 0) > rules().incident_max_killed
    ]
    for e in big:
        assert "large_incident" in [f["code"] for f in e["flags"]], e["id"]
    stats = ok(writer, "/api/stats")
    charted = sum(b["killed"] for b in stats["buckets"]) + stats["undated"]["killed"]
    flagged = [
        e
        for e in events
        if e["kind"] == "incident" and any(f["code"] != "outside_country" for f in e["flags"])
    ]
    assert stats["flagged_left_out"]["events"] == len(flagged)
    with_flagged = ok(writer, "/api/stats", include_flagged=1)
    assert sum(b["killed"] for b in with_flagged["buckets"]) + with_flagged["undated"][
        "killed"
    ] == (charted + stats["flagged_left_out"]["killed"])


# --- filters ----------------------------------------------------------------------------------


def test_actor_is_the_perpetrator_only(client: TestClient) -> None:
    """Regression: `actor` matched claimant and outlet text too."""
    by_actor = ok(client, "/api/events", actor="islamic state", limit=1000)["events"]
    assert by_actor
    for e in by_actor:
        named = [(e["perpetrator"] or {}).get(k) or "" for k in ("name", "actor", "text")]
        claim_perps = [
            ((r["claim"]["perpetrator"] or {}).get("text") or "")
            for r in ok(client, f"/api/events/{e['id']}")["claims"]
        ]
        assert any("islamic state" in x.lower() for x in named + claim_perps), e["id"]
    by_outlet = ok(client, "/api/events", outlet="press tv", limit=1000)["events"]
    assert by_outlet and all("Press TV" in e["outlets"] for e in by_outlet)
    assert not ok(client, "/api/events", actor="press tv", limit=1000)["events"]
    ministry = ok(client, "/api/events", claimant="ministry of defence", limit=1000)["events"]
    assert ministry and all(
        any("ministry of defence" in c.lower() for c in e["claimants"]) for e in ministry
    )
    assert not ok(client, "/api/events", actor="ministry of defence", limit=1000)["events"]


def test_sort_by_sources(client: TestClient) -> None:
    got = ok(client, "/api/events", order="sources", limit=1000)["events"]
    keys = [(e["n_claimants"], e["n_outlets"]) for e in got]
    assert keys == sorted(keys, reverse=True)


def test_near_says_which_place_it_used(client: TestClient) -> None:
    data = ok(client, "/api/events", near="Mayadeen", km=20)
    assert data["near"]["name"] == "Al Mayādīn" and data["near"]["country"] == "SY"
    assert data["near"]["km"] == 20 and data["events"]


def test_near_refuses_a_misspelt_place_with_a_suggestion(client: TestClient) -> None:
    r = client.get("/api/events", params={"near": "Damscus"})
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "E124" and "did you mean 'Damascus'" in err["message"]


# --- stable ids and quarantine ----------------------------------------------------------------


def test_quarantine_needs_the_token_and_redirects_the_old_id(own: TestClient) -> None:
    tally = next(
        e for e in ok(own, "/api/events", kind="tally", limit=1000)["events"] if e["n_articles"] > 1
    )
    claims = ok(own, f"/api/events/{tally['id']}")["claims"]
    owner = min(r["article_id"] for r in claims)  # its unit gives the event its id
    assert own.post(f"/api/articles/{owner}/quarantine").status_code == 401
    assert own.post(f"/api/articles/{owner}/quarantine", headers=auth("nope")).status_code == 403
    r = own.post(f"/api/articles/{owner}/quarantine", params={"reason": "planted"}, headers=auth())
    assert r.status_code == 200 and r.json()["quarantined"] and r.json()["events"] == []
    assert ok(own, f"/api/articles/{owner}")["quarantine"] is True
    # Its claims left every event.
    events = ok(own, "/api/events", limit=1000)["events"]
    assert tally["id"] not in {e["id"] for e in events}
    r = own.get(f"/api/events/{tally['id']}", follow_redirects=False)
    assert r.status_code == 308
    new = r.headers["location"].rsplit("/", 1)[1]
    assert new in {e["id"] for e in events}
    followed = ok(own, f"/api/events/{tally['id']}")
    assert followed["id"] == new and owner not in {c["article_id"] for c in followed["claims"]}
    page = own.get(f"/event/{tally['id']}", follow_redirects=False)
    assert page.status_code == 308 and page.headers["location"] == f"/event/{new}"
    # Restored: the id is an event again, no longer a redirect.
    r = own.delete(f"/api/articles/{owner}/quarantine", headers=auth())
    assert r.status_code == 200 and not r.json()["quarantined"]
    assert own.get(f"/api/events/{tally['id']}", follow_redirects=False).status_code == 200
    assert own.get(f"/event/{tally['id']}", follow_redirects=False).status_code == 200


def test_unknown_ids_stay_404(client: TestClient) -> None:
    r = client.get("/api/events/i-000000000000", follow_redirects=False)
    assert r.status_code == 404 and r.json()["error"]["code"] == "E117"
    r = client.post("/api/articles/nope/quarantine", headers=auth())
    assert r.status_code == 404


def test_one_request_for_an_events_articles(client: TestClient) -> None:
    ev = next(e for e in ok(client, "/api/events", limit=1000)["events"] if e["n_articles"] > 1)
    data = ok(client, f"/api/events/{ev['id']}/articles")
    assert data["event"] == ev["id"] and len(data["articles"]) == ev["n_articles"]
    for a in data["articles"]:
        assert a["text"] and a["spans"]
        for s in a["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(a["text"])
