"""What the rules read from a parsed sentence once: its text and its lower-cased words."""

from __future__ import annotations

import spacy

from warlog.nlp import doc_text, doc_words, parse_texts

_TEXTS = [
    "Two civilians were killed in Maarat al-Numan on Sunday, the monitor said. ",
    "Shelling  hit the market\nand wounded 11 people",
    "",
    "   ",
]


def test_parse_texts_keeps_each_text() -> None:
    nlp = spacy.blank("en")
    docs = list(parse_texts(nlp, _TEXTS, batch_size=2))
    assert len(docs) == len(_TEXTS)
    for text, doc in zip(_TEXTS, docs, strict=True):
        assert doc_text(doc) == doc.text == text
    # The text is stored with the Doc, not joined again from its tokens.
    assert docs[0].user_data["warlog_text"] is _TEXTS[0]


def test_doc_text_without_parse_texts_joins_tokens() -> None:
    doc = spacy.blank("en")("Three soldiers died.")
    assert "warlog_text" not in doc.user_data
    assert doc_text(doc) == "Three soldiers died."


def test_doc_words_are_the_tokens_lower_forms() -> None:
    doc = spacy.blank("en")("Three Soldiers DIED in Idlib.")
    assert doc_words(doc) == ["three", "soldiers", "died", "in", "idlib", "."]
    assert doc_words(doc) is doc_words(doc)
