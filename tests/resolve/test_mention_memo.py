"""One article's look-ups shared by all its calls change nothing: every call of find_places()
and Resolver._mentions() with the article's memo equals the same call made afresh.

Read on the seed pages (the whole text, the opening, the first 3,000 characters and each
sentence, as Resolver.resolve() reads them) and on sentences written for the purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from warlog.clean.page import clean_page
from warlog.ingest import Input, read
from warlog.nlp import split_sentences
from warlog.records import RawPage
from warlog.resolve import Resolver, _ArticleMemo
from warlog.settings import IngestOptions

_WRITTEN = (
    "Air strikes on Deir Ezzor province killed 12 people near Mayadeen on Sunday. "
    "Later, shelling of eastern Ghouta outside Damascus wounded five, the Syrian Observatory said. "
    "Mayadeen and Deir Ezzor were hit again; Al Mayadeen TV reported the raid. "
    "MOSUL: Iraqi forces entered the city of Mosul, near the Syria border. "
    "Pro-Damascus forces and al-Nusra fighters clashed in rural Idlib-province and Deir ez-Zor."
)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver()


def _readings(text: str, cuts: int = 0) -> list[str]:
    """The texts Resolver.resolve() reads for one article; ``cuts``: also prefixes ending every
    ``cuts`` characters, inside words and names as often as not (as ``text[:900]`` may)."""
    out = [text, text[:900], text[:3000], *(s.text for s in split_sentences(text))]
    if cuts:
        out.extend(text[:k] for k in range(cuts, len(text), cuts))
        out.extend(text[k:] for k in range(cuts, len(text), cuts))
    return out


def _seed_texts(seeds_dir: Path) -> list[str]:
    out = []
    for path in sorted(seeds_dir.glob("*.txt")):
        pages = [p for p in read(Input(str(path), path), IngestOptions()) if isinstance(p, RawPage)]
        out.extend(a.text for page in pages for a in clean_page(page))
    return out


def _check_article(resolver: Resolver, text: str, cuts: int = 0) -> int:
    memo = _ArticleMemo()
    found = 0
    for country in (None, "SY"):
        for part in _readings(text, cuts):
            fresh = resolver.gazetteer.find_places(part, country=country)
            shared = resolver.gazetteer.find_places(part, country=country, memo=memo.places)
            assert shared == fresh, (country, part[:80])
            mentions = resolver._mentions(part, country, memo)
            assert mentions == resolver._mentions(part, country, _ArticleMemo()), (country, part)
            found += len(fresh)
    return found


@pytest.mark.parametrize("text", [_WRITTEN], ids=["written"])
def test_mention_memo_written_sentences_identical(resolver: Resolver, text: str) -> None:
    assert _check_article(resolver, text, cuts=7) > 0


@pytest.mark.slow
def test_mention_memo_seed_pages_identical(resolver: Resolver, seeds_dir: Path) -> None:
    texts = _seed_texts(seeds_dir)
    assert len(texts) >= 5
    assert sum(_check_article(resolver, t) for t in texts) > 0
