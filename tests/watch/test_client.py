"""The polite client against a local server: validators, limits, redirects, robots.txt."""

from __future__ import annotations

import time

import pytest

from warlog.watch.client import ClientOptions, FetchError, PoliteClient, retry_after, user_agent
from watch.feedserver import FakeClock, FeedServer, Route


def _client(clock: FakeClock, **kw: object) -> PoliteClient:
    base = {"timeout": 0.5, "min_delay": 0.0, "max_bytes": 100_000, "contact": "ops@example.org"}
    base.update(kw)
    return PoliteClient(ClientOptions(**base), clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]


@pytest.mark.parametrize("contact", ["ops@example.org"])
def test_client_identifies_itself_with_a_contact(
    server: FeedServer, clock: FakeClock, contact: str
) -> None:
    server.set("/a", Route(b"hello"))
    with _client(clock, contact=contact) as c:
        c.get(server.url("/a"))
    ua = server.requests("/a")[0].headers["User-Agent"]
    assert ua == user_agent(contact)
    assert ua.startswith("warlog/") and contact in ua


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_client_conditional_request_gets_304(
    server: FeedServer, clock: FakeClock, validator: str
) -> None:
    lm = "Tue, 01 Mar 2016 10:00:00 GMT"
    server.set(
        "/f", Route(b"<rss/>", etag='"v1"' if validator == "etag" else None, last_modified=lm)
    )
    with _client(clock) as c:
        first = c.get(server.url("/f"))
        assert first.status == 200
        again = c.get(server.url("/f"), etag=first.etag, last_modified=first.last_modified)
    assert again.status == 304 and again.body == b""
    sent = server.requests("/f")[1].headers
    assert sent.get("If-None-Match") == first.etag
    assert sent.get("If-Modified-Since") == lm


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), ("Thu, 14 Nov 2023 22:15:20 GMT", 100.0), ("soon", None), ("999999", 86400.0)],
)
def test_client_retry_after_parses_seconds_and_dates(header: str, expected: float | None) -> None:
    # 1700000020 is Tue, 14 Nov 2023 22:13:40 GMT: the date is 100 s later.
    assert retry_after(header, 1_700_000_020.0) == expected


def test_client_cache_control_max_age(server: FeedServer, clock: FakeClock) -> None:
    server.set("/f", Route(b"x", headers={"Cache-Control": "public, max-age=3600"}))
    with _client(clock) as c:
        assert c.get(server.url("/f")).max_age() == 3600.0


def test_client_retry_after_keeps_the_host_waiting(server: FeedServer, clock: FakeClock) -> None:
    server.set("/busy", Route(b"", status=429, headers={"Retry-After": "300"}))
    server.set("/other", Route(b"ok"))
    with _client(clock) as c:
        assert c.get(server.url("/busy")).status == 429
        with pytest.raises(FetchError) as exc:
            c.get(server.url("/other"))  # same host: not asked before the time is up
        assert exc.value.kind == "deferred" and exc.value.wait == pytest.approx(300)
        clock.advance(301)
        assert c.get(server.url("/other")).status == 200
    assert server.count("/other") == 1


def test_client_waits_the_minimum_delay_per_host(server: FeedServer, clock: FakeClock) -> None:
    server.set("/a", Route(b"a"))
    with _client(clock, min_delay=5.0) as c:
        for _ in range(3):
            c.get(server.url("/a"))
    # The first request goes at once, each later one waits out the delay.
    assert len(clock.slept) == 2 and all(s == pytest.approx(5.0, abs=0.1) for s in clock.slept)


def test_client_times_out_on_a_slow_server(server: FeedServer, clock: FakeClock) -> None:
    server.set("/slow", Route(b"late", delay=2.0))
    start = time.monotonic()
    with _client(clock, timeout=0.3) as c, pytest.raises(FetchError) as exc:
        c.get(server.url("/slow"))
    assert exc.value.kind == "timeout"
    assert time.monotonic() - start < 1.5


@pytest.mark.parametrize(("hops", "ok"), [(2, True), (5, True), (6, False)])
def test_client_follows_redirects_within_the_limit(
    server: FeedServer, clock: FakeClock, hops: int, ok: bool
) -> None:
    for i in range(hops):
        server.set(
            f"/r{i}", Route(b"", status=301 if i % 2 else 302, headers={"Location": f"/r{i + 1}"})
        )
    server.set(f"/r{hops}", Route(b"arrived"))
    with _client(clock, max_redirects=5) as c:
        if ok:
            resp = c.get(server.url("/r0"))
            assert resp.body == b"arrived" and resp.url == server.url(f"/r{hops}")
        else:
            with pytest.raises(FetchError) as exc:
                c.get(server.url("/r0"))
            assert exc.value.kind == "redirects"
            assert server.count(f"/r{hops}") == 0


def test_client_refuses_a_redirect_out_of_http(server: FeedServer, clock: FakeClock) -> None:
    server.set("/r", Route(b"", status=302, headers={"Location": "file:///etc/passwd"}))
    with _client(clock) as c, pytest.raises(FetchError) as exc:
        c.get(server.url("/r"))
    assert exc.value.kind == "redirects"


@pytest.mark.parametrize("how", ["announced", "streamed"])
def test_client_refuses_a_huge_body(server: FeedServer, clock: FakeClock, how: str) -> None:
    if how == "announced":
        server.set("/big", Route(b"x" * 200_000))
    else:  # no Content-Length: counted while read
        server.set("/big", Route(stream=5_000_000))
    with _client(clock, max_bytes=100_000) as c, pytest.raises(FetchError) as exc:
        c.get(server.url("/big"))
    assert exc.value.kind == "too_large"


ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 7\n"


def test_client_honours_robots_txt(server: FeedServer, clock: FakeClock) -> None:
    server.set("/robots.txt", Route(ROBOTS, content_type="text/plain"))
    with _client(clock) as c:
        assert c.allowed(server.url("/news/1"))
        assert not c.allowed(server.url("/private/1"))
        c.get(server.url("/robots.txt"))
        c.get(server.url("/robots.txt"))
    assert server.count("/robots.txt") == 3  # read once for the two checks
    assert clock.slept and clock.slept[-1] == pytest.approx(7.0, abs=0.1)  # its Crawl-delay


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (500, False)])
def test_client_robots_txt_missing_or_failing(
    server: FeedServer, clock: FakeClock, status: int, allowed: bool
) -> None:
    server.set("/robots.txt", Route(b"", status=status))
    with _client(clock) as c:
        assert c.allowed(server.url("/news/1")) is allowed


def test_client_robots_txt_retry_after_defers_the_page(
    server: FeedServer, clock: FakeClock
) -> None:
    server.set("/robots.txt", Route(b"", status=429, headers={"Retry-After": "60"}))
    with _client(clock) as c:
        with pytest.raises(FetchError) as exc:
            c.allowed(server.url("/news/1"))
        assert exc.value.kind == "deferred" and exc.value.wait == pytest.approx(60)
        server.set("/robots.txt", Route(ROBOTS, content_type="text/plain"))
        clock.advance(61)  # asked again once the time is up, not an hour later
        assert c.allowed(server.url("/news/1"))
