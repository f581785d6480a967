"""The store: migrations, idempotent re-ingestion, copies recorded, transactions per file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from warlog.pipeline import ingest_paths
from warlog.records import Article, EventFilter, article_id
from warlog.store import Store, migrations, schema

WIRE = (
    "Government air strikes on the rebel-held town of Saraqeb killed at least 14 civilians on Tuesday, "
    "including four children, the Syrian Observatory for Human Rights said. The monitor said the raids hit "
    "a market and a residential building near the town centre, and that dozens of people were wounded. "
    "Rescue workers were still searching the rubble for survivors late in the evening, activists said. "
    "The town lies on the main highway linking Damascus to Aleppo and has been bombed repeatedly since the "
    "start of a government offensive in the province last month."
)
SITES = [
    "Raids kill 14 in Saraqeb\n\n09 February 2016\n\n{w}\n\n© 2016 Site One\n\nYou may also like\nOther story\n",
    "Latest news\nMain » World\n\nAir strikes kill 14 civilians in Syria's Saraqeb\n\nUpdated 9 February 2016\n\n"
    "Smoke rises over the town. (AFP / STRINGER)\n\n{w}\n\nRead more:\nSomething else\n",
    "Syria: raids on Saraqeb kill 14\n\nBy admin\n\n{w} Local activists posted videos of the aftermath.\n",
]


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    Store(url).close()
    with Store(url) as store, store.engine.connect() as conn:
        versions = conn.execute(select(schema.migrations.c.version)).scalars().all()
    assert versions == [m.version for m in migrations.MIGRATIONS]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    from warlog.errors import WarlogError

    url = f"sqlite:///{tmp_path / 'w.db'}"
    with Store(url) as store, store.transaction() as tx:
        tx.conn.execute(
            schema.migrations.insert().values(version=999, name="future", applied_at=schema_now())
        )
    with pytest.raises(WarlogError, match="E112"):
        Store(url)


def schema_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_reingesting_adds_nothing(store: Store, seeds_dir: Path) -> None:
    first = ingest_paths(store, [str(seeds_dir)])
    second = ingest_paths(store, [str(seeds_dir)])
    assert (first.pages_new, len(first.articles_new)) == (5, 6)
    assert (second.pages_new, len(second.articles_new), second.pages_unchanged) == (0, 0, 5)
    assert store.count("articles") == 6
    assert [r.articles_new for r in store.runs()] == [6, 0]


def test_one_wire_story_on_three_sites_is_recorded_as_copies(store: Store, tmp_path: Path) -> None:
    for i, site in enumerate(SITES):
        (tmp_path / f"site{i}.txt").write_text(site.format(w=WIRE), "utf-8")
    report = ingest_paths(store, [str(tmp_path)])
    arts = store.articles()
    assert len(arts) == 3  # kept, not dropped
    original, *copies = arts
    assert original.duplicate_of is None
    assert [c.duplicate_of for c in copies] == [original.id, original.id]
    assert all((c.duplicate_how or "").startswith("near: est. Jaccard") for c in copies)
    assert report.duplicates == 2
    assert len(store.articles(include_duplicates=False)) == 1


def test_different_stories_are_not_copies(store: Store, tmp_path: Path) -> None:
    other = WIRE.replace("Saraqeb", "Douma").replace("air strikes", "rocket fire").split(". ")
    (tmp_path / "a.txt").write_text(SITES[0].format(w=WIRE), "utf-8")
    (tmp_path / "b.txt").write_text(
        "Rockets hit Douma\n\n10 February 2016\n\n" + ". ".join(reversed(other)), "utf-8"
    )
    ingest_paths(store, [str(tmp_path)])
    assert all(a.duplicate_of is None for a in store.articles())


def test_a_failing_file_rolls_back_alone(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warlog.pipeline as pipeline

    for i in range(3):
        (tmp_path / f"p{i}.txt").write_text(
            f"Clashes in Daraa {i}\n\n0{i + 1} May 2016\n\n" + WIRE.replace("14", str(20 + i)),
            "utf-8",
        )
    real = pipeline._store_page
    calls = {"n": 0}

    def flaky(tx, item, *a, **kw):
        calls["n"] += 1
        if item.page.source.endswith("p1.txt"):
            real(tx, item, *a, **kw)  # written, then the file fails: must be rolled back
            raise KeyboardInterrupt
        return real(tx, item, *a, **kw)

    monkeypatch.setattr(pipeline, "_store_page", flaky)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(store, [str(tmp_path)])
    assert [a.source.rsplit("/", 1)[-1] for a in store.articles()] == ["p0.txt"]
    assert store.count("pages") == 1
    monkeypatch.setattr(pipeline, "_store_page", real)
    report = ingest_paths(store, [str(tmp_path)])
    assert (report.pages_new, report.pages_unchanged) == (2, 1)


def _snapshot(db: Path) -> list[tuple]:
    with Store(f"sqlite:///{db}") as store, store.engine.connect() as conn:
        a = schema.articles.c
        rows = conn.execute(
            select(
                a.id, a.title, a.text, a.published, a.outlet, a.duplicate_of, a.content_hash
            ).order_by(a.id)
        ).all()
        pages = (
            conn.execute(select(schema.pages.c.sha256).order_by(schema.pages.c.sha256))
            .scalars()
            .all()
        )
    return [tuple(r) for r in rows] + [("page", p) for p in pages]


def _pages_read_only(db: Path) -> int:
    """Count stored pages without taking any lock (WAL readers never block the writer)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return int(conn.execute("SELECT count(*) FROM pages").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet, or mid-migration


@pytest.mark.slow
def test_killed_ingestion_resumes_to_the_same_store(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(400):
        body = WIRE.replace("14", str(i)).replace("Saraqeb", f"Town{i % 37}")
        extra = " ".join(
            f"Sentence {j} of page {i} adds detail about the raid." for j in range(i % 9)
        )
        (corpus / f"{i:04d}.txt").write_text(
            f"Raid kills {i} in Town{i % 37}\n\n0{1 + i % 9} March 2016\n\n{body} {extra}\n",
            "utf-8",
        )
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "warlog.cli", "ingest", str(corpus), "--db"]
    subprocess.run([*cmd, str(clean_db)], check=True, capture_output=True)

    proc = subprocess.Popen(
        [*cmd, str(killed_db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # kill once some, but not all, files are in
        time.sleep(0.05)
        if _pages_read_only(killed_db) >= 20:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = Store(f"sqlite:///{killed_db}").count("pages")
    assert 0 < partial < 400, "the kill must land mid-run for this test to mean anything"
    # Consistent after the kill: every stored page has its articles.
    with Store(f"sqlite:///{killed_db}") as s:
        assert s.count("articles") == partial
    subprocess.run([*cmd, str(killed_db)], check=True, capture_output=True)
    assert _snapshot(killed_db) == _snapshot(clean_db)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.one_of(st.none(), st.text(min_size=1, max_size=80)),
    text=st.text(min_size=1, max_size=2000),
    outlet=st.one_of(st.none(), st.text(max_size=40)),
)
def test_articles_round_trip_through_the_store(
    title: str | None, text: str, outlet: str | None
) -> None:
    from warlog.records import PageFormat, RawPage

    with Store("sqlite://") as store:
        page = RawPage(
            body=text.encode("utf-8", "surrogatepass"),
            text=text,
            format=PageFormat.TEXT,
            source="h.txt",
        )
        art = Article(
            id=article_id(page.sha256, 0), page_sha256=page.sha256, index=0, title=title, text=text,
            outlet=outlet, outlet_how=None, url=None, published=None, published_how="not found", source="h.txt",
        )  # fmt: skip
        with store.transaction() as tx:
            tx.add_page(page, None)
            tx.add_article(art, None, [])
        (back,) = store.articles()
    assert back == art


def test_readers_in_many_threads_share_no_connection(tmp_path: Path) -> None:
    """Regression: the read engine of a SQLite file once got SingletonThreadPool, which closes
    connections other threads still use; the API's worker threads crashed the process."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy.pool import SingletonThreadPool

    db = tmp_path / "w.db"
    Store(f"sqlite:///{db}").close()
    with Store(f"sqlite:///{db}", readonly=True) as store:
        assert not isinstance(store.read_engine.pool, SingletonThreadPool)
        with ThreadPoolExecutor(max_workers=12) as pool:
            results = list(pool.map(lambda _: len(store.events(limit=10)), range(240)))
    assert results == [0] * 240


def test_every_event_filter_field_is_a_query_keyword() -> None:
    """The store reads the filter's fields from EventFilter itself: a field added there must
    be one that the event query knows (or one read apart, as the focus country)."""
    import inspect

    from warlog.store.events import EventReads, _filter_fields, filter_events

    known = set(inspect.signature(EventReads._event_page).parameters)
    known |= set(inspect.signature(filter_events).parameters)
    given = set(_filter_fields(EventFilter()))
    assert given == {f.name for f in fields(EventFilter)} - {"focus_country"}
    assert given <= known


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_events_refuses_the_dead_with_claims_keyword(store: Store) -> None:
    """Regression: ``with_claims`` was accepted and ignored; the list's shape is the codec's
    ``event_json(e, with_claims=False)``, so the store now refuses it rather than mislead."""
    with pytest.raises(TypeError, match="with_claims"):
        store.events(with_claims=True)
