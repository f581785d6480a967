"""Fixtures for the watcher: a local feed server, a fake clock, one set of NLP models."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from warlog.settings import IngestOptions
from warlog.store import Store
from warlog.watch.client import ClientOptions, PoliteClient
from warlog.watch.service import Watcher, WatchOptions
from warlog.watch.state import Schedule
from watch.feedserver import FakeClock, FeedServer, serving


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serving() as s:
        yield s


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def extractor() -> Any:
    from warlog.extract import Extractor

    return Extractor()


def options(**kw: Any) -> WatchOptions:
    """Test options: a 60 s interval, 0.5 s timeouts, no delay between requests to one host
    unless asked (the fake clock would make it free anyway), no jitter surprises."""
    client = ClientOptions(
        timeout=kw.pop("timeout", 0.5),
        min_delay=kw.pop("min_delay", 0.0),
        max_bytes=kw.pop("max_bytes", 1_000_000),
        max_redirects=kw.pop("max_redirects", 5),
        contact=kw.pop("contact", "ops@example.org"),
    )
    schedule = Schedule(interval=kw.pop("interval", 60.0), dead_after=kw.pop("dead_after", 3))
    base = WatchOptions(
        schedule=schedule, client=client, ingest=IngestOptions(focus_country="SY"), lease=30.0
    )
    return replace(base, **kw)


@pytest.fixture
def make_watcher(clock: FakeClock, extractor: Any) -> Any:
    """make_watcher(store, urls, **options) -> a Watcher on the fake clock (rng fixed at 1:
    the backoff is its upper bound)."""
    made: list[Watcher] = []

    def make(store: Store, urls: list[str] | None = None, **kw: Any) -> Watcher:
        alerter = kw.pop("alerter", None)
        owner = kw.pop("owner", None)
        opts = options(**kw)
        w = Watcher(
            store,
            opts,
            feeds=urls,
            alerter=alerter,
            extractor=extractor,
            client=PoliteClient(opts.client, clock=clock, sleep=clock.sleep),
            clock=clock,
            sleep=clock.sleep,
            rng=lambda: 1.0,
            owner=owner,
        )
        made.append(w)
        return w

    yield make
    for w in made:
        w.client.close()
