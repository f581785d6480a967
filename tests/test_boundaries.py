"""The shipped offline base layer (warlog/data/boundaries): shape, properties, sizes."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

import pytest

from warlog.resolve.gazetteer import canonical_admin1

FILES = ("countries.geojson", "admin1.geojson")
MAX_TOTAL_BYTES = 3_000_000
ADMIN1_COUNTRIES = {"SY", "IQ", "LB", "JO", "TR", "IL", "PS", "YE", "LY", "AF", "UA", "RU"}
SYRIAN_GOVERNORATES = {
    "Aleppo",
    "As-Suwayda",
    "Damascus",
    "Daraa",
    "Deir Ezzor",
    "Hama",
    "Hasakeh",
    "Homs",
    "Idlib",
    "Lattakia",
    "Quneitra",
    "Raqqa",
    "Rif Dimashq",
    "Tartous",
}


@cache
def load(name: str) -> dict[str, Any]:
    # Through importlib.resources, as the installed package will read them.
    path = resources.files("warlog") / "data" / "boundaries" / name
    return json.loads(path.read_text(encoding="utf-8"))


def rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    assert geometry["type"] == "MultiPolygon", geometry["type"]
    return [r for polygon in geometry["coordinates"] for r in polygon]


def signed_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


@pytest.mark.parametrize("name", FILES)
def test_valid_feature_collection(name: str) -> None:
    data = load(name)
    assert data["type"] == "FeatureCollection"
    assert data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert {"name", "iso_a2"} <= feature["properties"].keys()
        assert feature["properties"]["name"]
        polygons = (
            [feature["geometry"]["coordinates"]]
            if feature["geometry"]["type"] == "Polygon"
            else feature["geometry"]["coordinates"]
        )
        for polygon in polygons:
            # RFC 7946 right-hand rule: exterior counter-clockwise, holes clockwise.
            assert signed_area(polygon[0]) > 0, feature["properties"]
            assert all(signed_area(hole) < 0 for hole in polygon[1:]), feature["properties"]
        for ring in rings(feature["geometry"]):
            assert len(ring) >= 4 and ring[0] == ring[-1], feature["properties"]
            for lon, lat in ring:
                assert -180 <= lon <= 180 and -90 <= lat <= 90
                # Rounded to 3 decimals by the build: anything finer is wasted bytes.
                assert round(lon, 3) == lon and round(lat, 3) == lat


def test_sizes() -> None:
    sizes = {
        name: len((resources.files("warlog") / "data/boundaries" / name).read_bytes())
        for name in FILES
    }
    assert sum(sizes.values()) < MAX_TOTAL_BYTES, sizes


def test_countries_have_iso_codes() -> None:
    features = load("countries.geojson")["features"]
    codes = Counter(f["properties"]["iso_a2"] for f in features)
    assert len(features) > 200
    assert {"SY", "IQ", "LB", "JO", "TR", "IL", "PS", "YE", "LY", "AF", "UA", "RU"} <= codes.keys()
    assert codes[None] <= 2  # only slivers with no ISO code at all
    assert all(len(c) == 2 and c.isupper() for c in codes if c)


def test_admin1_properties_and_countries() -> None:
    features = load("admin1.geojson")["features"]
    for feature in features:
        props = feature["properties"]
        assert {"name", "admin1", "ne_name", "iso_a2", "country", "geonames_admin1"} <= props.keys()
    assert {f["properties"]["iso_a2"] for f in features} >= ADMIN1_COUNTRIES
    keys = [(f["properties"]["iso_a2"], f["properties"]["name"]) for f in features]
    assert len(keys) == len(set(keys)), "one feature per (country, name)"


def test_syria_has_its_14_governorates() -> None:
    syria = [
        f["properties"]
        for f in load("admin1.geojson")["features"]
        if f["properties"]["iso_a2"] == "SY"
    ]
    governorates = {p["admin1"] for p in syria if p["admin1"]}
    assert governorates == SYRIAN_GOVERNORATES
    codes = {p["geonames_admin1"] for p in syria if p["admin1"]}
    assert codes == {f"SY.{n:02d}" for n in range(1, 15)}
    assert [p["name"] for p in syria if not p["admin1"]] == ["UNDOF zone"]


@pytest.mark.parametrize("cc", ["SY", "IQ", "LB", "JO", "TR"])
def test_admin1_names_are_the_gazetteers(cc: str) -> None:
    """An event's place.admin1 joins its polygon: the names are the gazetteer's canonical ones."""
    names = [
        f["properties"]["admin1"]
        for f in load("admin1.geojson")["features"]
        if f["properties"]["iso_a2"] == cc and f["properties"]["admin1"]
    ]
    assert names
    assert all(canonical_admin1(n, cc) == n for n in names)
