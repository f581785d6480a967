"""The ``--workers`` path: pages read ahead and prepared by worker processes, articles
analysed by them, the results taken in order so that the writes are those of one process."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from warlog import ingest
from warlog.guard import internal_problem
from warlog.pipeline.prepare import (
    GROUP_ARTICLES,
    _analyse_guarded,
    _analyse_guarded_many,
    _groups,
    _LazyExtractor,
    _prepare,
    _prepare_many,
    _Prepared,
    _timed,
)
from warlog.pool import AHEAD_BYTES, AHEAD_PER_WORKER, POOL_MIN_PAGES, Ahead, Pending, Pool, ordered
from warlog.records import Article, ArticleClaims, Problem, RawPage
from warlog.settings import IngestOptions
from warlog.store import Store


@dataclass(slots=True, eq=False)
class _Group:
    """Pages sent to one worker together; their results wait here for each page's turn."""

    pages: list[RawPage]
    pending: Pending[list[_Prepared | Problem]] | None = None
    results: list[_Prepared | Problem] | None = None


@dataclass(slots=True, eq=False)
class _Speculative:
    """A page read ahead of its turn (``--workers``): prepared by a worker, or here."""

    page: RawPage
    group: _Group | None = None
    slot: int = 0  # its place in the group


@dataclass(frozen=True, slots=True)
class _Retried:
    """A record that failed before, which ``--retry-failed`` reads again (read ahead)."""

    sha256: str


def _page_of(item: RawPage | _Speculative) -> RawPage:
    return item.page if isinstance(item, _Speculative) else item


# The models of one worker process, loaded by its initializer.
_WORKER_MODELS: _LazyExtractor | None = None


def _init_worker(extract: bool, focus: str | None) -> None:
    global _WORKER_MODELS
    if extract:
        _WORKER_MODELS = _LazyExtractor(None, focus)
        _WORKER_MODELS.get()
        _WORKER_MODELS.resolver()


def _prepare_in_worker(page: RawPage, options: IngestOptions) -> _Prepared | Problem:
    return _prepare(page, _WORKER_MODELS, options)


def _prepare_group_in_worker(
    pages: list[RawPage], options: IngestOptions
) -> list[_Prepared | Problem]:
    return _prepare_many(pages, _WORKER_MODELS, options)


def _group_size(workers: int) -> int:
    """Pages (or articles) per call to a worker: enough to batch the parser, few enough that
    every worker gets several of the first pages."""
    return max(1, min(GROUP_ARTICLES, POOL_MIN_PAGES // workers))


class _ReadAhead:
    """The inputs read ahead of the writer, their new pages prepared by worker processes.

    Reading stays in this process (it is cheap and decides the order); a page's cleaning,
    extraction and resolution go to a worker as soon as it is read. Whether a page is
    already stored is looked at while reading ahead (to skip work) and decided again
    when its turn comes, so the writes are those of a run without workers.
    """

    def __init__(
        self,
        store: Store,
        paths: list[str],
        options: IngestOptions,
        extract: bool,
        workers: int,
        asked: bool,
    ) -> None:
        self.options = options
        self.pool = Pool(workers, _init_worker, (extract, options.focus_country))
        self.group = _group_size(workers)
        # As many pages in flight as one call per page would keep, in groups.
        in_flight = workers * AHEAD_PER_WORKER
        self.flight: Ahead[list[_Prepared | Problem]] = Ahead(
            self.pool, max(workers, in_flight // self.group)
        )
        self.cap = 4 * max(in_flight, POOL_MIN_PAGES)
        # Without an explicit --workers, small runs stay in this process.
        self.go = asked
        self.unsent: list[_Speculative] = []
        self.queue: deque[tuple[str, Any]] = deque()
        self.in_input = False
        self.bytes = 0  # of the pages read ahead and not yet taken

        self.retried: list[str] = []  # failed records the reader is about to read again

        def peek(sha: str) -> bool:  # a look only: _Seen records what it skips, in turn
            if store.has_page(sha):
                return True
            if options.retry_failed:
                if store.failed_record(sha) is not None:
                    self.retried.append(sha)
                return False
            return store.failed_record(sha) is not None

        self.steps = self._steps(paths, peek)

    def _steps(self, paths: list[str], peek: Callable[[str], bool]) -> Iterator[tuple[str, Any]]:
        for inp in ingest.expand(paths):
            if isinstance(inp, Problem):
                yield "skip", inp
                continue
            yield "begin", inp
            try:
                for item in _timed(
                    ingest.read(inp, self.options, known=peek), self.options.page_seconds
                ):
                    yield from self._retried()
                    yield "item", _Speculative(item) if isinstance(item, RawPage) else item
            except Exception as exc:  # raised again in its turn, where run reports it
                yield from self._retried()
                yield "raise", exc
                continue
            yield from self._retried()
            yield "end", None

    def _retried(self) -> Iterator[tuple[str, Any]]:
        # In turn, as without workers: _Seen forgets them once they are read again.
        for sha in self.retried:
            yield "item", _Retried(sha)
        self.retried.clear()

    def _fill(self) -> None:
        while not self.flight.full and len(self.queue) < self.cap and self.bytes < AHEAD_BYTES:
            step = next(self.steps, None)
            if step is None:
                break
            self.queue.append(step)
            if step[0] == "item" and isinstance(step[1], _Speculative):
                self.bytes += len(step[1].page.body)
                self.unsent.append(step[1])
                self.go = self.go or len(self.unsent) >= POOL_MIN_PAGES
            if self.go:
                self._send(whole_groups=True)
        if self.go:
            self._send(whole_groups=False)  # the end of the input, or the cap: no more to wait for

    def _send(self, whole_groups: bool) -> None:
        """The oldest pages not yet sent, in groups, while the flight has room: a group's
        result is taken when its first page's turn comes, so the order is kept."""
        while (
            self.unsent
            and not self.flight.full
            and (len(self.unsent) >= self.group or not whole_groups)
        ):
            members, self.unsent = self.unsent[: self.group], self.unsent[self.group :]
            group = _Group([sp.page for sp in members])
            group.pending = self.flight.send(_prepare_group_in_worker, group.pages, self.options)
            for slot, sp in enumerate(members):
                sp.group, sp.slot = group, slot

    def _next(self) -> tuple[str, Any] | None:
        if not self.queue:
            self._fill()
        step = self.queue.popleft() if self.queue else None
        self._fill()
        return step

    def inputs(self) -> Iterator[Problem | ingest.Input]:
        while (step := self._next()) is not None:
            if step[0] == "skip":
                yield step[1]
            elif step[0] == "begin":
                self.in_input = True
                yield step[1]

    def input_items(self) -> Iterator[Any]:
        while self.in_input and (step := self._next()) is not None:
            if step[0] in ("end", "raise"):
                self.in_input = False
                if step[0] == "raise":
                    raise step[1]
                return
            yield step[1]

    def skip_input(self) -> None:
        for item in self.input_items():
            if isinstance(item, _Speculative):
                self.discard(item)

    def prepared(self, item: _Speculative, lazy: _LazyExtractor | None) -> _Prepared | Problem:
        self.bytes -= len(item.page.body)
        if item.group is None:
            if item in self.unsent:
                self.unsent.remove(item)
            return _prepare(item.page, lazy, self.options)
        return self._results(item.group)[item.slot]

    def _results(self, group: _Group) -> list[_Prepared | Problem]:
        if group.results is None:
            assert group.pending is not None
            group.results = self.flight.result(group.pending, lambda _exc: self._alone(group))
        return group.results

    def _alone(self, group: _Group) -> list[_Prepared | Problem]:
        """A group that killed its worker twice: each page again in a worker of its own, so
        only the page that kills its worker is lost, and named."""
        return [
            self.pool.alone_or(partial(_crashed_page, page), _prepare_in_worker, page, self.options)
            for page in group.pages
        ]

    def discard(self, item: _Speculative) -> None:
        self.bytes -= len(item.page.body)
        if item.group is not None:
            self._results(item.group)  # taken in its turn, to keep the order
        elif item in self.unsent:
            self.unsent.remove(item)

    def close(self) -> None:
        self.pool.close()


def _crashed_page(page: RawPage, exc: BaseException) -> Problem:
    return internal_problem(page.source, exc, "extracting", page.body)


def _crashed_article(art: Article, exc: BaseException) -> tuple[None, list[Problem]]:
    return None, [internal_problem(art.source, exc, "extracting")]


def _analyse_in_worker(
    options: IngestOptions, art: Article
) -> tuple[ArticleClaims | None, list[Problem]]:
    return _analyse_guarded(art, _WORKER_MODELS, options)


def _analyse_group_in_worker(
    options: IngestOptions, arts: list[Article]
) -> list[tuple[ArticleClaims | None, list[Problem]]]:
    return _analyse_guarded_many(arts, _WORKER_MODELS, options)


def _extract_parallel(
    articles: Iterable[Article],
    options: IngestOptions,
    report: Callable[[Problem], None],
    workers: int,
    asked: bool,
) -> Iterator[ArticleClaims]:
    it = iter(articles)
    first = [a for _, a in zip(range(POOL_MIN_PAGES), it, strict=False)]
    if not asked and len(first) < POOL_MIN_PAGES:  # a few articles: not worth the workers
        from warlog.pipeline import extract_articles  # the caller's own module

        yield from extract_articles(first, replace(options, workers=1), report)
        return
    pool = Pool(workers, _init_worker, (True, options.focus_country))
    size = _group_size(workers)

    def alone(art: Article) -> tuple[ArticleClaims | None, list[Problem]]:
        return pool.alone_or(partial(_crashed_article, art), _analyse_in_worker, options, art)

    try:
        work = partial(_analyse_group_in_worker, options)
        groups = _groups(_chain(first, it), size)
        for group, found in ordered(pool, work, groups, lambda _g, _exc: None):
            # A group whose worker died is run again one article at a time, each in a fresh
            # worker, so only the article that kills its worker is lost and named.
            for result, problems in found if found is not None else map(alone, group):
                for p in problems:
                    report(p)
                if result is not None:
                    yield result
    except BaseException:  # Ctrl-C, a closed pipe: the workers' work is not waited for
        pool.abort()
        raise
    pool.close()


def _chain(first: list[Article], rest: Iterator[Article]) -> Iterator[Article]:
    yield from first
    yield from rest
