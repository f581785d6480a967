"""A page or an article read and analysed, under its guard and budget, outside any
transaction: what both the single-process path and the worker processes run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from warlog.clean.page import clean_page
from warlog.errors import E, InputError
from warlog.guard import OverBudget, budget_cut, internal_problem, time_limit
from warlog.records import Article, ArticleClaims, Problem, RawPage
from warlog.settings import IngestOptions

if TYPE_CHECKING:
    from warlog.extract import Extractor
    from warlog.resolve import Resolver

_T = TypeVar("_T")


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


@dataclass(slots=True)
class _Prepared:
    """A page read and analysed outside any transaction, ready to be written."""

    page: RawPage
    articles: list[Article]
    results: list[ArticleClaims] | None  # None when the run does not extract
    warnings: list[str] = field(default_factory=list)
    extractor: str = ""  # the extractor's version, stored with the claims


def _timed(items: Iterator[_T], seconds: float) -> Iterator[_T]:
    """``items``, each read within the page's time budget (HTML is parsed while reading).

    Over budget, the reader's own guard names the record (a WARC or JSONL record) and goes
    on; a single page's reader ends, and the input is named.
    """
    while True:
        with time_limit(seconds):
            item = next(items, None)
        if item is None:
            return
        yield item


def _prepare(
    page: RawPage, lazy: _LazyExtractor | None, options: IngestOptions
) -> _Prepared | Problem:
    """Clean and analyse one page, under its guard and its budget; never raises."""
    warnings = list(page.warnings)
    articles: list[Article] = []
    if lazy is not None:  # the models load once, outside any page's time budget
        lazy.get()
        lazy.resolver()
    try:
        with time_limit(options.page_seconds):
            articles = clean_page(page)
            results = _analyse(articles, lazy, options, warnings) if lazy else None
            version = lazy.get().version if lazy else ""
    except InputError as exc:
        return Problem(page.source, exc.message)
    except OverBudget as exc:
        if not articles:
            return internal_problem(page.source, exc, "cleaning", page.body)
        # Cleaned but not analysed in time: stored without claims, and said so.
        warnings.append(InputError(E.E128, reason=f"{exc}; no claims read").message)
        results = (
            [ArticleClaims(article=a, claims=(), lead=None) for a in articles] if lazy else None
        )
        version = lazy.get().version if lazy else ""
    except Exception as exc:  # a bug on one page must not stop the batch
        return internal_problem(
            page.source, exc, "cleaning" if not articles else "extracting", page.body
        )
    return _Prepared(page, articles, results, warnings, version)


def analyse(
    article: Article, extractor: Extractor, resolver: Resolver, options: IngestOptions
) -> tuple[ArticleClaims, str | None]:
    """Claims of one article within the character and sentence budget (and a warning if cut)."""
    cut, why = budget_cut(article.text, options.max_chars, options.max_sentences)
    view = article if cut == len(article.text) else replace(article, text=article.text[:cut])
    result = resolver.resolve(extractor.extract(view))
    warning = InputError(E.E128, reason=why).message if why else None
    return replace(result, article=article), warning


def _analyse(
    articles: list[Article], lazy: _LazyExtractor, options: IngestOptions, warnings: list[str]
) -> list[ArticleClaims]:
    extractor, resolver = lazy.get(), lazy.resolver()
    out = []
    for art in articles:
        result, warning = analyse(art, extractor, resolver, options)
        if warning:
            warnings.append(warning)
        out.append(result)
    return out


def _status(p: Problem) -> str:
    return "error" if p.fatal else "warning"


def _analyse_guarded(
    art: Article, models: _LazyExtractor | None, options: IngestOptions
) -> tuple[ArticleClaims | None, list[Problem]]:
    assert models is not None
    extractor, resolver = models.get(), models.resolver()
    try:
        with time_limit(options.page_seconds):
            result, warning = analyse(art, extractor, resolver, options)
    except Exception as exc:
        return None, [internal_problem(art.source, exc, "extracting")]
    return result, [Problem(art.source, warning, fatal=False)] if warning else []
