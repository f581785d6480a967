"""The watcher end to end against a local server that changes its feeds between polls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from warlog.store import Store
from warlog.store import feeds as feedstore
from warlog.watch import service
from warlog.watch.status import feeds_json
from watch.feedserver import FakeClock, FeedServer, Route, Story, publish, rss

S1 = Story("s1", "Saraqeb", 12, "2016-03-01")
S2 = Story("s2", "Khan Sheikhoun", 7, "2016-03-02", weekday="Wednesday")
S3 = Story("s3", "Jisr al-Shughur", 9, "2016-03-03", weekday="Thursday")


def _pages(server: FeedServer) -> int:
    return sum(1 for h in server.hits if h.path.startswith("/news/"))


def test_watch_new_entries_become_articles_claims_and_events(
    server: FeedServer, clock: FakeClock, make_watcher: Any, db_url: str
) -> None:
    publish(server, "/feed.xml", [S1, S2], etag='"v1"')
    with Store(db_url) as store:
        w = make_watcher(store, [server.url("/feed.xml")])
        report = w.poll_once()
        assert len(report.articles) == 2 and report.claims >= 4
        arts = store.articles()
        assert {a.url for a in arts} == {server.url("/news/s1"), server.url("/news/s2")}
        assert {a.outlet for a in arts} == {"Levant Wire"}
        events = store.events()
        places = sorted(e.place.admin1 for e in events if e.place)
        assert places == ["Idlib", "Idlib"]
        assert sorted(k.best for e in events if (k := e.estimate("killed"))) == [7, 12]
        (feed,) = feeds_json(store)
        assert feed["state"] == "ok" and feed["articles_found"] == 2 and feed["last_status"] == 200
        assert feed["title"] == "Levant Wire"

        # The server publishes a third story: only its page is fetched.
        clock.advance(61)
        publish(server, "/feed.xml", [S1, S2, S3], etag='"v2"')
        report = w.poll_once()
        assert len(report.articles) == 1
        assert server.count("/news/s1") == 1 and server.count("/news/s2") == 1
        assert server.count("/news/s3") == 1
        assert store.count("articles") == 3


def test_watch_304_costs_no_parsing(
    server: FeedServer, clock: FakeClock, make_watcher: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server, "/feed.xml", [S1], etag='"v1"')
    parsed: list[str] = []
    real = service.parse_feed

    def counting(body: bytes, source: str) -> Any:
        parsed.append(source)
        return real(body, source)

    monkeypatch.setattr(service, "parse_feed", counting)
    with Store("sqlite://") as store:
        w = make_watcher(store, [server.url("/feed.xml")])
        w.poll_once()
        assert len(parsed) == 1
        clock.advance(61)
        report = w.poll_once()
        assert report.feeds[0].status == 304 and report.feeds[0].outcome == "not modified"
        assert len(parsed) == 1  # nothing parsed, nothing fetched but the feed
        assert server.requests("/feed.xml")[1].headers["If-None-Match"] == '"v1"'
        assert _pages(server) == 1


def test_watch_retry_after_is_obeyed(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    server.set("/feed.xml", Route(b"", status=503, headers={"Retry-After": "600"}))
    with Store("sqlite://") as store:
        w = make_watcher(store, [server.url("/feed.xml")])
        w.poll_once()
        row = feedstore.feed(store, server.url("/feed.xml"))
        assert row is not None and row.next_poll == pytest.approx(clock() + 600)
        clock.advance(300)  # past the interval, before the server's time
        assert w.poll_once().feeds == []
        assert server.count("/feed.xml") == 1
        clock.advance(301)
        publish(server, "/feed.xml", [S1])
        assert len(w.poll_once().articles) == 1
        assert server.count("/feed.xml") == 2


def test_watch_500_backs_off_exponentially(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    server.set("/feed.xml", Route(b"oops", status=500))
    url = server.url("/feed.xml")
    with Store("sqlite://") as store:
        w = make_watcher(store, [url], interval=60.0)
        waits = []
        for _ in range(4):
            w.poll_once()
            row = feedstore.feed(store, url)
            assert row is not None
            waits.append(row.next_poll - clock())
            clock.advance(waits[-1] - 1)
            assert w.poll_once().feeds == []  # not before its time
            clock.advance(1)
        assert waits == pytest.approx([60, 120, 240, 480])  # rng fixed at 1: the upper bound
        assert server.count("/feed.xml") == 4
        assert feeds_json(store)[0]["state"] == "backing off"
        # A good answer resets the failures.
        publish(server, "/feed.xml", [S1])
        w.poll_once()
        row = feedstore.feed(store, url)
        assert (
            row is not None and row.failures == 0 and row.next_poll == pytest.approx(clock() + 60)
        )


def test_watch_backoff_is_capped_at_a_day(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    server.set("/feed.xml", Route(b"", status=502))
    url = server.url("/feed.xml")
    with Store("sqlite://") as store:
        w = make_watcher(store, [url], interval=3600.0)
        for _ in range(8):
            w.poll_once()
            row = feedstore.feed(store, url)
            assert row is not None
            clock.now = row.next_poll
        assert row.next_poll - row.last_poll == pytest.approx(86400)  # type: ignore[operator]


@pytest.mark.parametrize("status", [410, 404])
def test_watch_gone_feed_goes_dead(
    server: FeedServer, clock: FakeClock, make_watcher: Any, status: int
) -> None:
    server.set("/feed.xml", Route(b"", status=status))
    url = server.url("/feed.xml")
    with Store("sqlite://") as store:
        w = make_watcher(store, [url], dead_after=3)
        for _ in range(3):
            w.poll_once()
            clock.advance(100_000)
        (feed,) = feeds_json(store)
        assert feed["state"] == "dead" and feed["next_poll"] is None
        assert "dead" in feed["last_outcome"]
        clock.advance(10**7)
        assert w.poll_once().feeds == []
        assert server.count("/feed.xml") == 3


def test_watch_slow_feed_times_out_and_backs_off(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    server.set("/feed.xml", Route(rss(server, [S1]), delay=1.5))
    with Store("sqlite://") as store:
        w = make_watcher(store, [server.url("/feed.xml")], timeout=0.3)
        (rep,) = w.poll_once().feeds
        assert rep.outcome.startswith("error: timed out")
        row = feedstore.feed(store, server.url("/feed.xml"))
        assert row is not None and row.failures == 1


def test_watch_follows_a_moved_feed_within_the_limit(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    publish(server, "/new.xml", [S1])
    server.set("/old.xml", Route(b"", status=301, headers={"Location": "/mid.xml"}))
    server.set("/mid.xml", Route(b"", status=302, headers={"Location": "/new.xml"}))
    server.set("/loop.xml", Route(b"", status=302, headers={"Location": "/loop.xml"}))
    with Store("sqlite://") as store:
        w = make_watcher(store, [server.url("/old.xml"), server.url("/loop.xml")])
        reps = {r.url: r for r in w.poll_once().feeds}
        assert len(reps[server.url("/old.xml")].articles) == 1
        assert "redirects" in reps[server.url("/loop.xml")].outcome
        assert server.count("/loop.xml") == 6  # the first request and 5 redirects


def test_watch_refuses_a_huge_feed_and_a_huge_page(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    server.set("/huge.xml", Route(stream=3_000_000, content_type="application/rss+xml"))
    publish(server, "/feed.xml", [S1])
    server.set("/news/s1", Route(b"<html>" + b"<p>word</p>" * 200_000))  # 2.2 MB
    with Store("sqlite://") as store:
        w = make_watcher(
            store, [server.url("/huge.xml"), server.url("/feed.xml")], max_bytes=1_000_000
        )
        reps = {r.url: r for r in w.poll_once().feeds}
        assert "over the limit" in reps[server.url("/huge.xml")].outcome
        rep = reps[server.url("/feed.xml")]
        # The page was refused: the entry's own text was read instead.
        assert rep.pages_fetched == 0 and rep.fallbacks == 1 and len(rep.articles) == 1
        (art,) = store.articles()
        assert art.source.startswith(server.url("/feed.xml") + "#")


@pytest.mark.parametrize("why", ["missing page", "robots.txt", "no text"])
def test_watch_falls_back_to_the_entry(
    server: FeedServer, clock: FakeClock, make_watcher: Any, why: str
) -> None:
    publish(server, "/feed.xml", [S1])
    if why == "missing page":
        del server.routes["/news/s1"]
    elif why == "robots.txt":
        server.set(
            "/robots.txt", Route(b"User-agent: *\nDisallow: /news/\n", content_type="text/plain")
        )
    else:
        server.set("/news/s1", Route(b"<html><body><nav>Home</nav></body></html>"))
    with Store("sqlite://") as store:
        w = make_watcher(store, [server.url("/feed.xml")])
        (rep,) = w.poll_once().feeds
        assert rep.fallbacks == 1 and len(rep.articles) == 1
        (art,) = store.articles()
        assert "killed at least 12 civilians" in art.text
        (c, *_) = store.claims()
        assert c.low == 12
    if why == "robots.txt":
        assert server.count("/news/s1") == 0


def test_watch_restart_resumes_from_stored_state(
    server: FeedServer, clock: FakeClock, make_watcher: Any, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    url = server.url("/feed.xml")
    publish(server, "/feed.xml", [S1, S2], etag='"v1"')
    with Store(db) as store:
        make_watcher(store, [url]).poll_once()
    # A new process: no feeds named, the store's are watched; not due yet.
    with Store(db) as store:
        w = make_watcher(store)
        assert w.poll_once().feeds == []
        clock.advance(61)
        publish(server, "/feed.xml", [S1, S2, S3], etag='"v2"')
        report = w.poll_once()
        assert server.requests("/feed.xml")[1].headers["If-None-Match"] == '"v1"'
        assert len(report.articles) == 1 and server.count("/news/s1") == 1
        assert store.count("articles") == 3


def test_watch_stop_finishes_the_article_in_hand(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    publish(server, "/feed.xml", [S1, S2, S3], etag='"v1"')
    url = server.url("/feed.xml")
    with Store("sqlite://") as store:
        w = make_watcher(store, [url])
        real = w._entry

        def entry_then_stop(*args: Any) -> None:
            real(*args)
            w.stop()  # as a SIGTERM arriving while the first article is read

        w._entry = entry_then_stop  # type: ignore[method-assign]
        (rep,) = w.poll_once().feeds
        assert len(rep.articles) == 1 and "stopped" in rep.outcome
        row = feedstore.feed(store, url)
        assert row is not None and row.etag is None  # the feed is read whole next time
        assert row.next_poll <= clock()
        w2 = make_watcher(store, [url])
        assert len(w2.poll_once().articles) == 2
        assert store.count("articles") == 3 and server.count("/news/s1") == 1


def test_watch_two_watchers_never_poll_one_feed_at_once(
    server: FeedServer, clock: FakeClock, make_watcher: Any, db_url: str
) -> None:
    publish(server, "/feed.xml", [S1])
    url = server.url("/feed.xml")
    with Store(db_url) as a_store, Store(db_url) as b_store:
        a = make_watcher(a_store, [url], owner="a")
        b = make_watcher(b_store, [url], owner="b")
        (held,) = feedstore.claim_due(a_store, "a", clock(), 30.0)  # a is polling it
        assert held.url == url
        assert b.poll_once().feeds == []  # b finds it taken
        assert server.count("/feed.xml") == 0
        clock.advance(31)  # a died: its lease runs out
        assert len(b.poll_once().articles) == 1
        assert a.poll_once().feeds == []  # not due again yet
        assert server.count("/feed.xml") == 1


def test_watch_two_concurrent_watchers_fetch_each_feed_once(
    server: FeedServer, clock: FakeClock, make_watcher: Any, db_url: str
) -> None:
    import threading

    urls = []
    for i in range(6):  # slow failing feeds: the two watchers overlap, no NLP involved
        server.set(f"/f{i}.xml", Route(b"", status=500, delay=0.1))
        urls.append(server.url(f"/f{i}.xml"))
    with Store(db_url) as a_store, Store(db_url) as b_store:
        a = make_watcher(a_store, urls, owner="a")
        b = make_watcher(b_store, urls, owner="b")
        done: dict[str, list[str]] = {}

        def poll(name: str, w: Any) -> None:
            done[name] = [f.url for f in w.poll_once().feeds]

        threads = [threading.Thread(target=poll, args=(n, w)) for n, w in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert sorted(done["a"] + done["b"]) == sorted(urls)  # every feed polled, by one of them
    for i in range(6):
        assert server.count(f"/f{i}.xml") == 1


def test_watch_a_failing_entry_does_not_hold_back_the_others(
    server: FeedServer, clock: FakeClock, make_watcher: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server, "/feed.xml", [S1, S2, S3])
    real = service.ingest_page

    def broken_for_s2(store: Store, page: Any, *args: Any) -> Any:
        if page.url and page.url.endswith("/news/s2"):
            raise RuntimeError("a bug in some stage")
        return real(store, page, *args)

    monkeypatch.setattr(service, "ingest_page", broken_for_s2)
    with Store("sqlite://") as store:
        w = make_watcher(store, [server.url("/feed.xml")])
        (rep,) = w.poll_once().feeds
        assert len(rep.articles) == 2
        outcomes = sorted(e["outcome"] for e in feedstore.entries(store))
        assert outcomes == ["error: RuntimeError", "page", "page"]
        row = feedstore.feed(store, server.url("/feed.xml"))
        assert row is not None and row.failures == 0


def test_watch_page_retry_after_defers_the_feed(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    publish(server, "/feed.xml", [S1, S2], etag='"v1"')
    server.set("/news/s2", Route(b"", status=429, headers={"Retry-After": "120"}))
    url = server.url("/feed.xml")
    with Store("sqlite://") as store:
        w = make_watcher(store, [url])
        (rep,) = w.poll_once().feeds
        assert len(rep.articles) == 1 and "asked to wait 120 s" in rep.outcome
        row = feedstore.feed(store, url)
        assert row is not None and row.etag is None  # read whole next time
        assert row.next_poll == pytest.approx(clock() + 120)
        assert len(feedstore.entries(store)) == 1  # s2 not marked: it is not lost
        clock.advance(121)
        publish(server, "/feed.xml", [S1, S2], etag='"v1"')
        (rep,) = w.poll_once().feeds
        assert len(rep.articles) == 1 and rep.pages_fetched == 1
        assert server.count("/news/s1") == 1 and server.count("/news/s2") == 2


def test_watch_cache_control_max_age_delays_the_next_poll(
    server: FeedServer, clock: FakeClock, make_watcher: Any
) -> None:
    publish(server, "/feed.xml", [S1], headers={"Cache-Control": "max-age=3600"})
    url = server.url("/feed.xml")
    with Store("sqlite://") as store:
        w = make_watcher(store, [url], interval=60.0)
        w.poll_once()
        clock.advance(1800)  # past the interval, within max-age
        assert w.poll_once().feeds == []
        clock.advance(1801)
        assert len(w.poll_once().feeds) == 1
    assert server.count("/feed.xml") == 2
