"""Migration 9: the event list served from entries serialised at write time, byte for byte
what rendering each event's JSON gave; the migration and the lazy fill of old rows; the date,
type and text indexes returning exactly what a scan returns, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, text, update

from api.helpers import TOKEN, event_rows
from warlog.api import create_app
from warlog.codec import event_json
from warlog.link.plausibility import with_flags
from warlog.store import Store, migrations, schema
from warlog.store.compact import dumps, list_entry, span_class, with_focus

# The old path: every event's JSON parsed, claims dropped, rendered whole by JSONResponse.
QUERIES = [
    pytest.param({}, id="default"),
    pytest.param({"order": "-date", "limit": 1000}, id="dashboard-map"),
    pytest.param({"order": "killed", "limit": 3, "offset": 2}, id="page-by-deaths"),
    pytest.param({"order": "sources", "kind": "tally"}, id="tallies"),
    pytest.param({"actor": "islamic"}, id="actor"),
    pytest.param({"actor": "st"}, id="actor-two-letters"),
    pytest.param({"claimant": "observatory"}, id="claimant"),
    pytest.param({"outlet": "press"}, id="outlet"),
    pytest.param({"since": "2017-01-01", "until": "2018-12-31"}, id="date-window"),
    pytest.param({"since": "2015-06-01"}, id="since-only"),
    pytest.param({"since": "2015-06-01", "order": "-date", "limit": 4}, id="since-newest"),
    pytest.param({"flagged": 1}, id="flagged"),
    pytest.param({"near": "Deir ez-Zor", "km": 100}, id="near"),
    pytest.param({"type": "air/drone strike"}, id="type"),
    pytest.param({"conflicting": 1, "order": "reports"}, id="conflicting"),
]
ARGS = {"type": "event_type"}


def old_list_body(store: Store, params: dict[str, Any], focus: str | None) -> bytes:
    from warlog.near import near_place

    args = {ARGS.get(k, k): v for k, v in params.items() if k not in ("limit", "offset", "km")}
    for key in ("since", "until"):
        if key in args:
            args[key] = date.fromisoformat(args[key])
    near = None
    if "near" in args:
        place = near_place(args.pop("near"))
        args["near"] = (place.lat, place.lon, params["km"])
        near = {**place.json(), "km": float(params["km"])}
    for key in ("flagged", "conflicting"):
        if key in args:
            args[key] = bool(args[key])
    limit, offset = params.get("limit", 100), params.get("offset", 0)
    found = [
        event_json(e, with_claims=False)
        for e in store.events(**args, limit=limit + 1, offset=offset, focus_country=focus)
    ]
    body = {
        "events": found[:limit],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(found) > limit else None,
        "near": near,
    }
    return JSONResponse(body).body


@pytest.fixture(scope="module")
def iraq_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The seeds read as an Iraqi collection: every Syrian event gets the country flag."""
    from api.helpers import seeds_store

    db = seeds_store(tmp_path_factory)
    app = create_app(f"sqlite:///{db}", TOKEN, focus_country="IQ")
    with TestClient(app) as c:
        yield c, db
    app.state.store.close()


@pytest.mark.parametrize("params", QUERIES)
def test_list_bytes_equal_the_old_rendering(
    client: TestClient, seeds_db: Path, params: dict[str, Any]
) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()["events"]  # every case lists something, so the bytes compared are real
    with Store(f"sqlite:///{seeds_db}", readonly=True) as store:
        assert r.content == old_list_body(store, params, None)


@pytest.mark.parametrize("params", QUERIES[:3])
def test_list_bytes_equal_with_the_country_flag_spliced_in(iraq_client: Any, params: Any) -> None:
    client, db = iraq_client
    r = client.get("/api/events", params=params)
    with Store(f"sqlite:///{db}", readonly=True) as store:
        assert r.content == old_list_body(store, params, "IQ")
    flags = [f["code"] for e in r.json()["events"] for f in e["flags"]]
    assert "outside_country" in flags


@pytest.mark.parametrize(
    "event",
    [
        pytest.param({"id": "a", "flags": [], "place": {"country": "SY"}}, id="no-flags"),
        pytest.param(
            {"id": "b", "flags": [{"code": "year_as_toll", "message": "«2011» حلب"}], "x": 1},
            id="a-flag-and-non-ascii",
        ),
        pytest.param({"id": "c", "claims": [{"k": 1}], "place": None}, id="no-flags-key"),
    ],
)
def test_list_entry_splices_the_country_flag_like_with_flags(event: dict[str, Any]) -> None:
    entry, at = list_entry(event)
    plain = {k: v for k, v in event.items() if k != "claims"}
    assert entry == dumps(with_flags(dict(plain), None))
    country = (event.get("place") or {}).get("country")
    spliced = with_focus(entry, at, country, "IQ")
    assert spliced == dumps(with_flags(dict(plain), "IQ"))


def _drop_v11(con: sqlite3.Connection) -> None:
    """Make a store look as a warlog before migration 11 left it."""
    for index in ("ix_events_kind_country", "ix_events_window_oldest", "ix_events_window_newest"):
        con.execute(f"DROP INDEX {index}")
    con.execute("DELETE FROM _warlog_migrations WHERE version = 11")


def _drop_v9(con: sqlite3.Connection) -> None:
    """Make a store look as a warlog before migration 9 left it (and so before 11)."""
    _drop_v11(con)
    for trigger in ("events_text_ai", "events_text_ad", "events_text_au"):
        con.execute(f"DROP TRIGGER {trigger}")
    con.execute("DROP TABLE events_text")
    con.execute("DROP INDEX ix_events_span_date")
    con.execute("DROP INDEX ix_events_type_date")
    for col in ("list_json", "list_flags_at", "span_class"):
        con.execute(f"ALTER TABLE events DROP COLUMN {col}")
    con.execute("DELETE FROM _warlog_migrations WHERE version = 9")


def test_migration_9_fills_an_existing_ledger(seeds_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copyfile(seeds_db, db)
    cols = "id, list_json, list_flags_at, span_class"
    con = sqlite3.connect(db)
    want = con.execute(f"SELECT {cols} FROM events ORDER BY id").fetchall()
    assert want and all(row[1] for row in want)
    _drop_v9(con)
    con.commit()
    con.close()
    with Store(f"sqlite:///{db}") as store:
        with store.engine.connect() as conn:
            assert migrations.current_version(conn) == migrations.LATEST >= 9
        assert len(store.event_list(actor="islamic")) == len(store.events(actor="islamic"))
    con = sqlite3.connect(db)
    assert con.execute(f"SELECT {cols} FROM events ORDER BY id").fetchall() == want
    con.close()


def test_rows_without_an_entry_are_served_from_their_json(seeds_db: Path, tmp_path: Path) -> None:
    """A row written by an older warlog after the migration has no entry: made on the spot."""
    db = tmp_path / "lazy.db"
    shutil.copyfile(seeds_db, db)
    with Store(f"sqlite:///{db}") as store:
        want = store.event_list(order="-date")
        with store.transaction() as tx:
            tx.conn.execute(update(schema.events).values(list_json=None, list_flags_at=None))
        assert store.event_list(order="-date") == want
        assert [json.loads(e) for e in want] == [
            event_json(e, with_claims=False) for e in store.events(order="-date")
        ]


def _variants(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seeds' events again with windows of every span class, across several years."""
    out = []
    for n, row in enumerate(rows):
        for k, (shift, days) in enumerate([(-400, 0), (30, 20), (700, 200), (-2000, 3000)]):
            start = (row["date_start"] or date(2016, 1, 1)) + timedelta(days=shift)
            end = start + timedelta(days=days)
            data = {**json.loads(row["data"]), "id": f"v{n}-{k}"}
            entry, at = list_entry(data)
            out.append(
                {
                    **row,
                    "id": data["id"],
                    "data": json.dumps(data),
                    "list_json": entry,
                    "list_flags_at": at,
                    "date_start": start,
                    "date_end": end,
                    "span_class": span_class(start, end),
                }
            )
    return out


def test_indexed_filters_return_what_a_scan_returns(seeds_db: Path, db_url: str) -> None:
    rows = _variants(event_rows(seeds_db))
    with Store(db_url) as store:
        with store.transaction() as tx:
            tx.conn.execute(insert(schema.events), rows)
        cases = [
            {"actor": "islamic", "since": date(2015, 1, 1), "until": date(2015, 12, 31)},
            {"actor": "stat"},
            {"claimant": "observ", "since": date(2017, 3, 1)},
            {"outlet": "ss", "until": date(2014, 6, 30)},
            {"since": date(2016, 2, 1), "until": date(2016, 2, 28)},
            {"event_type": "air/drone strike", "since": date(2012, 1, 1)},
        ]
        for case in cases:
            got = {e.id for e in store.events(**case, focus_country="SY")}
            want = {r["id"] for r in rows if _matches(r, case)}
            # Each case keeps some events and leaves some out, or it would test nothing.
            assert got == want and 0 < len(want) < len(rows), (case, len(want))
            assert len(store.event_list(**case)) == len(got)
        if store.engine.dialect.name == "sqlite":  # ids compare as code points, as in Python
            _assert_date_orders(store, rows)
        with store.engine.connect() as conn:
            _assert_indexed(conn, store.engine.dialect.name, rows)


def _assert_date_orders(store: Store, rows: list[dict[str, Any]]) -> None:
    """Pages within ``since`` (one query per span class, merged) in the order one query gives."""
    case = {"since": date(2016, 1, 1), "until": date(2018, 6, 30)}
    want = sorted((r for r in rows if _matches(r, case)), key=lambda r: r["id"])
    oldest = [r["id"] for r in sorted(want, key=lambda r: r["date_start"])]
    newest = [r["id"] for r in sorted(want, key=lambda r: r["date_start"], reverse=True)]
    assert len(oldest) > 12
    for order, ids in (("date", oldest), ("-date", newest)):
        for offset, limit in ((0, None), (0, 5), (5, 7)):
            end = offset + limit if limit else None
            got = store.events(**case, order=order, offset=offset, limit=limit)
            assert [e.id for e in got] == ids[offset:end], (order, offset, limit)


def _matches(row: dict[str, Any], case: dict[str, Any]) -> bool:
    if "since" in case and not (row["date_end"] and row["date_end"] >= case["since"]):
        return False
    if "until" in case and not (row["date_start"] and row["date_start"] <= case["until"]):
        return False
    if "event_type" in case and row["event_type"] != case["event_type"]:
        return False
    for key, col in (
        ("actor", "perpetrator_text"),
        ("claimant", "claimant_text"),
        ("outlet", "outlet_text"),
    ):
        if key in case and case[key] not in row[col]:
            return False
    return True


def _assert_indexed(conn: Any, dialect: str, rows: list[dict[str, Any]]) -> None:
    if dialect == "sqlite":
        from warlog.store import filter_events
        from warlog.store.textindex import narrowed

        window = {"since": date(2015, 1, 1), "until": date(2015, 12, 31)}
        q = filter_events(select(schema.events.c.id), actor="islamic", **window)
        plan = _plan(conn, q)
        indexes = ("ix_events_span_date", "ix_events_window_oldest", "ix_events_window_newest")
        assert any(f"INDEX {name}" in plan for name in indexes), plan
        # A page within a window, one span class at a time (as the list reads it): from
        # migration 11's index alone, in the order asked, with no table row read nor sort.
        e = schema.events.c
        for order, index in (
            ((e.date_start.asc().nulls_last(), e.id), "ix_events_window_oldest"),
            ((e.date_start.desc().nulls_last(), e.id), "ix_events_window_newest"),
        ):
            for filters in ({"actor": "islamic"}, {"claimant": "observ"}, {"outlet": "ss"}):
                q = filter_events(
                    select(e.id, e.date_start), **filters, **window, span_class=0
                ).order_by(*order)
                plan = _plan(conn, q.limit(50))
                assert f"USING COVERING INDEX {index}" in plan and "TEMP B-TREE" not in plan
        # The trigram index lists the few matches outside a window (and the triggers kept it
        # in step with the rows inserted), never inside one, nor for two letters.
        want = sorted(r["id"] for r in rows if "islamic" in r["perpetrator_text"])
        assert narrowed(conn, {"actor": "Islamic"}) == want
        assert narrowed(conn, {"actor": "islamic", **window}) is None
        assert narrowed(conn, {"actor": "is"}) is None
    else:
        names = set(
            conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'events'"))
            .scalars()
            .all()
        )
        assert {"ix_events_perpetrator_text_trgm", "ix_events_span_date"} <= names


def _plan(conn: Any, q: Any) -> str:
    sql = str(q.compile(conn, compile_kwargs={"literal_binds": True}))
    return " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))


def test_migration_11_indexes_an_existing_ledger(seeds_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "v10.db"
    shutil.copyfile(seeds_db, db)
    window = {"actor": "islamic", "since": date(2014, 1, 1), "until": date(2019, 12, 31)}
    with Store(f"sqlite:///{db}") as store:
        want = store.event_list(**window, order="-date")
        country = store.dominant_country()
    con = sqlite3.connect(db)
    _drop_v11(con)
    con.commit()
    con.close()
    with Store(f"sqlite:///{db}") as store:
        with store.engine.connect() as conn:
            assert migrations.current_version(conn) == migrations.LATEST >= 11
            names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
            e = schema.events.c
            q = select(e.country, func.count()).where(e.kind == "incident").group_by(e.country)
            assert "COVERING INDEX ix_events_kind_country" in _plan(conn, q)
        assert {"ix_events_window_oldest", "ix_events_window_newest"} <= names
        assert want and store.event_list(**window, order="-date") == want
        assert country and store.dominant_country() == country


def test_the_trigram_index_follows_updates_and_deletes(seeds_db: Path, tmp_path: Path) -> None:
    from warlog.store.textindex import narrowed

    db = tmp_path / "fts.db"
    shutil.copyfile(seeds_db, db)
    e = schema.events.c
    with Store(f"sqlite:///{db}") as store:
        with store.read_engine.connect() as conn:
            found = narrowed(conn, {"actor": "islamic"})
        assert found
        with store.transaction() as tx:
            tx.conn.execute(
                update(schema.events).where(e.id == found[0]).values(perpetrator_text="no one")
            )
            tx.conn.execute(schema.events.delete().where(e.id == found[-1]))
        with store.read_engine.connect() as conn:
            assert narrowed(conn, {"actor": "islamic"}) == found[1:-1]
            assert narrowed(conn, {"actor": "no one"}) == [found[0]]
