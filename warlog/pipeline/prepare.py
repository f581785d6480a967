"""A page or an article read and analysed, under its guard and budget, outside any
transaction: what both the single-process path and the worker processes run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def _prepare_many(
    pages: list[RawPage], lazy: _LazyExtractor | None, options: IngestOptions
) -> list[_Prepared | Problem]:
    """:func:`_prepare` for each page, the articles of those that clean analysed together.

    As in :func:`_analyse_guarded_many`, the analysis gets one page's budget; a page that does
    not clean, and every page of a group whose analysis runs over or fails, goes through
    :func:`_prepare` alone, which says what went wrong with it.
    """
    if lazy is None or len(pages) < 2:
        return [_prepare(p, lazy, options) for p in pages]
    cleaned: list[list[Article] | None] = []
    for page in pages:
        try:
            with time_limit(options.page_seconds):
                cleaned.append(clean_page(page))
        except Exception:  # said again by _prepare, below
            cleaned.append(None)
    articles = [a for arts in cleaned if arts for a in arts]
    extractor, resolver = lazy.get(), lazy.resolver()
    try:
        with time_limit(options.page_seconds):
            found = iter(analyse_many(articles, extractor, resolver, options))
    except Exception:  # found again page by page, and reported there
        return [_prepare(p, lazy, options) for p in pages]
    out: list[_Prepared | Problem] = []
    for page, arts in zip(pages, cleaned, strict=True):
        if arts is None:
            out.append(_prepare(page, lazy, options))
            continue
        mine = [next(found) for _ in arts]
        warnings = [*page.warnings, *(w for _, w in mine if w)]
        out.append(_Prepared(page, arts, [r for r, _ in mine], warnings, extractor.version))
    return out


def analyse(
    article: Article, extractor: Extractor, resolver: Resolver, options: IngestOptions
) -> tuple[ArticleClaims, str | None]:
    """Claims of one article within the character and sentence budget (and a warning if cut)."""
    return analyse_many([article], extractor, resolver, options)[0]


def analyse_many(
    articles: list[Article], extractor: Extractor, resolver: Resolver, options: IngestOptions
) -> list[tuple[ArticleClaims, str | None]]:
    """:func:`analyse` for several articles, their sentences parsed in shared batches.

    The parser's cost per call is a large part of a short article's: one batch for many
    articles reads the same claims about a fifth faster (``bench/bench_speed.py``).
    """
    views: list[Article] = []
    warnings: list[str | None] = []
    for article in articles:
        cut, why = budget_cut(article.text, options.max_chars, options.max_sentences)
        views.append(
            article if cut == len(article.text) else replace(article, text=article.text[:cut])
        )
        warnings.append(InputError(E.E128, reason=why).message if why else None)
    found = extractor.extract_many(views, batch_size=max(len(views), 1))
    return [
        (replace(resolver.resolve(claims), article=article), warning)
        for article, claims, warning in zip(articles, found, warnings, strict=True)
    ]


def _analyse(
    articles: list[Article], lazy: _LazyExtractor, options: IngestOptions, warnings: list[str]
) -> list[ArticleClaims]:
    out = []
    for result, warning in analyse_many(articles, lazy.get(), lazy.resolver(), options):
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


# Articles analysed together by ``warlog extract`` (and pages per worker call, at most).
GROUP_ARTICLES = 16


def _groups(articles: Iterable[Article], size: int = GROUP_ARTICLES) -> Iterator[list[Article]]:
    group: list[Article] = []
    for art in articles:
        group.append(art)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _analyse_guarded_many(
    arts: list[Article], models: _LazyExtractor | None, options: IngestOptions
) -> list[tuple[ArticleClaims | None, list[Problem]]]:
    """:func:`_analyse_guarded` for each article, analysed together when nothing goes wrong.

    The group gets one article's budget: a group done within it gives what each article gives
    alone. A group that runs over or fails is analysed again article by article, each under
    its own guard, so a bad article costs only itself and is the one named.
    """
    assert models is not None
    if len(arts) > 1:
        extractor, resolver = models.get(), models.resolver()
        try:
            with time_limit(options.page_seconds):
                found = analyse_many(arts, extractor, resolver, options)
        except Exception:  # found again below, article by article, and reported there
            pass
        else:
            return [
                (result, [Problem(art.source, warning, fatal=False)] if warning else [])
                for art, (result, warning) in zip(arts, found, strict=True)
            ]
    return [_analyse_guarded(art, models, options) for art in arts]
