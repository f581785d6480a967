"""Worker processes for the main job: models loaded once per worker, results in input order.

The parent process reads the inputs and is the store's only writer; workers only clean,
extract and resolve, and return records. Results are consumed in the order the inputs
were read, so the store sees exactly the writes of a single process (same duplicates,
same links, same event ids). Workers are started with ``spawn`` (no fork of a parent
holding database connections or threads) and ignore Ctrl-C: the parent decides.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)
_T = TypeVar("_T")

# With the default worker count, runs with fewer new pages than this stay in one process:
# starting workers (each loads the models, about 4 s) would cost more than it saves.
POOL_MIN_PAGES = 16
# Work kept in flight per worker: enough that workers stay busy while the parent writes a
# chunk (50 records) and links it; bounded in bytes as well (see AHEAD_BYTES).
AHEAD_PER_WORKER = 32
AHEAD_BYTES = 64 << 20


def machine_workers() -> int:
    """The cores this process may run on (its CPU affinity), else the machine's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(requested: int | None) -> tuple[int, bool]:
    """(worker count, whether it was asked for): ``None`` means the machine's cores."""
    if requested is None:
        return machine_workers(), False
    return max(1, requested), True


def _ignore_interrupts(level: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


class Pool:
    """A process pool started on first use, that can be restarted after a worker died."""

    def __init__(
        self,
        workers: int,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        self.workers = workers
        self._init = initializer
        self._initargs = initargs
        self._executor: ProcessPoolExecutor | None = None

    def _start(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(
                logging.getLogger().getEffectiveLevel(),
                self._init,
                self._initargs,
                os.getpid(),
            ),
        )

    @property
    def started(self) -> bool:
        return self._executor is not None

    def submit(self, fn: Callable[..., _T], *args: Any) -> Future[_T]:
        if self._executor is None:
            self._executor = self._start(self.workers)
        return self._executor.submit(fn, *args)

    def alone(self, fn: Callable[..., _T], *args: Any) -> _T:
        """Run one call in a fresh worker of its own (to tell which record killed a worker)."""
        ex = self._start(1)
        try:
            return ex.submit(fn, *args).result()
        finally:
            ex.shutdown(wait=True, cancel_futures=True)

    def alone_or(
        self, on_crash: Callable[[BrokenProcessPool], _T], fn: Callable[..., _T], *args: Any
    ) -> _T:
        """:meth:`alone`, or ``on_crash(exc)`` if the call kills that worker too."""
        try:
            return self.alone(fn, *args)
        except BrokenProcessPool as exc:
            return on_crash(exc)

    def restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def abort(self) -> None:
        """Stop now (Ctrl-C, an error in the parent): the workers' pages are not waited for."""
        ex, self._executor = self._executor, None
        if ex is None:
            return
        procs = list((getattr(ex, "_processes", None) or {}).values())
        # A worker whose start the interrupt cut short is in no executor's table, yet
        # multiprocessing joins it at exit, and it would wait for work forever.
        procs += [p for p in multiprocessing.active_children() if p not in procs]
        # A call bigger than the pipe's buffer (a group of pages) blocks its queue's feeding
        # thread until a worker reads it; no worker will, and the executor's thread waits for
        # that one at shutdown (Debian's Python 3.11, CI): nothing sent is waited for.
        call_queue = getattr(ex, "_call_queue", None)
        if call_queue is not None:
            call_queue.cancel_join_thread()
        ex.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join(ABORT_WAIT_S)
            if proc.is_alive():
                proc.kill()
                proc.join(ABORT_WAIT_S)
        # A worker killed halfway through sending a result leaves the executor's thread
        # waiting for the rest, and the interpreter joins that thread at exit: with this
        # process's own end of the pipe closed too, it reads the end of the pipe instead.
        writer = getattr(getattr(ex, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


# How long an aborting pool waits for a terminated worker before killing it.
ABORT_WAIT_S = 5.0

# How often a worker checks that the process that started it is alive.
PARENT_CHECK_S = 1.0


def _exit_with_parent(parent: int, every: float = PARENT_CHECK_S) -> None:
    """Exit when the parent is gone: a parent killed outright (SIGKILL, out of memory) cannot
    stop its pool, and its workers, blocked on a queue no one writes to, would stay forever
    with their models in memory (found after the tests that kill a running ingest)."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="warlog-parent-watch", daemon=True).start()


def _worker_init(
    level: int, init: Callable[..., None] | None, args: tuple[Any, ...], parent: int = 0
) -> None:
    _ignore_interrupts(level)
    if parent:
        _exit_with_parent(parent)
    if init is not None:
        init(*args)


@dataclass(slots=True)
class Pending(Generic[_T]):
    """A call sent to the workers ahead of its turn; ``value`` is the call, made in order."""

    call: tuple[Callable[..., _T], tuple[Any, ...]]
    future: Future[_T] | None = None


class Ahead(Generic[_T]):
    """Keeps up to ``ahead`` calls in flight and hands their results out in order.

    A worker that dies (killed, out of memory) breaks the pool: the call whose turn it is
    is run again alone, so a record that kills its worker is found and reported (by
    ``on_crash``), and the pool restarts for the others. Nothing is lost or reordered.
    """

    def __init__(self, pool: Pool, ahead: int) -> None:
        self.pool = pool
        self.ahead = ahead
        self._flight: deque[Pending[_T]] = deque()

    @property
    def full(self) -> bool:
        return len(self._flight) >= self.ahead

    def send(self, fn: Callable[..., _T], *args: Any) -> Pending[_T]:
        p: Pending[_T] = Pending((fn, args))
        p.future = self._submit(p)
        self._flight.append(p)
        return p

    def _submit(self, p: Pending[_T]) -> Future[_T] | None:
        try:
            return self.pool.submit(p.call[0], *p.call[1])
        except BrokenProcessPool:
            return None  # the pool broke meanwhile: sent again when this call's turn comes

    def result(self, p: Pending[_T], on_crash: Callable[[BaseException], _T]) -> _T:
        """The result of ``p`` (the oldest call in flight)."""
        assert self._flight and self._flight[0] is p, "results are taken in order"
        self._flight.popleft()
        if p.future is not None:
            try:
                return p.future.result()
            except BrokenProcessPool:
                log.warning("a worker process died; the pool is restarted")
        self.pool.restart()
        for q in self._flight:  # resubmitted in order, to a fresh pool
            q.future = self._submit(q)
        return self.pool.alone_or(on_crash, p.call[0], *p.call[1])


def ordered(
    pool: Pool,
    fn: Callable[..., _T],
    items: Iterable[Any],
    on_crash: Callable[[Any, BaseException], _T],
    ahead: int | None = None,
) -> Iterator[tuple[Any, _T]]:
    """``(item, fn(item))`` for every item, computed in the pool, in the items' order."""
    q: Ahead[_T] = Ahead(pool, ahead or pool.workers * AHEAD_PER_WORKER)
    waiting: deque[tuple[Any, Pending[_T]]] = deque()
    for item in items:
        waiting.append((item, q.send(fn, item)))
        while q.full:
            first, p = waiting.popleft()
            yield first, q.result(p, lambda exc, it=first: on_crash(it, exc))
    while waiting:
        first, p = waiting.popleft()
        yield first, q.result(p, lambda exc, it=first: on_crash(it, exc))
