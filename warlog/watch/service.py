"""The watcher: poll due feeds, fetch each new entry's page, run the pipeline, alert.

One poll of a feed: a conditional GET (ETag / Last-Modified; a 304 ends it without
parsing anything); the entries not handled before (by id, else link) are taken oldest
first; each one's page is fetched (robots.txt permitting) and read as HTML, falling back
to the entry's own content when the page cannot be had; the page goes through the whole
pipeline in one transaction that also records the entry as handled, so a kill at any
moment loses nothing and a restart repeats nothing. The feed's validators are stored only
once every new entry of that answer is in: a poll cut short (stop, kill, Retry-After on a
page) is simply done again, and the handled entries are skipped.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from warlog.errors import E, InputError, WarlogError
from warlog.ingest.feed import FeedEntry, parse_feed
from warlog.ingest.html import read_html
from warlog.pipeline import Models, ingest_page
from warlog.records import Article, RawPage
from warlog.settings import IngestOptions
from warlog.store import Store, Writer
from warlog.store import feeds as feedstore
from warlog.watch import state
from warlog.watch.client import ClientOptions, FetchError, PoliteClient

if TYPE_CHECKING:
    from warlog.extract import Extractor
    from warlog.watch.alerts import Alerter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchOptions:
    schedule: state.Schedule = field(default_factory=state.Schedule)
    client: ClientOptions = field(default_factory=ClientOptions)
    ingest: IngestOptions = field(default_factory=IngestOptions)
    # How long a claimed feed stays reserved for a watcher that died while polling it
    # (renewed before each entry: longer than one entry's fetches and reading).
    lease: float = 300.0
    fetch_pages: bool = True


@dataclass(slots=True)
class FeedReport:
    url: str
    status: int | None = None
    outcome: str = ""
    entries: int = 0
    new_entries: int = 0
    pages_fetched: int = 0
    fallbacks: int = 0  # entries read from the feed's own content
    pages_new: int = 0
    articles: list[str] = field(default_factory=list)
    claims: int = 0
    events: set[str] = field(default_factory=set)


@dataclass(slots=True)
class PollReport:
    feeds: list[FeedReport] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return [a for f in self.feeds for a in f.articles]

    @property
    def claims(self) -> int:
        return sum(f.claims for f in self.feeds)


class _Run:
    """The ingestion run (``warlog runs``) of one round, started by its first page."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.started: int | None = None

    @property
    def id(self) -> int:
        if self.started is None:
            self.started = self.store.start_run("watch")
        return self.started


class _Deferred(Exception):
    def __init__(self, wait: float) -> None:
        self.wait = wait


def check_url(url: str, where: str) -> str:
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
        raise WarlogError(E.E121, url=url, where=where)
    return url


def entry_key(e: FeedEntry) -> str:
    """An entry's identity across polls: its id, else its link, else its content."""
    if e.id:
        raw = "id:" + e.id
    elif e.link:
        raw = "link:" + e.link
    else:
        raw = "body:" + (e.page.sha256 if isinstance(e.page, RawPage) else str(e.title))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


class Watcher:
    def __init__(
        self,
        store: Store,
        options: WatchOptions | None = None,
        *,
        feeds: Sequence[str] | None = None,
        alerter: Alerter | None = None,
        extractor: Extractor | None = None,
        client: PoliteClient | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.options = options or WatchOptions()
        self.clock = clock
        self.rng = rng
        self.client = client or PoliteClient(self.options.client, clock=clock, sleep=sleep)
        self.alerter = alerter
        self.models = Models(extractor, self.options.ingest.focus_country)
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.urls: list[str] | None = None
        self._stop = threading.Event()
        if feeds:
            self.urls = [check_url(u, "--feed") for u in feeds]
            feedstore.add_feeds(store, self.urls, clock())

    def stop(self) -> None:
        """Finish the article in hand, then stop (safe from a signal handler)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # --- the loop -----------------------------------------------------------------
    def run(self, *, once: bool = False) -> PollReport:
        """Poll due feeds until stopped; with ``once``, one round, whose report is returned
        (a long-running service keeps no report of its life in memory: it logs them)."""
        while not self.stopping:
            done = self.poll_once()
            if once:
                return done
            nxt = feedstore.next_due(self.store, self.urls)
            interval = self.options.schedule.interval
            wait = interval if nxt is None else nxt - self.clock()
            # At least a moment (a due feed leased by another watcher must not spin us),
            # at most one interval (feeds added meanwhile by another process are seen).
            self._stop.wait(min(max(wait, min(1.0, interval)), interval))
        return PollReport()

    def poll_once(self) -> PollReport:
        """Poll every due feed one time (``warlog watch --once``)."""
        report = PollReport()
        claimed = feedstore.claim_due(
            self.store, self.owner, self.clock(), self.options.lease, self.urls
        )
        if not claimed:
            return report
        run = _Run(self.store)
        try:
            for row in claimed:
                if self.stopping:
                    feedstore.release(self.store, row.url, self.owner)
                    continue
                try:
                    report.feeds.append(self._poll(row, run, report))
                except Exception as exc:  # a bug on one feed must not stop the service
                    log.exception("polling %s failed", row.url)
                    rep = FeedReport(row.url, outcome=f"error: internal ({type(exc).__name__})")
                    nxt = state.after_failure(
                        self.clock(), self.options.schedule, row.failures, row.gone, self.rng
                    )
                    report.feeds.append(self._finish(row, rep, nxt, self.clock()))
                except BaseException:
                    # Interrupted for good (a second Ctrl-C): the feed is free for a restart.
                    _quietly(feedstore.release, self.store, row.url, self.owner)
                    raise
        finally:
            if run.started is not None:  # polls that found nothing new leave no run behind
                self.store.finish_run(
                    run.started,
                    len(report.feeds),
                    sum(f.pages_new for f in report.feeds),
                    len(report.articles),
                    sum(1 for f in report.feeds if f.outcome.startswith(("error", "HTTP"))),
                )
        return report

    # --- one feed -----------------------------------------------------------------
    def _poll(self, row: feedstore.FeedRow, run: _Run, poll: PollReport) -> FeedReport:
        rep = FeedReport(row.url)
        sched = self.options.schedule
        try:
            resp = self.client.get(row.url, etag=row.etag, last_modified=row.last_modified)
        except FetchError as exc:
            now = self.clock()
            if exc.kind == "deferred" and exc.wait is not None:
                nxt = state.after_retry_after(now, exc.wait, row.failures, row.gone)
                rep.outcome = f"deferred: the host asked to wait {exc.wait:.0f} s"
            else:
                nxt = state.after_failure(now, sched, row.failures, row.gone, self.rng)
                rep.outcome = f"error: {exc.message}"
            return self._finish(row, rep, nxt, now)
        rep.status = resp.status
        now = self.clock()
        if resp.status == 304:
            rep.outcome = "not modified"
            nxt = state.after_success(now, sched, resp.max_age())
            validators = (resp.etag or row.etag, resp.last_modified or row.last_modified)
            return self._finish(row, rep, nxt, now, validators=validators)
        wait = resp.retry_after(now) if resp.status in (429, 503) else None
        if wait:
            nxt = state.after_retry_after(now, wait, row.failures + 1, 0)
            rep.outcome = f"HTTP {resp.status}: retry after {wait:.0f} s"
            return self._finish(row, rep, nxt, now)
        if resp.status != 200:
            nxt = state.after_failure(
                now, sched, row.failures, row.gone, self.rng, status=resp.status
            )
            rep.outcome = f"HTTP {resp.status}" + (": dead, no longer polled" if nxt.dead else "")
            return self._finish(row, rep, nxt, now)
        try:
            title, found = parse_feed(resp.body, row.url)
        except InputError as exc:
            nxt = state.after_failure(now, sched, row.failures, row.gone, self.rng)
            rep.outcome = f"error: not a usable feed ({exc.message})"
            return self._finish(row, rep, nxt, now)
        rep.entries = len(found)
        keys = [entry_key(e) for e in found]
        seen = feedstore.entries_seen(self.store, keys)
        # Feeds list the newest first: take the oldest first, as they were published.
        todo = [(e, k) for e, k in zip(found, keys, strict=True) if k not in seen][::-1]
        rep.new_entries = len(todo)
        complete, deferred = True, None
        for e, k in todo:
            if self.stopping:
                complete = False
                break
            with self.store.transaction() as tx:  # still ours while this entry is read
                feedstore.renew(tx, row.url, self.owner, self.clock() + self.options.lease)
            try:
                self._entry(row.url, e, k, run, rep, poll)
            except _Deferred as d:
                complete, deferred = False, d.wait
                break
            except Exception as exc:  # a bug on one entry must not hold back the others
                log.exception("entry %s of %s failed", e.link or e.n, row.url)
                with self.store.transaction() as tx:
                    self._mark(tx, row.url, e, k, f"error: {type(exc).__name__}"[:24], [])
        now = self.clock()
        rep.outcome = self._describe(rep)
        if complete:
            nxt = state.after_success(now, sched, resp.max_age())
            return self._finish(
                row, rep, nxt, now, validators=(resp.etag, resp.last_modified), title=title
            )
        if deferred is not None:
            rep.outcome += f"; the page host asked to wait {deferred:.0f} s"
            nxt = state.after_retry_after(now, deferred, row.failures, row.gone)
        else:
            rep.outcome += "; stopped before the end"
            nxt = state.Next(next_poll=now, failures=row.failures, gone=row.gone, dead=False)
        # Validators kept as they were: the next poll reads the whole feed again.
        return self._finish(row, rep, nxt, now, title=title)

    def _describe(self, rep: FeedReport) -> str:
        if not rep.new_entries:
            return f"{rep.entries} entries, none new"
        return (
            f"{rep.entries} entries, {rep.new_entries} new: {len(rep.articles)} article(s) "
            f"({rep.pages_fetched} page(s) fetched, {rep.fallbacks} from the feed's text), "
            f"{rep.claims} claim(s), {len(rep.events)} event(s) touched"
        )

    def _finish(
        self,
        row: feedstore.FeedRow,
        rep: FeedReport,
        nxt: state.Next,
        now: float,
        *,
        validators: tuple[str | None, str | None] | None = None,
        title: str | None = None,
    ) -> FeedReport:
        """Store the poll's outcome; ``validators`` (ETag, Last-Modified) only when given."""
        values: dict[str, Any] = {
            "next_poll": nxt.next_poll,
            "failures": nxt.failures,
            "gone": nxt.gone,
            "dead": int(nxt.dead),
            "last_poll": now,
            "last_status": rep.status,
            "last_outcome": rep.outcome,
        }
        if validators is not None:
            values["etag"], values["last_modified"] = validators
        if title:
            values["title"] = title
        feedstore.finish_poll(self.store, row.url, self.owner, **values)
        level = logging.WARNING if nxt.dead else logging.INFO
        log.log(level, "%s: %s", row.url, rep.outcome)
        return rep

    # --- one entry ----------------------------------------------------------------
    def _entry(
        self, feed_url: str, e: FeedEntry, key: str, run: _Run, rep: FeedReport, poll: PollReport
    ) -> None:
        entry = e.page if isinstance(e.page, RawPage) else None
        page = self._page(e)
        if page is not None:
            rep.pages_fetched += 1
            if self._ingest(feed_url, e, key, page, "page", run, rep, poll):
                return
            log.info("page %s gave no article; reading the feed entry instead", page.url)
        if entry is not None:
            rep.fallbacks += 1
            if self._ingest(feed_url, e, key, entry, "entry", run, rep, poll):
                return
        log.info("%s: entry %s has no usable page nor text of its own", feed_url, e.link or e.n)
        with self.store.transaction() as tx:
            self._mark(tx, feed_url, e, key, "empty", [])

    def _mark(
        self, tx: Writer, feed_url: str, e: FeedEntry, key: str, outcome: str, arts: list[Article]
    ) -> None:
        now = self.clock()
        feedstore.mark_entry(tx, key, feed_url, e.link, outcome, [a.id for a in arts], now)
        if arts:
            feedstore.add_found(tx, feed_url, len(arts))
        feedstore.renew(tx, feed_url, self.owner, now + self.options.lease)

    def _ingest(
        self,
        feed_url: str,
        e: FeedEntry,
        key: str,
        page: RawPage,
        how: str,
        run: _Run,
        rep: FeedReport,
        poll: PollReport,
    ) -> bool:
        """Run ``page`` through the pipeline; the entry is marked handled in the same
        transaction, unless the page could not be stored (no article in it): False then."""

        def within(tx: Writer, arts: list[Article]) -> None:
            if tx.has_page(page.sha256):  # new, or stored before (from another feed)
                self._mark(tx, feed_url, e, key, how if arts else "known", arts)

        result = ingest_page(self.store, page, self.options.ingest, self.models, run.id, within)
        for p in result.problems:
            log.warning("%s", p)
        if result.failed and not result.pages_new:
            return False
        rep.articles += result.articles_new
        rep.pages_new += result.pages_new
        rep.claims += result.claims_new
        if result.articles_new:
            touched = self.store.event_ids_of_articles(result.articles_new)
            rep.events.update(touched)
            log.info(
                "%s: %s -> %d article(s), %d claim(s)",
                feed_url,
                page.url or page.source,
                len(result.articles_new),
                result.claims_new,
            )
            if self.alerter is not None:
                poll.alerts += self.alerter.check(touched)
        return True

    def _page(self, e: FeedEntry) -> RawPage | None:
        """The entry's page read as HTML, or None (robots.txt, an error, no text): the caller
        falls back to the entry's own content. Raises _Deferred on Retry-After."""
        link = e.link
        if not self.options.fetch_pages or not link:
            return None
        if not link.lower().startswith(("http://", "https://")):
            return None
        try:
            if not self.client.allowed(link):
                log.info("robots.txt disallows %s: reading the feed entry instead", link)
                return None
            resp = self.client.get(link)
        except FetchError as exc:
            if exc.kind == "deferred" and exc.wait is not None:
                raise _Deferred(exc.wait) from exc
            log.info("page %s: %s; reading the feed entry instead", link, exc.message)
            return None
        if resp.status in (429, 503):
            wait = resp.retry_after(self.clock())
            if wait:
                raise _Deferred(wait)
        if resp.status != 200:
            log.info("page %s: HTTP %s; reading the feed entry instead", link, resp.status)
            return None
        try:
            page = read_html(
                resp.body,
                resp.url,
                url=resp.url,
                fetched_at=datetime.fromtimestamp(self.clock(), UTC),
                declared=_charset(resp.headers.get("content-type")),
            )
        except InputError as exc:
            log.info("page %s: %s; reading the feed entry instead", link, exc.message)
            return None
        entry = e.page if isinstance(e.page, RawPage) else None
        if entry is not None:
            # What the page does not say, the feed entry does.
            if page.published is None and entry.published is not None:
                page = replace(page, published=entry.published, published_how=entry.published_how)
            if page.outlet is None and entry.outlet is not None:
                page = replace(page, outlet=entry.outlet, outlet_how=entry.outlet_how)
            if page.title is None and entry.title is not None:
                page = replace(page, title=entry.title)
        return page


def _quietly(f: Callable[..., None], *args: Any) -> None:
    try:
        f(*args)
    except Exception:  # already failing: the original error is the one to show
        log.debug("ignored while stopping", exc_info=True)


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v:
            return v.strip('"').strip()
    return None
