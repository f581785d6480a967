"""Articles analysed in groups (``warlog extract``): the claims of one article at a time, and a
bad article costs only itself."""

from __future__ import annotations

from itertools import islice

import pytest
from conftest import FAKES_DEV

from warlog.codec import article_json
from warlog.ingest.tabular import parse_map
from warlog.pipeline import extract_articles, read_articles
from warlog.pipeline.prepare import _analyse_guarded, _analyse_guarded_many, _LazyExtractor
from warlog.records import Article, ArticleClaims
from warlog.resolve import Resolver
from warlog.settings import IngestOptions

FAKES_MAP = "text=text,title=title,outlet=outlet,id=id"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    if not FAKES_DEV.exists():
        pytest.skip(f"{FAKES_DEV} is absent")
    options = IngestOptions(column_map=parse_map(FAKES_MAP))
    return list(islice(read_articles([str(FAKES_DEV)], options), 40))


@pytest.fixture(scope="module")
def models() -> _LazyExtractor:
    return _LazyExtractor(None, "SY")


def test_a_group_reads_what_each_article_reads_alone(
    articles: list[Article], models: _LazyExtractor
) -> None:
    options = IngestOptions(focus_country="SY")
    alone = [_analyse_guarded(a, models, options) for a in articles]
    together = _analyse_guarded_many(articles, models, options)
    assert [(article_json(r), p) for r, p in together if r] == [
        (article_json(r), p) for r, p in alone if r
    ]
    assert sum(len(r.claims) for r, _ in together if r) > 100


class _FailsOn(Resolver):
    """The real resolver with a bug that one article triggers."""

    def __init__(self, bad: str) -> None:
        super().__init__(focus="SY")
        self.bad = bad

    def resolve(self, result: ArticleClaims) -> ArticleClaims:
        if result.article.id == self.bad:
            raise ZeroDivisionError("a bug in resolving")
        return super().resolve(result)


def test_a_failing_article_is_named_and_the_others_of_its_group_are_read(
    articles: list[Article],
) -> None:
    group = articles[:8]
    bad = group[3]
    models = _LazyExtractor(None, "SY")
    models._resolver = _FailsOn(bad.id)
    options = IngestOptions(focus_country="SY")
    found = _analyse_guarded_many(group, models, options)
    assert [r is None for r, _ in found] == [a is bad for a in group]
    (problem,) = found[3][1]
    assert problem.fatal and problem.source == bad.source and "ZeroDivisionError" in problem.message
    good = _LazyExtractor(None, "SY")
    for art, (result, problems) in zip(group, found, strict=True):
        if art is not bad:
            expected, _ = _analyse_guarded(art, good, options)
            assert result is not None and expected is not None
            assert article_json(result) == article_json(expected)
            assert problems == []


def test_extract_articles_gives_every_article_once_in_order(articles: list[Article]) -> None:
    options = IngestOptions(focus_country="SY", workers=1)
    out = list(extract_articles(articles[:35], options))  # groups of 16, 16 and 3
    assert [r.article.id for r in out] == [a.id for a in articles[:35]]
