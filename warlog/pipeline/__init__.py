"""The main job, stage by stage: inputs -> raw pages -> articles -> store.

Every page (or dataset record) is read, cleaned and analysed under its own guard
and budget, outside any transaction; records are then written in chunks, one
short transaction each, every page under a savepoint. A bug on one record rolls
back that record only, is reported in one line and remembered as failed (a
re-run skips it; ``--retry-failed`` tries again). A killed run leaves whole pages
only, and a re-run skips what is already there (pages are keyed by the SHA-256
of their bytes), so re-running finishes the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from warlog import ingest
from warlog.clean import dedup
from warlog.clean.page import clean_page
from warlog.errors import E, InputError
from warlog.guard import internal_problem, time_limit
from warlog.ingest import Source
from warlog.link.incremental import update_events
from warlog.pipeline.parallel import (
    _extract_parallel,
    _page_of,
    _ReadAhead,
    _Retried,
)
from warlog.pipeline.prepare import (
    IngestReport,
    _analyse_guarded_many,
    _FileTally,
    _groups,
    _LazyExtractor,
    _prepare,
    _Prepared,
    _status,
    _timed,
    analyse,
)
from warlog.pool import resolve_workers as _workers
from warlog.records import Article, ArticleClaims, Problem, RawPage
from warlog.settings import IngestOptions
from warlog.store import Store, Writer

if TYPE_CHECKING:
    from warlog.extract import Extractor

# The stages' parts live in pipeline/prepare.py (a page or article analysed) and
# pipeline/parallel.py (--workers); the public names are re-exported here.
__all__ = [
    "IngestReport",
    "Models",
    "analyse",
    "extract_articles",
    "ingest_page",
    "ingest_paths",
    "read_articles",
]

log = logging.getLogger(__name__)


def ingest_paths(
    store: Store,
    paths: Iterable[Source],
    options: IngestOptions | None = None,
    *,
    extract: bool = True,
    extractor: Extractor | None = None,
    command: str = "ingest",
    on_input: Callable[[str], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> IngestReport:
    """Ingest every input under ``paths`` into ``store``; problems are reported, not raised."""
    options = options or IngestOptions()
    report = IngestReport(run_id=store.start_run(command))
    lazy = _LazyExtractor(extractor, options.focus_country) if extract else None

    def problem(p: Problem) -> None:
        report.problems.append(p)
        if on_problem:
            on_problem(p)

    workers, asked = _workers(options.workers)
    # A caller's own extractor means "in this process" unless workers were asked for.
    ahead = (
        _ReadAhead(store, paths, options, extract, workers, asked)
        if workers > 1 and (asked or extractor is None)
        else None
    )
    try:
        for item in ahead.inputs() if ahead else ingest.expand(paths):
            if isinstance(item, Problem):
                problem(item)
                with store.transaction() as tx:
                    tx.log(report.run_id, item.source, "error", item.message)
                continue
            report.inputs += 1
            if on_input:
                on_input(item.name)
            _ingest_one(store, item, options, report, problem, lazy, ahead)
    except BaseException:
        if ahead:
            ahead.pool.abort()
        raise
    if ahead:
        ahead.close()
    store.finish_run(
        report.run_id,
        report.inputs,
        report.pages_new,
        len(report.articles_new),
        len(report.problems),
    )
    return report


class _Seen:
    """Which records to skip: pages already stored, and records that failed before."""

    def __init__(self, store: Store, retry_failed: bool) -> None:
        self.store = store
        self.retry_failed = retry_failed
        self.failed: dict[str, tuple[int, str]] = {}  # sha256 -> (run, message) of skipped ones
        self.retrying: set[str] = set()  # failed before, read again: forgotten unless they fail

    def known(self, sha256: str) -> bool:
        if self.store.has_page(sha256):
            return True
        if self.retry_failed:
            if self.store.failed_record(sha256) is not None:
                self.retrying.add(sha256)
            return False
        found = self.store.failed_record(sha256)
        if found is not None:
            self.failed[sha256] = found
            return True
        return False


def _ingest_one(
    store: Store,
    inp: ingest.Input,
    options: IngestOptions,
    report: IngestReport,
    problem: Callable[[Problem], None],
    lazy: _LazyExtractor | None,
    ahead: _ReadAhead | None = None,
) -> None:
    """One input, in chunks of records: each chunk one short transaction, each record guarded.

    Reading, cleaning and extraction (the slow part) happen outside any transaction;
    a chunk's writes then take the lock briefly, so readers and other writers never
    wait long, and a killed run loses at most the chunk being written. With ``ahead``
    (``--workers``), the input was read ahead and its pages are prepared by worker
    processes; every decision below is still taken here, in order, as without workers.
    """
    tally = _FileTally()
    seen = _Seen(store, options.retry_failed)
    chunk: list[_Prepared | Problem] = []
    size = 0

    def report_problem(p: Problem) -> None:
        tally.problems += p.fatal
        problem(p)
        chunk.append(p)

    extract = lazy is not None

    def flush() -> None:
        nonlocal size
        if chunk or seen.retrying:
            _write_chunk(
                store, chunk, options, report, tally, problem, seen.retrying, extract=extract
            )
            chunk.clear()
            seen.retrying.clear()
            size = 0

    items = _items(inp, options, seen, ahead)
    try:
        for item in items:
            if isinstance(item, _Retried):
                seen.retrying.add(item.sha256)
                continue
            if ahead and isinstance(item, ingest.Unchanged):
                seen.known(item.sha256)  # read ahead with a look that records nothing
            if isinstance(item, ingest.Unchanged):
                _unchanged(item.source, item.sha256, seen, report, report_problem)
                continue
            if isinstance(item, Problem):
                report_problem(item)
            elif seen.known(_page_of(item).sha256):
                if ahead:
                    ahead.discard(item)
                _unchanged(
                    _page_of(item).source, _page_of(item).sha256, seen, report, report_problem
                )
                continue
            else:
                prepared = ahead.prepared(item, lazy) if ahead else _prepare(item, lazy, options)
                item = _page_of(item)
                if isinstance(prepared, Problem):
                    report_problem(prepared)
                else:
                    for w in prepared.warnings:
                        problem(Problem(item.source, w, fatal=False))
                    chunk.append(prepared)
                    size += len(item.body)
            if len(chunk) >= options.chunk_records or size >= options.max_bytes:
                flush()
    except InputError as exc:
        report_problem(Problem(inp.name, exc.message, exc.line))
    except Exception as exc:  # a reader's bug ends this input only, never the batch
        report_problem(internal_problem(inp.name, exc, "reading"))
    if ahead:
        ahead.skip_input()  # what is left of an input whose reading failed
    flush()
    _log_input(store, report, inp, tally)


def _items(
    inp: ingest.Input, options: IngestOptions, seen: _Seen, ahead: _ReadAhead | None
) -> Iterator[Any]:
    """An input's records: read here, or read ahead for the workers (``--workers``)."""
    if ahead:
        return ahead.input_items()
    return _timed(ingest.read(inp, options, known=seen.known), options.page_seconds)


def _log_input(store: Store, report: IngestReport, inp: ingest.Input, tally: _FileTally) -> None:
    status = "error" if tally.problems else ("ok" if tally.pages_new else "unchanged")
    with store.transaction() as tx:
        tx.log(report.run_id, inp.name, status, None, None, tally.pages_new, tally.articles_new)


def _unchanged(
    source: str,
    sha256: str,
    seen: _Seen,
    report: IngestReport,
    report_problem: Callable[[Problem], None],
) -> None:
    failed = seen.failed.get(sha256)
    if failed is None:
        report.pages_unchanged += 1
        return
    run, message = failed
    msg = InputError(E.E126, run=run, message=message.split("; please report")[0]).message
    report_problem(Problem(source, msg, fatal=False))


def _write_chunk(
    store: Store,
    chunk: list[_Prepared | Problem],
    options: IngestOptions,
    report: IngestReport,
    tally: _FileTally,
    problem: Callable[[Problem], None],
    retrying: set[str],
    *,
    extract: bool,
) -> None:
    """Write a chunk in one transaction; each page under a savepoint of its own."""
    part = _FileTally()
    new_ids: list[str] = []
    duplicates = unchanged = 0
    with store.transaction() as tx:
        for sha in sorted(retrying):  # read again: remembered again only if it fails again
            tx.forget_failed(sha)
        for item in chunk:
            if isinstance(item, Problem):
                tx.log(report.run_id, item.source, _status(item), item.message, item.line)
                if item.key:
                    tx.remember_failed(
                        item.key, item.source, item.line, item.message, report.run_id
                    )
                continue
            page = item.page
            for w in item.warnings:
                tx.log(report.run_id, page.source, "warning", w)
            if tx.has_page(page.sha256):
                unchanged += 1
                continue
            try:
                with tx.savepoint():
                    stored, dups = _store_page(tx, item, options, report.run_id)
            except Exception as exc:  # rolls back this page only
                p = internal_problem(page.source, exc, "storing", page.body)
                part.problems += 1
                problem(p)
                tx.log(report.run_id, p.source, "error", p.message)
                tx.remember_failed(p.key or page.sha256, p.source, None, p.message, report.run_id)
                continue
            tx.forget_failed(page.sha256)
            part.pages_new += 1
            part.articles_new += len(stored)
            part.claims_new += sum(len(r.claims) for r in item.results or ())
            duplicates += dups
            new_ids.extend(stored)
        if extract and new_ids:
            try:
                # Linked in the chunk's transaction: the events never lag behind the claims.
                with tx.savepoint():
                    part.events_changed += update_events(tx.links, new_ids).events_new
            except Exception as exc:
                p = internal_problem("(linking)", exc, "linking")
                msg = p.message + "; `warlog link --rebuild` links every article again"
                part.problems += 1
                problem(Problem(p.source, msg))
                tx.log(report.run_id, p.source, "error", msg)
    # Counted only once the chunk's transaction has committed.
    tally.pages_new += part.pages_new
    tally.articles_new += part.articles_new
    tally.problems += part.problems
    report.pages_new += part.pages_new
    report.articles_new.extend(new_ids)
    report.claims_new += part.claims_new
    report.events_changed += part.events_changed
    report.duplicates += duplicates
    report.pages_unchanged += unchanged


def _store_page(
    tx: Writer, item: _Prepared, options: IngestOptions, run_id: int
) -> tuple[list[str], int]:
    tx.add_page(item.page, run_id)
    ids = []
    duplicates = 0
    by_id = {r.article.id: r for r in item.results or ()}
    for art in item.articles:
        art, sig = _mark_duplicate(tx, art, options.near_duplicate_threshold)
        duplicates += art.duplicate_of is not None
        tx.add_article(art, sig.to_bytes() if sig else None, sig.buckets() if sig else [])
        result = by_id.get(art.id)
        if result is not None:
            tx.replace_claims(result, item.extractor)
        ids.append(art.id)
    return ids, duplicates


def _mark_duplicate(
    tx: Writer, art: Article, threshold: float
) -> tuple[Article, dedup.Signature | None]:
    """Record copies as copies (never drop them): exact text first, then MinHash LSH."""
    sig = dedup.signature(art.text)
    original = tx.article_with_content(art.content_hash)
    if original:
        return replace(art, duplicate_of=original, duplicate_how="exact: same text"), sig
    if sig is None:
        return art, None
    best: tuple[float, str] | None = None
    for cand_id, cand_dup_of, cand_sig in tx.near_duplicate_candidates(sig.buckets()):
        if cand_sig is None:
            continue
        j = sig.jaccard(dedup.Signature.from_bytes(cand_sig))
        if j >= threshold and (best is None or j > best[0]):
            best = (j, cand_dup_of or cand_id)
    if best:
        return replace(
            art, duplicate_of=best[1], duplicate_how=f"near: est. Jaccard {best[0]:.2f}"
        ), sig
    return art, sig


def read_articles(
    paths: list[str],
    options: IngestOptions | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Article]:
    """Clean articles straight from inputs, without a store (``warlog extract``).

    Guarded like ingestion: a bug on one page or record is reported and the rest goes on.
    """
    options = options or IngestOptions()
    report = on_problem or (lambda p: None)
    for item in ingest.expand(paths):
        if isinstance(item, Problem):
            report(item)
            continue
        try:
            for page in ingest.read(item, options):
                if isinstance(page, ingest.Unchanged):
                    continue
                if isinstance(page, Problem):
                    report(page)
                    continue
                for w in page.warnings:
                    report(Problem(page.source, w, fatal=False))
                try:
                    with time_limit(options.page_seconds):
                        articles = clean_page(page)
                except InputError as exc:
                    report(Problem(page.source, exc.message))
                    continue
                except Exception as exc:
                    report(internal_problem(page.source, exc, "cleaning", page.body))
                    continue
                yield from articles
        except InputError as exc:
            report(Problem(item.name, exc.message, exc.line))
        except Exception as exc:
            report(internal_problem(item.name, exc, "reading"))


def extract_articles(
    articles: Iterable[Article],
    options: IngestOptions | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[ArticleClaims]:
    """Claims of each article, each under its guard and budget (``warlog extract``).

    With ``options.workers`` above 1, articles are analysed by worker processes and the
    results come out in the articles' order.
    """
    options = options or IngestOptions()
    report = on_problem or (lambda p: None)
    workers, asked = _workers(options.workers)
    if workers > 1:
        yield from _extract_parallel(articles, options, report, workers, asked)
        return
    models = _LazyExtractor(None, options.focus_country)
    for group in _groups(articles):
        for result, problems in _analyse_guarded_many(group, models, options):
            for p in problems:
                report(p)
            if result is not None:
                yield result


# The models one long-lived caller (``warlog watch``) keeps across many pages.
Models = _LazyExtractor


def ingest_page(
    store: Store,
    page: RawPage,
    options: IngestOptions,
    models: Models | None,
    run_id: int,
    within: Callable[[Writer, list[Article]], None] | None = None,
) -> IngestReport:
    """One page already in hand (``warlog watch`` fetched it) through the whole pipeline, in
    one transaction like a file; ``within(tx, articles)`` runs in that transaction, so what the
    caller records about the page commits (or is rolled back) with its articles.

    The page is read and analysed under its guard and budget before the transaction opens,
    like every record of ``ingest``: a bad page is reported and remembered, never raised.
    """
    report = IngestReport(run_id=run_id, inputs=1)
    prepared = _prepare(page, models, options)
    stored: list[Article] = []
    claims_new = events_new = 0
    with store.transaction() as tx:
        if isinstance(prepared, Problem):
            report.problems.append(prepared)
            tx.log(run_id, page.source, _status(prepared), prepared.message, prepared.line)
            if prepared.key:
                tx.remember_failed(prepared.key, page.source, None, prepared.message, run_id)
        elif tx.has_page(page.sha256):
            report.pages_unchanged += 1
        else:
            for w in prepared.warnings:
                report.problems.append(Problem(page.source, w, fatal=False))
                tx.log(run_id, page.source, "warning", w)
            ids, _ = _store_page(tx, prepared, options, run_id)
            stored = [a for a in prepared.articles if a.id in set(ids)]
            claims_new = sum(len(r.claims) for r in prepared.results or ())
            if models is not None and ids:
                events_new = update_events(tx.links, ids).events_new
        if within is not None:
            within(tx, stored)
        pages_new = int(not isinstance(prepared, Problem) and not report.pages_unchanged)
        status = "error" if report.failed else ("ok" if pages_new else "unchanged")
        tx.log(run_id, page.source, status, None, None, pages_new, len(stored))
    report.pages_new += pages_new
    report.articles_new.extend(a.id for a in stored)
    report.claims_new += claims_new
    report.events_changed += events_new
    return report
