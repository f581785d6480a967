"""Property tests (issue 17): no sentence of numbers, casualty words, dates and places makes
extraction raise. Bounded in time: a fixed number of examples, no per-example deadline (the
first example loads the models)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warlog.pipeline import analyse
from warlog.records import Article, article_id
from warlog.settings import IngestOptions

NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**400).map(str),
    st.integers(min_value=0, max_value=10**12).map(lambda n: f"{n:,}"),
    st.sampled_from(
        ["dozens", "hundreds", "several", "a dozen", "thirty-five", "two hundred and one",
         "a couple of thousand", "scores", "1.5 million", "1" + "0" * 330 + " million",
         "9223372036854775808", "9" * 4400, "between 10 and 15", "at least 1,000,000,000,000",
         "up to 0", "-5", "1e308", "nine hundred ninety nine quadrillion", "½"]
    ),
)  # fmt: skip
WORDS = st.sampled_from(
    ["killed", "were killed", "dead", "died", "wounded", "injured", "arrested", "kidnapped",
     "missing", "civilians", "children", "soldiers", "fighters", "people", "martyrs", "including",
     "of them", "at least", "more than", "and", "in", "near", "the", "said", ",", "."]
)  # fmt: skip
DATES = st.sampled_from(
    ["yesterday", "on Monday", "last week", "this week", "on 0001-01-01", "in 9999",
     "on 31 December 9999", "tomorrow", "last month", "in early March", "on 31 February 2016",
     "two days ago", "since 2011", "overnight", "on Saturday night", "in the past 10000 years"]
)  # fmt: skip
PLACES = st.sampled_from(
    ["in Aleppo", "near Idlib", "in the town of Saraqeb", "in Syria", "in Atlantis",
     "in eastern Ghouta", "in Paris", "in Deir ez-Zor province", "in Homs and Hama"]
)  # fmt: skip
SENTENCE = st.lists(st.one_of(NUMBERS, WORDS, DATES, PLACES), min_size=1, max_size=14).map(
    lambda parts: " ".join(parts).capitalize() + "."
)
PUBLISHED = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@pytest.fixture(scope="module")
def models() -> tuple[object, object]:
    from warlog.extract import Extractor
    from warlog.resolve import Resolver

    return Extractor(), Resolver()


def _article(text: str, published: date | None) -> Article:
    return Article(
        id=article_id("p", 0), page_sha256="p", index=0, title=None, text=text, outlet=None,
        outlet_how=None, url=None, published=published, published_how="dataset", source="h.jsonl:1",
    )  # fmt: skip


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sentences=st.lists(SENTENCE, min_size=1, max_size=5), published=PUBLISHED)
def test_extract_never_raises_on_counts_dates_and_places(
    models: tuple[object, object], sentences: list[str], published: date | None
) -> None:
    extractor, resolver = models
    result, _ = analyse(
        _article(" ".join(sentences), published), extractor, resolver, IngestOptions()
    )  # type: ignore[arg-type]
    for c in result.claims:
        assert c.low is None or 0 <= c.low <= 10**10
        assert c.high is None or 0 <= c.high <= 10**10


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=1, max_size=400), published=PUBLISHED)
def test_extract_never_raises_on_any_text(
    models: tuple[object, object], text: str, published: date | None
) -> None:
    extractor, resolver = models
    analyse(_article(text, published), extractor, resolver, IngestOptions())  # type: ignore[arg-type]
