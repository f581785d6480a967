"""The main job, stage by stage: inputs -> raw pages -> articles -> store.

Each input file is one transaction: a killed run leaves every file either
fully stored or not at all, and a re-run skips what is already there (pages
are keyed by the SHA-256 of their bytes), so re-running finishes the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from warlog import ingest
from warlog.clean import dedup
from warlog.clean.page import clean_page
from warlog.errors import InputError
from warlog.link.ledger import update_events
from warlog.records import Article, Problem, RawPage
from warlog.settings import IngestOptions
from warlog.store import Store, Writer

if TYPE_CHECKING:
    from warlog.extract import Extractor
    from warlog.resolve import Resolver

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    run_id: int = 0
    inputs: int = 0
    pages_new: int = 0
    pages_unchanged: int = 0
    articles_new: list[str] = field(default_factory=list)
    duplicates: int = 0
    claims_new: int = 0
    events_changed: int = 0  # events written (new, grown or merged) by linking
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.fatal)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if not p.fatal)


@dataclass(slots=True)
class _FileTally:
    pages_new: int = 0
    articles_new: int = 0
    claims_new: int = 0
    events_changed: int = 0
    problems: int = 0


class _LazyExtractor:
    """Loads the NLP models only when a run has new articles to read."""

    def __init__(self, extractor: Extractor | None, focus: str | None = None) -> None:
        self._extractor = extractor
        self._focus = focus
        self._resolver: Resolver | None = None

    def get(self) -> Extractor:
        if self._extractor is None:
            from warlog.extract import Extractor

            self._extractor = Extractor()
        return self._extractor

    def resolver(self) -> Resolver:
        if self._resolver is None:
            from warlog.resolve import Resolver

            self._resolver = Resolver(focus=self._focus)
        return self._resolver


def ingest_paths(
    store: Store,
    paths: list[str],
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

    for item in ingest.expand(paths):
        if isinstance(item, Problem):
            problem(item)
            with store.transaction() as tx:
                tx.log(report.run_id, item.source, "error", item.message)
            continue
        report.inputs += 1
        if on_input:
            on_input(item.name)
        _ingest_one(store, item, options, report, problem, lazy)
    store.finish_run(
        report.run_id,
        report.inputs,
        report.pages_new,
        len(report.articles_new),
        len(report.problems),
    )
    return report


def _ingest_one(
    store: Store,
    inp: ingest.Input,
    options: IngestOptions,
    report: IngestReport,
    problem: Callable[[Problem], None],
    lazy: _LazyExtractor | None,
) -> None:
    tally = _FileTally()
    new_ids: list[str] = []
    new_articles: list[Article] = []
    with store.transaction() as tx:
        try:
            for item in ingest.read(inp, options, known=tx.has_page):
                if isinstance(item, ingest.Unchanged):
                    report.pages_unchanged += 1
                    continue
                if isinstance(item, Problem):
                    tally.problems += item.fatal
                    problem(item)
                    tx.log(report.run_id, item.source, _status(item), item.message, item.line)
                    continue
                stored = _store_page(tx, item, report, tally, options, problem)
                new_ids.extend(a.id for a in stored)
                new_articles.extend(stored)
        except InputError as exc:
            p = Problem(inp.name, exc.message, exc.line)
            tally.problems += 1
            problem(p)
            tx.log(report.run_id, inp.name, "error", exc.message, exc.line)
        if lazy is not None and new_articles:
            extractor = lazy.get()
            resolver = lazy.resolver()
            for result in extractor.extract_many(new_articles):
                result = resolver.resolve(result)
                tx.replace_claims(result, extractor.version)
                tally.claims_new += len(result.claims)
            # Linked in the file's transaction: the events never lag behind the claims.
            linked = update_events(tx.conn, [a.id for a in new_articles])
            tally.events_changed += linked.events_new
        status = "error" if tally.problems else ("ok" if tally.pages_new else "unchanged")
        tx.log(report.run_id, inp.name, status, None, None, tally.pages_new, tally.articles_new)
    # Counted only once the file's transaction has committed.
    report.pages_new += tally.pages_new
    report.articles_new.extend(new_ids)
    report.claims_new += tally.claims_new
    report.events_changed += tally.events_changed


def _store_page(
    tx: Writer,
    page: RawPage,
    report: IngestReport,
    tally: _FileTally,
    options: IngestOptions,
    problem: Callable[[Problem], None],
) -> list[Article]:
    for w in page.warnings:
        p = Problem(page.source, w, fatal=False)
        problem(p)
        tx.log(report.run_id, page.source, "warning", w)
    if tx.has_page(page.sha256):
        report.pages_unchanged += 1
        return []
    try:
        articles = clean_page(page)
    except InputError as exc:
        tally.problems += 1
        problem(Problem(page.source, exc.message))
        tx.log(report.run_id, page.source, "error", exc.message)
        return []
    except Exception as exc:  # a bug on one page must not stop the batch
        log.exception("cleaning failed on %s", page.source)
        msg = f"Internal error while cleaning ({type(exc).__name__}: {exc}); please report it"
        tally.problems += 1
        problem(Problem(page.source, msg))
        tx.log(report.run_id, page.source, "error", msg)
        return []
    tx.add_page(page, report.run_id)
    tally.pages_new += 1
    stored = []
    for art in articles:
        art, sig = _mark_duplicate(tx, art, options.near_duplicate_threshold)
        report.duplicates += art.duplicate_of is not None
        tx.add_article(art, sig.to_bytes() if sig else None, sig.buckets() if sig else [])
        stored.append(art)
    tally.articles_new += len(stored)
    return stored


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


def _status(p: Problem) -> str:
    return "error" if p.fatal else "warning"


def read_articles(
    paths: list[str],
    options: IngestOptions | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[Article]:
    """Clean articles straight from inputs, without a store (``warlog extract``)."""
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
                    yield from clean_page(page)
                except InputError as exc:
                    report(Problem(page.source, exc.message))
        except InputError as exc:
            report(Problem(item.name, exc.message, exc.line))


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
    caller records about the page commits (or is rolled back) with its articles."""
    report = IngestReport(run_id=run_id, inputs=1)
    tally = _FileTally()
    with store.transaction() as tx:
        stored = _store_page(tx, page, report, tally, options, report.problems.append)
        if models is not None and stored:
            extractor = models.get()
            resolver = models.resolver()
            for result in extractor.extract_many(stored):
                tx.replace_claims(resolver.resolve(result), extractor.version)
                tally.claims_new += len(result.claims)
            tally.events_changed += update_events(tx.conn, [a.id for a in stored]).events_new
        if within is not None:
            within(tx, stored)
        status = "error" if tally.problems else ("ok" if tally.pages_new else "unchanged")
        tx.log(run_id, page.source, status, None, None, tally.pages_new, tally.articles_new)
    report.pages_new += tally.pages_new
    report.articles_new.extend(a.id for a in stored)
    report.claims_new += tally.claims_new
    report.events_changed += tally.events_changed
    return report
