"""Reading and cleaning, planned on the driver and run on executors.

A task is a pack of small input files (consecutive in input order, up to a target size:
a task per one-page file would cost more to schedule than to run), or one range of
records of a big JSONL/CSV file, gzipped or not, so a single large dataset still spreads
over every core. Every page carries its place in the input
order, ``(input, item)``, and every article ``(input, item, article)``: the driver uses
it to decide duplicates exactly as the sequential ``warlog run`` would.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from warlog import ingest
from warlog.clean import dedup
from warlog.clean.page import clean_page
from warlog.errors import InputError
from warlog.ingest import detect as det
from warlog.records import Article, PageFormat, Problem, RawPage
from warlog.settings import IngestOptions

log = logging.getLogger(__name__)

Order = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ReadTask:
    input_index: int
    name: str
    path: str
    lo: int = 0  # first item (page, problem) of the input this task keeps
    hi: int | None = None  # one past the last; None: to the end


# A task's files are packed up to this many bytes (and fewer, so every core gets work).
TASK_BYTES = 8 << 20


@dataclass(frozen=True, slots=True)
class Task:
    """What one Spark task reads: a pack of whole files, or one range of one file."""

    parts: tuple[ReadTask, ...]


@dataclass(frozen=True, slots=True)
class PageRow:
    order: Order
    page: RawPage


@dataclass(frozen=True, slots=True)
class ArticleRow:
    order: Order
    article: Article
    minhash: bytes | None
    buckets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProblemRow:
    order: Order
    problem: Problem


@dataclass(frozen=True, slots=True)
class CleanedPage:
    """A page and the articles cleaning found on it (empty when cleaning failed)."""

    row: PageRow
    articles: tuple[ArticleRow, ...]


def plan(
    paths: list[str],
    records_per_task: int,
    *,
    task_bytes: int = TASK_BYTES,
    parallelism: int = 1,
) -> tuple[list[Task], list[Problem]]:
    """Tasks over the inputs, in ``ingest.expand`` order (the order ``warlog run`` reads).

    Whole files are packed in input order into tasks of at most ``task_bytes``, and of at
    most a share of the total that leaves ``2 x parallelism`` tasks, so small corpora still
    use every core; a file of more records than ``records_per_task`` is split in ranges.
    """
    ranges: list[ReadTask | tuple[ReadTask, int]] = []  # ranges, or (whole file, its size)
    problems: list[Problem] = []
    for i, item in enumerate(ingest.expand(paths)):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        if item.path is None:
            problems.append(Problem(item.name, "standard input cannot be read by a batch job"))
            continue
        n = _records(item.path)
        if n is None or n <= records_per_task:
            ranges.append((ReadTask(i, item.name, str(item.path)), _size(item.path)))
            continue
        starts = list(range(0, n, records_per_task))
        for k, lo in enumerate(starts):
            # The last range is open: the line count only estimates the record count.
            hi = starts[k + 1] if k + 1 < len(starts) else None
            ranges.append(ReadTask(i, item.name, str(item.path), lo, hi))
    total = sum(r[1] for r in ranges if isinstance(r, tuple))
    limit = max(1, min(task_bytes, -(-total // (2 * max(1, parallelism)))))
    tasks: list[Task] = []
    pack: list[ReadTask] = []
    size = 0
    for r in ranges:
        if isinstance(r, ReadTask):
            if pack:
                tasks.append(Task(tuple(pack)))
                pack, size = [], 0
            tasks.append(Task((r,)))
            continue
        if pack and size + r[1] > limit:
            tasks.append(Task(tuple(pack)))
            pack, size = [], 0
        pack.append(r[0])
        size += r[1]
    if pack:
        tasks.append(Task(tuple(pack)))
    return tasks, problems


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the task reports it


def _records(path: Path) -> int | None:
    """Lines of a JSONL/CSV file, plain or gzipped (about its records), else None (read whole)."""
    try:
        with path.open("rb") as raw:
            zipped = det.is_gzip(raw.read(2))
            raw.seek(0)
            with gzip.open(raw) if zipped else nullcontext(raw) as f:
                head = f.read(8192)
                if det.detect(head, path.name) not in (PageFormat.JSONL, PageFormat.CSV):
                    return None
                n = head.count(b"\n")
                while chunk := f.read(1 << 20):
                    n += chunk.count(b"\n")
                return n
    except (OSError, EOFError, gzip.BadGzipFile):
        return None  # read whole: the task reports the damage as run does


def read_parts(task: Task, options: IngestOptions) -> Iterator[CleanedPage | ProblemRow]:
    """Everything one task reads, file after file."""
    for part in task.parts:
        yield from read_task(part, options)


def read_task(task: ReadTask, options: IngestOptions) -> Iterator[CleanedPage | ProblemRow]:
    """Pages (cleaned) and problems of one task, each with its place in the input order."""
    inp = ingest.Input(task.name, Path(task.path))
    k = -1
    try:
        for k, item in enumerate(ingest.read(inp, options)):
            if k < task.lo:
                continue
            if task.hi is not None and k >= task.hi:
                return
            order = (task.input_index, k)
            if isinstance(item, ingest.Unchanged):
                continue
            if isinstance(item, Problem):
                yield ProblemRow(order, item)
                continue
            for w in item.warnings:
                yield ProblemRow(order, Problem(item.source, w, fatal=False))
            yield from _clean(order, item)
    except InputError as exc:
        # The whole input (or its rest) is unusable; what was read before stays, as in run.
        if task.hi is None or k < task.hi:
            yield ProblemRow((task.input_index, k + 1), Problem(inp.name, exc.message, exc.line))


def _clean(order: Order, page: RawPage) -> Iterator[CleanedPage | ProblemRow]:
    try:
        articles = clean_page(page)
    except InputError as exc:
        yield ProblemRow(order, Problem(page.source, exc.message))
        return
    except Exception as exc:  # a bug on one page must not stop the batch (as in run)
        log.exception("cleaning failed on %s", page.source)
        msg = f"Internal error while cleaning ({type(exc).__name__}: {exc}); please report it"
        yield ProblemRow(order, Problem(page.source, msg))
        return
    rows = []
    for n, art in enumerate(articles):
        sig = dedup.signature(art.text)
        rows.append(
            ArticleRow(
                (*order, n),
                art,
                sig.to_bytes() if sig else None,
                tuple(sig.buckets()) if sig else (),
            )
        )
    yield CleanedPage(PageRow(order, page), tuple(rows))
