"""warlog_attributes gives every token what spaCy's attribute_ruler gives it.

The unit tests build the ruler on a blank pipeline with hand-set tags and labels (no trained
model); the slow one compares the two full pipelines on every sentence of the seed pages.
"""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from warlog.nlp import load_pipeline, split_sentences
from warlog.nlp.attributes import AttributeTables, replace_attribute_ruler

_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

# Patterns of the kinds the small English model's ruler has: a tag map, word exceptions,
# label conditions, IN / NOT_IN / REGEX, two-token patterns aiming at either token, a rule that
# overrides an earlier one, and whitespace.
_PATTERNS: list[dict[str, object]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "VBD"}]], "attrs": {"POS": "VERB", "MORPH": "Tense=Past|VerbForm=Fin"}},
    {"patterns": [[{"TAG": "DT"}]], "attrs": {"POS": "DET"}},
    {"patterns": [[{"TAG": "IN"}]], "attrs": {"POS": "ADP"}},
    {"patterns": [[{"TAG": "PRP"}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"TAG": "_SP", "IS_SPACE": False}]], "attrs": {"POS": "X", "MORPH": "_"}},
    {"patterns": [[{"LOWER": "it", "DEP": "nsubj"}]], "attrs": {"MORPH": "Case=Nom|Person=3"}},
    {
        "patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux", "auxpass"]}}]],
        "attrs": {"POS": "AUX"},
    },
    {"patterns": [[{"TAG": "IN", "DEP": "mark"}]], "attrs": {"POS": "SCONJ"}},
    {
        "patterns": [[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": {"IN": ["DT", "WDT"]}}]],
        "attrs": {"POS": "PRON"},
    },
    {"patterns": [[{"TAG": "VBD", "LOWER": "got"}]], "attrs": {"LEMMA": "get"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}, "index": 0},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {
        "patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]],
        "attrs": {"POS": "VERB"},
        "index": 1,
    },
    {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not"}},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE", "MORPH": "_"}},
]

# (words, tags, deps, heads): sentences written for the rules above.
_SENTENCES = [
    (
        ["The", "army", "shelled", "it"],
        ["DT", "NN", "VBD", "PRP"],
        ["det", "nsubj", "ROOT", "dobj"],
        [1, 2, 2, 2],
    ),
    (
        ["It", "was", "shelled", "that", "day"],
        ["PRP", "VBD", "VBD", "DT", "NN"],
        ["nsubjpass", "auxpass", "ROOT", "det", "npadvmod"],
        [2, 2, 2, 4, 2],
    ),
    (
        ["There", "was", "a", "raid"],
        ["EX", "VBD", "DT", "NN"],
        ["expl", "ROOT", "det", "attr"],
        [1, 1, 3, 1],
    ),
    (
        ["They", "got", "gon", "na", "go"],
        ["PRP", "VBD", "VBG", "TO", "VB"],
        ["nsubj", "ROOT", "aux", "aux", "xcomp"],
        [1, 1, 4, 4, 1],
    ),
    (
        ["It", "did", "n't", "stop", "  ", "that"],
        ["PRP", "VBD", "RB", "VB", "_SP", "DT"],
        ["nsubj", "aux", "neg", "ROOT", "dep", "dobj"],
        [3, 3, 3, 3, 3, 3],
    ),
    (
        ["He", "left", "because", "fighting", "rose"],
        ["PRP", "VBD", "IN", "NN", "VBD"],
        ["nsubj", "ROOT", "mark", "nsubj", "advcl"],
        [1, 1, 4, 4, 1],
    ),
]


def _blank_with_ruler(patterns: list[dict[str, object]]) -> Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


def _doc(
    nlp: Language, words: list[str], tags: list[str], deps: list[str], heads: list[int]
) -> Doc:
    spaces = [
        w != "  " and (i + 1 < len(words) and words[i + 1] != "  ") for i, w in enumerate(words)
    ]
    return Doc(nlp.vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=heads)


@pytest.mark.parametrize("sentence", _SENTENCES, ids=lambda s: " ".join(s[0]))
def test_attributes_tables_equal_attribute_ruler(sentence: tuple[list[str], ...]) -> None:
    nlp = _blank_with_ruler(_PATTERNS)
    ruler = nlp.get_pipe("attribute_ruler")
    tables = AttributeTables(nlp, ruler)
    expected = ruler(_doc(nlp, *sentence))  # type: ignore[operator]
    got = tables(_doc(nlp, *sentence))
    assert numpy.array_equal(got.to_array(_ATTRS), expected.to_array(_ATTRS))
    assert [str(t.morph) for t in got] == [str(t.morph) for t in expected]
    # The sentences do reach the rules (a test of nothing would pass too).
    assert any(t.pos_ for t in got)


@pytest.mark.parametrize(
    "pattern",
    [
        {"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"SHAPE": "Xxxx"}]], "attrs": {"POS": "PROPN"}},
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"NORM": "x"}},
    ],
    ids=["operator", "other-attribute", "sets-other-attribute"],
)
def test_attributes_unsupported_pattern_keeps_spacy_ruler(pattern: dict[str, object]) -> None:
    nlp = _blank_with_ruler([_PATTERNS[0], pattern])
    assert replace_attribute_ruler(nlp) is False
    assert nlp.pipe_names == ["attribute_ruler"]


@pytest.mark.parametrize("patterns", [_PATTERNS], ids=["supported"])
def test_attributes_replace_takes_the_rulers_place(patterns: list[dict[str, object]]) -> None:
    nlp = _blank_with_ruler(patterns)
    nlp.add_pipe("sentencizer")
    assert replace_attribute_ruler(nlp) is True
    assert nlp.pipe_names == ["warlog_attributes", "sentencizer"]


@pytest.mark.slow
def test_attributes_model_pipeline_identical_on_seed_sentences(seeds_dir: Path) -> None:
    """The shipped pipeline against the model's own ruler, on every sentence of the seeds."""
    fast, reference = load_pipeline(), load_pipeline(fast_attributes=False)
    assert "warlog_attributes" in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    assert "attribute_ruler" in reference.pipe_names
    texts = [
        s.text
        for path in sorted(seeds_dir.glob("*.txt"))
        for s in split_sentences(path.read_text("utf-8"))
    ]
    assert len(texts) > 100
    for a, b in zip(fast.pipe(texts), reference.pipe(texts), strict=True):
        assert numpy.array_equal(a.to_array(_ATTRS), b.to_array(_ATTRS)), a.text
        assert [str(t.morph) for t in a] == [str(t.morph) for t in b], a.text
        assert [(e.start, e.end, e.label_) for e in a.ents] == [
            (e.start, e.end, e.label_) for e in b.ents
        ], a.text
