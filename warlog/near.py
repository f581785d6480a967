"""The place a user's ``--near`` / ``near=`` names, said back to them.

The gazetteer's resolver is forgiving (fuzzy matching finds "Aleppo" for "Aleppoo"), which is
right for article text and wrong for a filter: a mistyped name silently searched around another
town. Here only an exact name (any of its spellings) or "lat,lon" is taken; a name that only
matches fuzzily is refused with the fuzzy match as a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warlog.errors import E, WarlogError


@dataclass(frozen=True, slots=True)
class NearPlace:
    text: str  # what the user typed
    name: str  # the place used
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    precision: str  # town, province, country, or "point" for lat,lon

    def json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "precision": self.precision,
        }


def near_place(text: str, country: str | None = None) -> NearPlace:
    """The place ``text`` names, or a coordinate pair; E124 with a suggestion for a name the
    gazetteer knows only under another spelling, E119 for one it does not know at all."""
    from warlog.resolve.gazetteer import Gazetteer, locate

    text = text.strip()
    if _is_point(text):
        lat, lon = locate(text)
        return NearPlace(text, f"{lat:.4f},{lon:.4f}", lat, lon, None, None, "point")
    found = Gazetteer.load().resolve(text, country=country)
    if found is None:
        raise WarlogError(E.E119, name=text)
    if not same_name(text, found.name):
        raise WarlogError(E.E124, name=text, suggestion=found.name)
    return NearPlace(
        text, found.name, found.lat, found.lon, found.country, found.admin1, found.precision
    )


def same_name(typed: str, name: str) -> bool:
    """Whether ``typed`` writes ``name`` (give or take accents, articles, transliteration and
    a cue word such as "city" or "province"): the words of one are among the other's."""
    from warlog.resolve.placenames import spelling_key

    a, b = set(spelling_key(typed).split()), set(spelling_key(name).split())
    return bool(a) and bool(b) and (a <= b or b <= a)


def _is_point(text: str) -> bool:
    from warlog.resolve.gazetteer import _LATLON

    return _LATLON.match(text) is not None
