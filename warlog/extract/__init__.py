"""Claim extraction: every casualty claim in an article, and the article's lead incident.

The models load only when :class:`Extractor` is used: importing a light module of this
package (``numbers``, ``actors``) does not import spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warlog.extract.extractor import VERSION, Extractor

__all__ = ["VERSION", "Extractor"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from warlog.extract import extractor

        return getattr(extractor, name)
    raise AttributeError(name)
