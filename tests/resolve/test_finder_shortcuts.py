"""Shortcuts in the mention finder and the gazetteer give what the long way gives."""

from __future__ import annotations

import re

import pytest

from warlog.resolve.gazetteer import Gazetteer, _first, _ranked
from warlog.resolve.mentions import _capitalised
from warlog.resolve.placenames import name_keys

# The rule as it was written before the shortcut: strip an article prefix, then look.
_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|at|az|an|ash|ath|ed|er|es|et|ez|en)[-‐]", re.IGNORECASE)


def _capitalised_reference(word: str) -> bool:
    word = _PREFIX.sub("", word)
    return bool(word) and (word[0].isupper() or word[0].isdigit())


@pytest.mark.parametrize(
    "word",
    [
        "Raqqa", "raqqa", "al-Raqqa", "al-raqqa", "Al-raqqa", "AL-Raqqa", "ash-Shaddadi",
        "ash-shaddadi", "el‐Bab", "el‐bab", "ez-Zor", "an-Nabk", "as-", "al-", "Ash-",
        "de-mined", "re-entered", "pre-war", "north-east", "12th", "x", "Ab", "ad-Dana",
        "ad-dana", "Ath-Thawra", "ed-Deir", "en-Nasr", "ar–Rai", "mid-air", "al", "ali-x",
    ],
)  # fmt: skip
def test_capitalised_matches_the_regex_rule(word: str) -> None:
    assert _capitalised(word) == _capitalised_reference(word)


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return Gazetteer.load(user_dir=tmp_path_factory.mktemp("no-user-data"))


@pytest.mark.parametrize("name", ["Aleppo", "Homs", "Al Bab", "Tall", "Springfield", "Hama"])
@pytest.mark.parametrize(
    ("cue", "country", "admin1"),
    [(None, None, None), ("town", "SY", None), ("province", None, None), (None, "US", None)],
)
def test_first_is_the_ranked_lists_first(
    gazetteer: Gazetteer, name: str, cue: str | None, country: str | None, admin1: str | None
) -> None:
    candidates = gazetteer._candidates(*name_keys(name))
    ranked = _ranked(candidates, cue, country, admin1)
    assert ranked, name
    assert _first(candidates, cue, country, admin1) == ranked[0]
    assert _first([], cue, country, admin1) is None


def test_first_with_many_homonyms(gazetteer: Gazetteer) -> None:
    """A name with dozens of GeoNames homonyms, some through two phrase variants."""
    candidates = gazetteer._candidates(*name_keys("Springfield"))
    candidates += gazetteer._candidates(*name_keys("Springfield"), 1)
    assert len(candidates) > 20
    assert _first(candidates, None, "US", None) == _ranked(candidates, None, "US", None)[0]
