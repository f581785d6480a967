"""Where people come from, not where anything happened: "foreign fighters from the former
Soviet republics, Egypt and Tunisia". Read by extraction (a claim's roles) and by resolution
(an incident's place) alike, so it lives below both.
"""

from __future__ import annotations

import re

# Matched on the text just before a place name.
ORIGIN_BEFORE = re.compile(
    r"\b(?:fighters|nationals|militants|jihadists|citizens|volunteers|mercenaries|recruits|"
    r"refugees|migrants)\s+(?:who came\s+)?from\b[^.;:]*$",
    re.I,
)


def is_origin(text: str, start: int) -> bool:
    return bool(ORIGIN_BEFORE.search(text[max(0, start - 80) : start]))
