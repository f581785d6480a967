"""A town abroad must be written as its name is when the article's country is known (issue 11).

Sentences are written in the style of monitor daily reports (UCDP GED headlines), where the
Syrian village is often missing from GeoNames' populated places and a foreign town whose
name merely sounds alike used to win ("Dabeq" read as Dubuque, Iowa). The gazetteer is
loaded without the UCDP-derived villages, as the honest UCDP check does.
"""

from __future__ import annotations

import pytest

from warlog.resolve import Resolver
from warlog.resolve.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(Gazetteer.load(exclude_sources=frozenset({"ucdp"})), focus="SY")


@pytest.mark.parametrize(
    "headline",
    [
        pytest.param("50 killed during clashes around Dabeq between rebels and IS", id="dabeq"),
        pytest.param(
            "70 were killed yesterday, and 12 people were martyred due to aerial bombardment",
            id="due-to",
        ),
        pytest.param("Fierce clashes go on in Khan Touman and nearby farms", id="touman"),
        pytest.param("At least 9 martyrs in air strikes targeting the city of Bench", id="bench"),
    ],
)
def test_a_sound_alike_abroad_is_no_place(resolver: Resolver, headline: str) -> None:
    place = resolver.sentence_place(headline)
    assert place is None or place.country == "SY", place


@pytest.mark.parametrize(
    ("headline", "name"),
    [
        pytest.param(
            "Two fighters killed in Fallujah, a source said", "Al Fallūjah", id="al-article"
        ),
        pytest.param("Clashes near Tal Afar leave five dead", "Tall ‘Afar", id="doubled-letter"),
    ],
)
def test_a_town_abroad_written_as_its_name_stays(
    resolver: Resolver, headline: str, name: str
) -> None:
    place = resolver.sentence_place(headline)
    assert place is not None and (place.country, place.name) == ("IQ", name)


def test_x_city_falls_back_to_x_at_home(resolver: Resolver) -> None:
    place = resolver.sentence_place("Shells target neighbourhoods of Daraa city")
    assert place is not None
    assert (place.country, place.admin1, place.text) == ("SY", "Daraa", "Daraa city")
