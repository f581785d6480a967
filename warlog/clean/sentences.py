"""Sentences of an article, split with rules, without spaCy.

Rules are fast and robust to the punctuation-stripped text of some feeds; only sentences
that can hold a casualty claim are then parsed with spaCy (:mod:`warlog.nlp`). Kept apart
from the spaCy pipeline so that importing a stage that only splits (``warlog.resolve``)
does not load spaCy.
"""

from __future__ import annotations

import re

from warlog.records import Sentence

__all__ = ["Sentence", "split_sentences"]

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
