"""Migration 8 (the watcher's tables) and the scheduling rules, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, create_engine, inspect, select, text

from warlog.store import Store, migrations, schema
from warlog.store import feeds as feedstore
from warlog.watch import state

WATCH_TABLES = {"watch_feeds", "watch_entries", "watch_alerts"}


def test_feedstore_migration_8_upgrades_a_version_5_store(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = tuple(m for m in migrations.MIGRATIONS if m.version <= 5)
    monkeypatch.setattr(migrations, "MIGRATIONS", older)
    Store(db_url).close()  # a store made by a warlog that knew 1..5
    monkeypatch.undo()
    with Store(db_url) as store, store.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= WATCH_TABLES
        done = set(conn.execute(select(schema.migrations.c.version)).scalars())
        assert done == {m.version for m in migrations.MIGRATIONS} and 8 in done
        assert migrations.current_version(conn) == migrations.LATEST


def test_feedstore_migrations_tolerate_a_gap_filled_later(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[int] = []

    def late(conn: Connection) -> None:
        ran.append(gap)
        conn.execute(text("CREATE TABLE gap_late (x INTEGER)"))

    # Another branch's migration, numbered below the latest, arrives after this store reached
    # the latest: it still runs, once.
    gap = migrations.LATEST - 1
    without = tuple(m for m in migrations.MIGRATIONS if m.version != gap)
    monkeypatch.setattr(migrations, "MIGRATIONS", without)
    Store(db_url).close()
    later = (*without, migrations.Migration(gap, "from another branch", late))
    monkeypatch.setattr(migrations, "MIGRATIONS", tuple(sorted(later, key=lambda m: m.version)))
    Store(db_url).close()
    Store(db_url).close()
    assert ran == [gap]
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        assert "gap_late" in inspect(conn).get_table_names()
    engine.dispose()


def test_feedstore_feeds_keep_their_state_when_added_again(store: Store) -> None:
    assert (
        feedstore.add_feeds(store, ["http://127.0.0.1:18600/a", "http://127.0.0.1:18600/b"], 10.0)
        == 2
    )
    feedstore.finish_poll(store, "http://127.0.0.1:18600/a", "me", next_poll=500.0, failures=2)
    assert feedstore.add_feeds(store, ["http://127.0.0.1:18600/a"], 20.0) == 0
    row = feedstore.feed(store, "http://127.0.0.1:18600/a")
    assert row is not None and row.next_poll == 500.0 and row.failures == 2 and row.polls == 1
    assert feedstore.next_due(store) == 10.0


def test_feedstore_lease_is_exclusive_until_it_expires(store: Store) -> None:
    url = "http://127.0.0.1:18600/a"
    feedstore.add_feeds(store, [url], 0.0)
    assert [r.url for r in feedstore.claim_due(store, "a", 1.0, 60.0)] == [url]
    assert feedstore.claim_due(store, "b", 2.0, 60.0) == []
    assert [r.url for r in feedstore.claim_due(store, "b", 62.0, 60.0)] == [url]
    feedstore.finish_poll(store, url, "a", next_poll=0.0)  # a's late write does not free b's
    assert feedstore.claim_due(store, "c", 63.0, 60.0) == []


@pytest.mark.parametrize(
    ("failures", "low", "high"), [(1, 30, 60), (2, 60, 120), (5, 480, 960), (30, 43200, 86400)]
)
def test_state_backoff_doubles_with_jitter_up_to_a_day(
    failures: int, low: float, high: float
) -> None:
    sched = state.Schedule(interval=60.0)
    assert state.backoff(failures, sched, lambda: 0.0) == low
    assert state.backoff(failures, sched, lambda: 1.0) == high


@pytest.mark.parametrize(
    ("max_age", "wait"), [(None, 900), (60, 900), (3600, 3600), (10**7, 86400)]
)
def test_state_max_age_delays_the_next_poll(max_age: float | None, wait: float) -> None:
    nxt = state.after_success(0.0, state.Schedule(interval=900.0), max_age)
    assert nxt.next_poll == wait and nxt.failures == 0


@pytest.mark.parametrize(
    ("statuses", "dead"), [([404, 410, 404], True), ([404, 500, 404], False), ([410, 410], False)]
)
def test_state_dead_after_repeated_404_or_410(statuses: list[int], dead: bool) -> None:
    sched = state.Schedule(interval=60.0, dead_after=3)
    failures = gone = 0
    nxt = None
    for s in statuses:
        nxt = state.after_failure(0.0, sched, failures, gone, lambda: 0.5, status=s)
        failures, gone = nxt.failures, nxt.gone
    assert nxt is not None and nxt.dead is dead
