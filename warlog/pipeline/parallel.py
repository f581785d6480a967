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
    _analyse_guarded,
    _LazyExtractor,
    _prepare,
    _Prepared,
    _timed,
)
from warlog.pool import AHEAD_BYTES, AHEAD_PER_WORKER, POOL_MIN_PAGES, Ahead, Pending, Pool, ordered
from warlog.records import Article, ArticleClaims, Problem, RawPage
from warlog.settings import IngestOptions
from warlog.store import Store


@dataclass(slots=True, eq=False)
class _Speculative:
    """A page read ahead of its turn (``--workers``): prepared by a worker, or here."""

    page: RawPage
    pending: Pending[_Prepared | Problem] | None = None


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
        self.flight: Ahead[_Prepared | Problem] = Ahead(self.pool, workers * AHEAD_PER_WORKER)
        self.cap = 4 * max(self.flight.ahead, POOL_MIN_PAGES)
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
                for sp in self.unsent:
                    sp.pending = self.flight.send(_prepare_in_worker, sp.page, self.options)
                self.unsent.clear()

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
        if item.pending is None:
            if item in self.unsent:
                self.unsent.remove(item)
            return _prepare(item.page, lazy, self.options)
        page = item.page
        return self.flight.result(
            item.pending, lambda exc: internal_problem(page.source, exc, "extracting", page.body)
        )

    def discard(self, item: _Speculative) -> None:
        self.bytes -= len(item.page.body)
        if item.pending is not None:
            self.flight.result(item.pending, lambda exc: Problem(item.page.source, ""))
        elif item in self.unsent:
            self.unsent.remove(item)

    def close(self) -> None:
        self.pool.close()


def _analyse_in_worker(
    options: IngestOptions, art: Article
) -> tuple[ArticleClaims | None, list[Problem]]:
    return _analyse_guarded(art, _WORKER_MODELS, options)


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

    def crashed(art: Article, exc: BaseException) -> tuple[None, list[Problem]]:
        return None, [internal_problem(art.source, exc, "extracting")]

    try:
        work = partial(_analyse_in_worker, options)
        for _art, (result, problems) in ordered(pool, work, _chain(first, it), crashed):
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
