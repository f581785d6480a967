"""Readers never wait, writers take short turns, a killed chunked writer resumes (issue 17).

Large containers are written in chunks of records, one short transaction each: two writers
of 3,000-record files interleave instead of one holding the lock for a whole file (the second
used to fail after 61.6 s with "database is locked", losing its file), and readers open the
store without any lock.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from warlog.store import Store, schema

PLACES = ["Aleppo", "Idlib", "Homs", "Hama", "Daraa", "Raqqa", "Douma", "Saraqeb", "Palmyra"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
READ_LIMIT_S = 2.0
LOCK_WAIT_S = 8.0


def _dataset(path: Path, n: int, tag: str) -> None:
    """``n`` distinct one-paragraph articles in JSON Lines."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            place = PLACES[i % len(PLACES)]
            row = {
                "id": f"{tag}-{i}",
                "title": f"Shelling in {place} ({tag} {i})",
                "date": f"2016-{1 + i % 12:02d}-{1 + i % 27:02d}",
                "text": (
                    f"Shelling killed {2 + i % 40} civilians in {place} on {WEEKDAYS[i % 7]}, "
                    f"activists said. Report {tag}-{i} adds that {1 + i % 9} buildings were hit."
                ),
            }
            fh.write(json.dumps(row) + "\n")


def _cmd(url: str, *paths: Path) -> list[str]:
    return [sys.executable, "-m", "warlog.cli", "ingest", "--db", url, *map(str, paths)]


@pytest.mark.slow
def test_two_writers_and_a_reader_never_lock_nor_lose_a_file(tmp_path: Path, db_url: str) -> None:
    files = [tmp_path / "one.jsonl", tmp_path / "two.jsonl"]
    for f, tag in zip(files, ("one", "two"), strict=True):
        _dataset(f, 3000, tag)
    Store(db_url).close()  # created (and migrated) before the race starts
    writers = [
        subprocess.Popen(_cmd(db_url, f), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for f in files
    ]  # fmt: skip
    reads: list[float] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                with Store(db_url, readonly=True) as s:
                    s.events(limit=20)
                    s.count("articles")
                    s.search_articles("shelling", limit=5)
            except Exception as exc:
                failures.append(repr(exc))
            reads.append(time.monotonic() - t0)
            time.sleep(0.05)

    t = threading.Thread(target=reader)
    t.start()
    try:
        errs = [w.communicate(timeout=1800)[1] for w in writers]
    finally:
        stop.set()
        t.join()
    for w, err in zip(writers, errs, strict=True):
        assert w.returncode == 0, err
        assert "database is locked" not in err
    assert failures == []
    assert len(reads) > 20, "the reader must have run during the writes"
    print(f"{len(reads)} reads, slowest {max(reads):.2f} s")  # shown with -s
    # Two writers keep both cores busy, so a read may wait for CPU (a 2.1 s outlier in 786
    # reads failed CI on PostgreSQL once, with no lock involved: the store's read path has
    # no lock to wait on there). A lock wait is a busy timeout of many seconds, or the
    # writers' whole run: the typical read stays fast and none nears that.
    typical = sorted(reads)[int(len(reads) * 0.95)]
    assert typical < READ_LIMIT_S
    assert max(reads) < LOCK_WAIT_S
    with Store(db_url, readonly=True) as s:
        assert s.count("articles") == 6000  # no file lost
        assert s.count("pages") == 6000


def _snapshot(url: str) -> dict[str, list[tuple]]:
    with Store(url, readonly=True) as store, store.read_engine.connect() as conn:
        a, c, e = schema.articles.c, schema.claims.c, schema.events.c
        p, f = schema.pages.c, schema.failed_records.c
        return {
            "articles": [
                tuple(r)
                for r in conn.execute(
                    select(a.id, a.text, a.published, a.duplicate_of, a.content_hash).order_by(a.id)
                )
            ],
            "pages": list(conn.execute(select(p.sha256).order_by(p.sha256)).scalars()),
            "claims": [tuple(r) for r in conn.execute(select(c.id, c.data).order_by(c.id))],
            "events": [tuple(r) for r in conn.execute(select(e.id, e.data).order_by(e.id))],
            "failed": list(conn.execute(select(f.sha256).order_by(f.sha256)).scalars()),
        }


def _pages_read_only(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return int(conn.execute("SELECT count(*) FROM pages").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_a_killed_chunked_writer_resumes_to_the_same_store(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    _dataset(data, 600, "k")
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    subprocess.run(_cmd(str(clean), data), check=True, capture_output=True)

    proc = subprocess.Popen(
        _cmd(str(killed), data), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and _pages_read_only(killed) < 120:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _pages_read_only(killed)
    assert 0 < partial < 600, "the kill must land mid-file for this test to mean anything"
    with Store(f"sqlite:///{killed}", readonly=True) as s:
        assert s.count("articles") == partial  # whole records only
        assert [r.status for r in s.runs()] == ["interrupted"]
    subprocess.run(_cmd(str(killed), data), check=True, capture_output=True)
    assert _snapshot(f"sqlite:///{killed}") == _snapshot(f"sqlite:///{clean}")


def test_a_reader_does_not_wait_for_a_writer_holding_the_lock(db_url: str) -> None:
    """Opening and reading take no lock: before, Store() itself took the write lock and waited
    out any running ingest (up to the busy timeout)."""
    Store(db_url).close()
    with Store(db_url) as writer, writer.transaction() as tx:
        tx.conn.execute(text("SELECT 1"))  # the write lock is held from here to the end
        t0 = time.monotonic()
        with Store(db_url, readonly=True) as reader:
            assert reader.count("articles") == 0
            assert reader.events() == []
            assert reader.runs() == []
        assert time.monotonic() - t0 < READ_LIMIT_S
