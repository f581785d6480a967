"""A real ``warlog watch`` process stopped by signals: SIGTERM stops cleanly, SIGKILL loses
and duplicates nothing (compared with an uninterrupted run)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warlog.store import Store
from watch.feedserver import TOWNS, FeedServer, Route, Story, publish

N = 12
# The entry point itself, as the installed ``warlog`` script calls it.
CMD = [sys.executable, "-c", "from warlog.cli import main; main()", "watch"]


def _stories() -> list[Story]:
    return [
        Story(f"k{i:02d}", TOWNS[i % len(TOWNS)], 3 + i, f"2016-03-{1 + i:02d}", weekday="Monday")
        for i in range(N)
    ]


def _serve(server: FeedServer, tmp_path: Path) -> Path:
    publish(server, "/feed.xml", _stories(), etag='"v1"')
    for s in _stories():  # slower pages: the kill lands mid-poll
        route = server.routes["/news/" + s.slug]
        server.set("/news/" + s.slug, Route(route.body, delay=0.05))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(server.url("/feed.xml") + "\n", "utf-8")
    return feeds


def _count(db: Path, table: str) -> int:
    """Without taking any lock (WAL readers never block the writer)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def _wait_for(db: Path, n: int, proc: subprocess.Popen[bytes], limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if _count(db, "articles") >= n:
            return
    pytest.fail(f"the watcher did not store {n} articles in time")


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        q = {
            "pages": "SELECT sha256, url, format FROM pages ORDER BY sha256",
            "articles": "SELECT id, title, text, published, outlet, url, duplicate_of FROM articles ORDER BY id",
            "claims": "SELECT id, data FROM claims ORDER BY id",
            "events": "SELECT id, data FROM events ORDER BY id",
            "entries": "SELECT key, outcome, article_ids FROM watch_entries ORDER BY key",
            "feeds": "SELECT url, etag, articles_found, failures, dead, lease_owner FROM watch_feeds",
        }
        return {k: conn.execute(v).fetchall() for k, v in q.items()}


def _run_once(feeds: Path, db: Path) -> None:
    subprocess.run(
        [*CMD, str(feeds), "--db", str(db), "--once", "--min-delay", "0.01"],
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
def test_kill_watch_sigkill_mid_poll_loses_and_duplicates_nothing(
    server: FeedServer, tmp_path: Path
) -> None:
    feeds = _serve(server, tmp_path)
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    _run_once(feeds, clean)
    hits_clean = len(server.hits)

    proc = subprocess.Popen(
        [*CMD, str(feeds), "--db", str(killed), "--interval", "1s", "--lease", "1s", "--min-delay", "0.01"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for(killed, 4, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(killed, "articles")
    assert 0 < partial < N, "the kill must land mid-poll for this test to mean anything"
    # Consistent after the kill: every stored article's entry is marked handled, and back.
    with Store(f"sqlite:///{killed}") as s:
        marked = {a for e in _snapshot(killed)["entries"] for a in json.loads(e[2])}
        assert marked == {a.id for a in s.articles()}
    stored = {u for (_, _, _, _, _, u, _) in _snapshot(killed)["articles"]}
    time.sleep(1.1)  # the dead watcher's lease runs out
    restart = len(server.hits)
    _run_once(feeds, killed)
    assert _snapshot(killed) == _snapshot(clean)
    # The restarted watcher fetched only the pages not stored (the one in hand included).
    pages = [server.url(h.path) for h in server.hits[restart:] if h.path.startswith("/news/")]
    assert len(pages) == len(set(pages)) == N - partial
    assert not stored & set(pages)
    assert hits_clean > N


@pytest.mark.slow
def test_kill_watch_sigterm_finishes_the_article_and_stops(
    server: FeedServer, tmp_path: Path
) -> None:
    feeds = _serve(server, tmp_path)
    db = tmp_path / "w.db"
    proc = subprocess.Popen(
        [*CMD, str(feeds), "--db", str(db), "--interval", "1s", "--min-delay", "0.01"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _wait_for(db, 2, proc)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert b"SIGTERM: finishing the article in hand, then stopping." in err
    assert b"stopped before the end" in err  # the log says where it stopped
    snap = _snapshot(db)
    assert snap["feeds"][0][5] is None  # the lease is released
    assert snap["feeds"][0][1] is None  # and the feed will be read whole again
    stored = len(snap["articles"])
    assert 2 <= stored < N
    _run_once(feeds, db)
    assert len(_snapshot(db)["articles"]) == N
