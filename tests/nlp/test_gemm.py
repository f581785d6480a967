"""The model's matrix products through numpy (warlog.nlp.gemm) give the same parses as BLIS.

The fast tests use a blank pipeline with a freshly initialised tagger; the slow one compares the
shipped pipeline with one left on thinc's BLIS products, on every sentence of the seed pages.
"""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from warlog.nlp import load_pipeline, split_sentences
from warlog.nlp.gemm import use_numpy_gemm

_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
_SENTENCES = [
    "Two civilians were killed when shells hit a market in the town on Sunday.",
    "The monitor said at least 14 fighters died in clashes near the airbase.",
    "An air strike on the village wounded nine people, medics told reporters.",
]


def _tagger() -> Language:
    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("tagger")
    for label in ("NN", "VBD", "DT", "IN", "CD"):
        tagger.add_label(label)  # type: ignore[attr-defined]
    nlp.initialize()
    return nlp


def test_gemm_every_layer_gets_numpy_ops() -> None:
    nlp = _tagger()
    use_numpy_gemm(nlp)
    nodes = list(nlp.get_pipe("tagger").model.walk())  # type: ignore[attr-defined]
    assert len(nodes) > 5
    assert all(isinstance(n.ops, NumpyOps) and not n.ops.use_blis for n in nodes)
    # One BLAS thread: the small products of a sentence batch do not pay for a second one.
    assert all(info["num_threads"] == 1 for info in threadpool_info() if info["user_api"] == "blas")


def test_gemm_scores_match_blis() -> None:
    nlp = _tagger()
    model = nlp.get_pipe("tagger").model  # type: ignore[attr-defined]
    docs = [nlp.make_doc(t) for t in _SENTENCES]
    before = model.predict(docs)
    use_numpy_gemm(nlp)
    after = model.predict(docs)
    assert len(before) == len(after) == len(docs)
    for a, b in zip(after, before, strict=True):
        assert numpy.allclose(a, b, rtol=1e-5, atol=1e-6)
        assert (a.argmax(axis=1) == b.argmax(axis=1)).all()


@pytest.mark.slow
def test_gemm_model_pipeline_identical_on_seed_sentences(seeds_dir: Path) -> None:
    """The shipped pipeline against one on BLIS, on every sentence of the seeds."""
    fast, reference = load_pipeline(), load_pipeline(numpy_gemm=False)
    tok2vec = reference.get_pipe("tok2vec").model  # type: ignore[attr-defined]
    assert not any(isinstance(n.ops, NumpyOps) and not n.ops.use_blis for n in tok2vec.walk())
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
