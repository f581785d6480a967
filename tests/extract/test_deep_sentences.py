"""Tree distances on deep parses: one long unpunctuated "sentence" must not cost cubic time.

A page with its punctuation stripped can hand the parser thousands of characters as one
sentence; a chain of "of" phrases then parses as a chain of ancestors hundreds deep. The claim
rules ask, for every count and every outcome word, whether they are close in the tree; they
used to climb every chain to the root (an 8,800-character chain took three minutes). The
bounded climb must give the exact distance whenever it is within the bound, which these tests
compare with a climb to the root on real parses.
"""

from __future__ import annotations

import pytest
from builders import make_article
from spacy.tokens import Doc, Token

from warlog.extract import Extractor
from warlog.extract.claims import _path
from warlog.extract.roles import _COUNT_WORDS as COUNT_WORDS
from warlog.extract.roles import count_tokens
from warlog.nlp import load_pipeline

SENTENCES = [
    "Russian air strikes killed at least nine civilians including four children in the "
    "village of Kafr Nabl on Tuesday the Syrian Observatory for Human Rights said.",
    "One hundred and sixty of them were wounded when more than two dozen rockets hit the "
    "market of the old city of Aleppo.",
    "Some of the bodies of some of the fighters of the brigades of the front were found "
    "near the walls of the castle of the town.",
]


def _full_path(a: Token, b: Token) -> int:
    """The unbounded distance, climbing to the root (the old rule, kept here as reference)."""
    up_a = [a, *a.ancestors]
    pos_b = {t.i: n for n, t in enumerate([b, *b.ancestors])}
    return next((n + pos_b[t.i] for n, t in enumerate(up_a) if t.i in pos_b), 99)


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    return list(load_pipeline().pipe(SENTENCES))


@pytest.mark.parametrize("within", [3, 4, 5])
def test_bounded_path_is_exact_within_its_bound(docs: list[Doc], within: int) -> None:
    checked = 0
    for doc in docs:
        for a in doc:
            for b in doc:
                full = _full_path(a, b)
                got = _path(a, b, within)
                if full <= within:
                    assert got == full, (doc.text, a.i, b.i)
                    checked += 1
                else:
                    assert got == within + 1, (doc.text, a.i, b.i)
    assert checked > 100


def test_count_tokens_match_the_whole_subtree_rule(docs: list[Doc]) -> None:
    # On sentences of ordinary depth, reading only the words near a number finds what reading
    # its whole subtree found.
    for doc in docs:
        for anchor in (t for t in doc if t.like_num):
            old = {anchor} | {
                t
                for t in anchor.subtree
                if t.dep_ in ("advmod", "quantmod", "compound", "nummod", "cc", "conj", "det")
                and (t.like_num or t.lower_ in COUNT_WORDS)
            }
            assert {t.i for t in count_tokens(anchor)} == {t.i for t in old}, (doc.text, anchor)


def test_count_expression_tokens_of_common_shapes(docs: list[Doc]) -> None:
    first, second, _ = docs
    nine = next(t for t in first if t.lower_ == "nine")
    assert {t.lower_ for t in count_tokens(nine)} >= {"nine", "least"}
    hundred = next(t for t in second if t.lower_ == "hundred")  # the head of the four words
    assert {t.lower_ for t in count_tokens(hundred)} == {"one", "hundred", "and", "sixty"}


def test_a_deep_chain_of_of_phrases_is_read_to_the_end() -> None:
    # 300 nested "of" phrases (6,600 characters, one sentence): before the bounded climb this
    # took about a minute; the claim at its end must still be found.
    text = "Some of the bodies of " * 300 + "the dead were found and five civilians were killed"
    claims = Extractor().extract(make_article(text)).claims
    assert [(c.outcome, c.low) for c in claims if c.low == 5] == [("killed", 5)]
