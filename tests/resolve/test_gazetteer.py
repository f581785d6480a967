"""Tests for the offline gazetteer and place-name normalisation."""

from __future__ import annotations

import dataclasses
import gzip
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warlog.resolve import gazetteer as gz
from warlog.resolve.gazetteer import (
    DATA_DIR,
    KIND_PRECISION,
    PRECISIONS,
    Gazetteer,
    add_user_file,
    canonical_admin1,
    default_cache_dir,
    default_user_dir,
    fakes_governorate,
    read_data_file,
)
from warlog.resolve.placenames import (
    Normaliser,
    name_keys,
    normalise,
    parse_phrase,
    spelling_key,
)

REPO = Path(__file__).resolve().parents[2]
UCDP_CSV = REPO.parent / "shared" / "data" / "ucdp_ged191_syria.csv"
BUILD_SCRIPT = REPO / "scripts" / "build_gazetteer.py"


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    # An empty user dir keeps the developer's own additions out of the results.
    return Gazetteer.load(user_dir=tmp_path_factory.mktemp("no-user-data"))


# ---------------------------------------------------------------------------------------------
# Normalisation

SAME_PLACE = [
    ["Deir Ezzor", "Deir el-Zour", "Dayr az Zawr", "Der el-Zour", "Deir ez-Zor", "Deir al-Zor"],
    ["Mayadeen", "al-Mayadin", "Al-Mayadeen", "Mayadin"],
    ["Raqqa", "Raqa", "Rakka", "ar-Raqqah"],
    ["Abu Kamal", "Albu Kamal", "Boukamal", "Al Bukamal"],
    ["Hasakeh", "Hasakah", "al-Hasakah", "Hassakeh"],
    ["Idlib", "Idleb"],
    ["Homs", "Hims"],
    ["Hama", "Hamah"],
    ["Aleppo", "Halab"],
    ["Lattakia", "Latakia", "al-Ladhiqiyah"],
    ["Daraa", "Deraa", "Dara'a"],
    ["Qamishli", "Kamishli", "al-Qamishli"],
    # Beyond the brief's list: apostrophes, ayn marks, kh/h and diacritics.
    ["Ma'arrat al-Nu'man", "Maarat al-Numan", "Ma‘arrat an-Nu‘man"],
    ["Khan Sheikhoun", "Khan Shaykhun", "Khān Shaykhūn"],
    ["Hmeimim", "Khmeimim"],
    ["al-Hol", "al-Hawl"],
    ["Yarmouk", "Yarmuk"],
    ["Jisr al-Shughur", "Jisr ash-Shughour"],
]
SAME_PAIRS = [(group[0], other) for group in SAME_PLACE for other in group[1:]]


@pytest.mark.parametrize(("a", "b"), SAME_PAIRS)
def test_spellings_of_one_place_collide(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


DIFFERENT_PLACES = [
    ("Hama", "Homs"),
    ("Raqqa", "Riyadh"),
    ("Idlib", "Irbid"),
    ("Daraa", "Douma"),
    ("Tartus", "Tarsus"),
    ("Aleppo", "Azaz"),
    ("Deir Ezzor", "Deir Hafer"),
    ("Afrin", "Aafar"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PLACES)
def test_different_places_stay_apart(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Raqqa", "Rika"), ("Douma", "Dumai"), ("Amman", "Oman"), ("Hama", "Homa")]
)
def test_spelling_key_separates_loose_homonyms(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)
    assert spelling_key(a) != spelling_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Raqqa", "ar-Raqqah"), ("Douma", "Dūmā"), ("Deir", "Dayr"), ("Ain", "Ayn")]
)
def test_spelling_key_joins_transliterations(a: str, b: str) -> None:
    assert spelling_key(a) == spelling_key(b)


@pytest.mark.parametrize(
    ("name", "key"),
    [("Deir ez-Zor", "dar zar"), ("Hama", "hama"), ("Homs", "hams"), ("T4", "t4"), ("", "")],
)
def test_normalise_output(name: str, key: str) -> None:
    assert normalise(name) == key


@given(st.text(alphabet=st.sampled_from("abdehiklmnoqrstuwyzAEKQ -'’āḤ"), max_size=30))
def test_bulk_normaliser_matches_normalise(name: str) -> None:
    assert Normaliser()(name) == name_keys(name)


@pytest.mark.parametrize(
    ("text", "full", "core", "cue"),
    [
        ("near the town of Mayadeen", "Mayadeen", "Mayadeen", "town"),
        ("Deir Ezzor province", "Deir Ezzor province", "Deir Ezzor", "province"),
        ("Idlib countryside", "Idlib countryside", "Idlib", "province"),
        ("the Homs desert", "Homs desert", "Homs", "region"),
        ("northern Hama countryside", "northern Hama countryside", "Hama", "province"),
        ("Aleppo's countryside", "Aleppo countryside", "Aleppo", "province"),
        ("10 km north of Raqqa", "Raqqa", "Raqqa", None),
        ("the Iraqi border", "Iraqi border", "Iraqi border", None),
        ("Azaz district", "Azaz district", "Azaz", "district"),
    ],
)
def test_parse_phrase(text: str, full: str, core: str, cue: str | None) -> None:
    phrase = parse_phrase(text)
    assert (phrase.full, phrase.core, phrase.cue) == (full, core, cue)


# ---------------------------------------------------------------------------------------------
# Shipped data files

VERSION_LINE = re.compile(r"^# warlog gazetteer [a-zA-Z ]+, version \d+$")
ENTRY_COLUMNS = [
    "name",
    "aliases",
    "lat",
    "lon",
    "country",
    "admin1",
    "admin2",
    "kind",
    "precision",
]
SHIPPED = {
    "curated.tsv": ENTRY_COLUMNS,
    "admin.tsv": ["country", "level", "code", "name", "aliases", "lat", "lon", "kind", "precision"],
    "ucdp_places.tsv": [*ENTRY_COLUMNS, "events"],
    "stopwords.txt": ["word", "kind"],
    "world.tsv": [*ENTRY_COLUMNS, "code", "population", "geonameid"],
}


def _shipped_path(name: str) -> Path:
    path = DATA_DIR / name
    return path if path.exists() else path.with_name(name + ".gz")


def test_no_unchecked_data_files() -> None:
    present = {p.name.removesuffix(".gz") for p in DATA_DIR.iterdir() if p.is_file()}
    assert present == set(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_data_file_header_and_version(name: str) -> None:
    data = read_data_file(_shipped_path(name))
    assert data.comments, "a version comment must come first"
    assert VERSION_LINE.match(data.comments[0]), data.comments[0]
    assert list(data.header) == SHIPPED[name]
    assert data.rows


def test_world_table_rows() -> None:
    """Every country, continent and admin area of world.tsv is well formed and placed."""
    data = read_data_file(_shipped_path("world.tsv"))
    kinds: dict[str, int] = {}
    for lineno, row in data.rows:
        where = f"world.tsv:{lineno}"
        kind = row["kind"]
        kinds[kind] = kinds.get(kind, 0) + 1
        assert row["name"].strip() == row["name"] and row["name"], where
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, where
        assert row["precision"] == KIND_PRECISION[kind], where
        if kind == "continent":
            assert row["country"] == "" and re.fullmatch(r"[A-Z]{2}", row["code"]), where
            continue
        if kind == "region":  # the Sahel, the Middle East: across countries
            assert row["country"] == "", where
            continue
        assert re.fullmatch(r"[A-Z]{2}", row["country"]), where
        if kind in ("admin1", "admin2"):
            assert row["code"].startswith(row["country"] + "."), where
            assert row["admin1"], where
        if kind == "admin2":
            assert row["admin2"] == row["name"], where
        assert row["population"].isdigit(), where
    assert kinds["country"] >= 240 and kinds["continent"] == 7 and kinds["region"] >= 15
    assert kinds["admin1"] >= 3000 and kinds["admin2"] >= 15000 and kinds["demonym"] >= 150


@pytest.mark.parametrize(
    ("name", "country", "precision", "lat", "lon"),
    [
        ("Texas", "US", "province", 31.3, -99.3),
        ("Queensland", "AU", "province", -22.6, 144.6),
        ("Diyala", "IQ", "province", 33.9, 45.0),
        ("Laurel County", "US", "district", 37.0, -84.1),
        ("Africa", "", "region", 7.2, 21.1),
        ("United States", "US", "country", 39.5, -98.9),
    ],
    ids=["us-state", "au-state", "iraqi-province", "us-county", "continent", "country-point"],
)
def test_world_areas_resolve_to_their_area(
    gazetteer: Gazetteer, name: str, country: str, precision: str, lat: float, lon: float
) -> None:
    entry = next(e for e in gazetteer.lookup(name) if e.precision == precision)
    assert entry.country == country
    # Within about 100 km of the area's middle, not at an average of its towns.
    assert abs(entry.lat - lat) < 1.0 and abs(entry.lon - lon) < 1.0


@pytest.mark.parametrize("name", ["curated.tsv", "admin.tsv", "ucdp_places.tsv"])
def test_data_file_rows(name: str) -> None:
    data = read_data_file(_shipped_path(name))
    admin_names = {(e.country, e.admin1) for e, _ in gz._admin_table().entries}
    seen: set[tuple[str, ...]] = set()
    for lineno, row in data.rows:
        where = f"{name}:{lineno}"
        assert row["name"].strip() == row["name"] and row["name"], where
        assert -90 <= float(row["lat"]) <= 90, where
        assert -180 <= float(row["lon"]) <= 180, where
        assert re.fullmatch(r"[A-Z]{2}", row["country"]), where
        assert row["precision"] in PRECISIONS, where
        if row.get("admin1"):
            assert (row["country"], row["admin1"]) in admin_names, f"{where}: {row['admin1']}"
        if row["country"] == "SY":
            # Syria's bounding box, with a margin for border features.
            assert 32.0 <= float(row["lat"]) <= 37.6, where
            assert 35.5 <= float(row["lon"]) <= 42.5, where
        ident = (normalise(row["name"]), row["lat"], row["lon"], row["precision"])
        assert ident not in seen, f"{where}: duplicate {row['name']}"
        seen.add(ident)


def test_curated_kinds_map_to_their_precision() -> None:
    for lineno, row in read_data_file(DATA_DIR / "curated.tsv").rows:
        assert KIND_PRECISION.get(row["kind"]) == row["precision"], f"line {lineno}"


def test_admin_covers_required_countries() -> None:
    data = read_data_file(DATA_DIR / "admin.tsv")
    levels = {(row["country"], row["level"]) for _, row in data.rows}
    for country in ("SY", "IQ", "LB", "TR", "JO"):
        assert (country, "1") in levels
    codes = {row["code"] for _, row in data.rows if row["country"] == "SY" and row["level"] == "1"}
    assert codes == {f"{n:02d}" for n in range(1, 15)}
    tr = [r for _, r in data.rows if r["country"] == "TR"]
    assert len(tr) == 81


def test_ucdp_file_is_small_and_has_districts() -> None:
    path = _shipped_path("ucdp_places.tsv")
    assert path.stat().st_size < 1_000_000 or path.suffix == ".gz"
    rows = [r for _, r in read_data_file(path).rows]
    districts = {r["name"] for r in rows if r["kind"] == "district"}
    assert {"Ar Rastan", "Afrin", "Al Mayadin", "Azaz"} <= districts
    assert len(rows) > 1500


def test_stopwords_kinds() -> None:
    kinds = {row["kind"] for _, row in read_data_file(DATA_DIR / "stopwords.txt").rows}
    assert kinds <= {"word", "title", "demonym", "name", "org"}
    assert "aden" not in gz.stopwords()  # Aden, Yemen, is a real and common place


# ---------------------------------------------------------------------------------------------
# The build script


def _load_build_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_gazetteer", BUILD_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body runs.
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ucdp_csv() -> Path:
    if not UCDP_CSV.exists():
        pytest.skip(f"UCDP extract not found at {UCDP_CSV} (shared/ is beside the repo)")
    return UCDP_CSV


@pytest.mark.parametrize(
    ("raw", "precision", "expected"),
    [
        ("Teir Maaleh village", "town", ("Teir Maaleh", "village", [])),
        ("Aleppo town", "town", ("Aleppo", "town", [])),
        ("Tiyas Military Airbase (T4)", "town", ("Tiyas Military Airbase", "airbase", ["T4"])),
        ("Al Wafidin camp", "town", ("Al Wafidin camp", "camp", [])),
        ("Northern Hamah Governorate", "region", ("Northern Hamah", "region", [])),
    ],
)
def test_build_splits_descriptors(raw: str, precision: str, expected: tuple) -> None:
    assert _load_build_script().split_name(raw, precision) == expected


def test_build_is_deterministic_and_shipped_file_is_current(ucdp_csv: Path) -> None:
    build = _load_build_script()
    rows, digest = build.build(ucdp_csv)
    first = build.render(rows, ucdp_csv, digest)
    rows, digest = build.build(ucdp_csv)
    second = build.render(rows, ucdp_csv, digest)
    assert first == second
    shipped = _shipped_path("ucdp_places.tsv")
    raw = shipped.read_bytes()
    text = gzip.decompress(raw).decode() if shipped.suffix == ".gz" else raw.decode()
    assert text == first, "shipped file is stale: run scripts/build_gazetteer.py"


def test_build_keeps_homonyms_apart(ucdp_csv: Path) -> None:
    rows, _ = _load_build_script().build(ucdp_csv)
    hambushiyah = [r for r in rows if r[0] == "Hambushiyah"]
    assert len(hambushiyah) == 2
    assert len({(r[2], r[3]) for r in hambushiyah}) == 2


# ---------------------------------------------------------------------------------------------
# Admin names


@pytest.mark.parametrize(
    ("admin1", "label"),
    [
        ("Aleppo Governorate", "aleppo"),
        ("Damascus", "damascus"),
        ("Rif Dimashq", "damascus"),
        ("Rural Damascus", "damascus"),
        ("Damascus countryside", "damascus"),
        ("Idleb", "idlib"),
        ("Deir ez-Zor Governorate", "deir ezzor"),
        ("Dayr az Zawr", "deir ezzor"),
        ("Ar Raqqah", "raqqa"),
        ("Hims", "homs"),
        ("Al-Hasakah", "hasakeh"),
        ("Hamah Governorate", "hama"),
        ("Dar'a", "daraa"),
        ("Latakia", "lattakia"),
        ("Quneitra", "quneitra"),
        ("Tartus", "tartous"),
        ("As Suwayda Governorate", "as-suwayda"),
        ("Paris", None),
        ("Nineveh", None),
        (None, None),
    ],
)
def test_fakes_governorate(admin1: str | None, label: str | None) -> None:
    assert fakes_governorate(admin1) == label


@pytest.mark.parametrize(
    ("name", "country", "canonical"),
    [
        ("Deir ez Zor Governorate", "SY", "Deir Ezzor"),
        ("Rif Dimashq Governorate", "SY", "Rif Dimashq"),
        ("Ninawa", "IQ", "Nineveh"),
        ("Sanliurfa Province", "TR", "Şanlıurfa"),
        ("Bekaa", None, "Bekaa"),
        ("Mafraq governorate", "JO", "Mafraq"),
        ("Aleppo", "IQ", None),
    ],
)
def test_canonical_admin1(name: str, country: str | None, canonical: str | None) -> None:
    assert canonical_admin1(name, country) == canonical


# ---------------------------------------------------------------------------------------------
# Resolution


def test_mayadeen_resolves_to_al_mayadin(gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve("near the town of Mayadeen")
    assert place is not None
    assert place.text == "near the town of Mayadeen"
    assert "Mayadin" in place.name.replace("ā", "a").replace("ī", "i")
    assert place.lat == pytest.approx(35.02, abs=0.02)
    assert place.lon == pytest.approx(40.45, abs=0.02)
    assert (place.country, place.admin1, place.precision) == ("SY", "Deir Ezzor", "town")


@pytest.mark.parametrize(
    ("text", "precision", "admin1"),
    [
        ("the Homs desert", "region", "Homs"),
        ("Badiya", "region", None),
        ("eastern Ghouta", "region", "Rif Dimashq"),
        ("the Iraqi border", "region", None),
        ("Deir Ezzor province", "province", "Deir Ezzor"),
        ("Idlib countryside", "province", "Idlib"),
        ("Aleppo province", "province", "Aleppo"),
        ("Damascus countryside", "province", "Rif Dimashq"),
        ("Rural Damascus", "province", "Rif Dimashq"),
        ("northern Hama countryside", "province", "Hama"),
        ("Ar Rastan district", "district", "Homs"),
        ("Aleppo", "town", "Aleppo"),
        ("Hama city", "town", "Hama"),
        ("T4", "town", "Homs"),
        ("Khmeimim air base", "town", "Lattakia"),
        ("al-Hawl camp", "town", "Hasakeh"),
        ("Yarmuk camp", "town", "Damascus"),
        ("Bab al-Hawa", "town", "Idlib"),
        ("Syria", "country", None),
    ],
)
def test_resolve_precision(
    gazetteer: Gazetteer, text: str, precision: str, admin1: str | None
) -> None:
    place = gazetteer.resolve(text, country="SY")
    assert place is not None, text
    assert (place.precision, place.admin1, place.country) == (precision, admin1, "SY")


def test_aleppo_city_and_province_differ(gazetteer: Gazetteer) -> None:
    city = gazetteer.resolve("Aleppo")
    province = gazetteer.resolve("Aleppo province")
    assert city is not None and province is not None
    assert (city.precision, city.source) == ("town", "geonames")
    assert (province.precision, province.source) == ("province", "admin")
    assert (city.lat, city.lon) != (province.lat, province.lon)


@pytest.mark.parametrize(
    ("text", "country", "expected_country"),
    [
        ("Paris", None, "FR"),
        ("Moscow", None, "RU"),
        ("Tripoli", "LB", "LB"),
        ("Tripoli", "LY", "LY"),
        ("Hama", None, "SY"),
        ("Raqqa", None, "SY"),
        ("Iraq", "SY", "IQ"),
        ("Amman", None, "JO"),
        ("Anbar", None, "IQ"),
        ("Ras al-Ain", "SY", "SY"),
    ],
)
def test_resolve_country(
    gazetteer: Gazetteer, text: str, country: str | None, expected_country: str
) -> None:
    place = gazetteer.resolve(text, country=country)
    assert place is not None
    assert place.country == expected_country


def test_village_known_only_to_ucdp(gazetteer: Gazetteer) -> None:
    assert {e.source for e in gazetteer.lookup("Teir Maaleh")} == {"ucdp"}
    place = gazetteer.resolve("the village of Teir Maaleh")
    assert place is not None
    assert (place.admin1, place.admin2, place.source) == ("Homs", "Ar Rastan", "ucdp")
    assert place.lat == pytest.approx(34.80, abs=0.01)


def test_admin1_context_picks_the_homonym(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.lookup("Hambushiyah")) >= 2
    for admin1 in ("Idlib", "Lattakia"):
        place = gazetteer.resolve("Hambushiyah", admin1=admin1)
        assert place is not None and place.admin1 == admin1
    # Context may also ride along in the phrase itself.
    place = gazetteer.resolve("Hambushiyah, Latakia province")
    assert place is not None and place.admin1 == "Lattakia"


def test_fuzzy_only_when_exact_fails(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Khan Shaykhum") == []  # a typo: n -> m
    place = gazetteer.resolve("Khan Shaykhum", country="SY")
    assert place is not None and place.admin1 == "Idlib"
    assert gazetteer.resolve("Qwzxv Plmnt", country="SY") is None


def test_lookup_returns_entries(gazetteer: Gazetteer) -> None:
    entries = gazetteer.lookup("Deir ez-Zor")
    assert entries
    assert entries[0].country == "SY"
    assert all(e.precision in PRECISIONS for e in entries)
    assert gazetteer.lookup("") == []


# ---------------------------------------------------------------------------------------------
# Mentions in running text


def _tagged(gazetteer: Gazetteer, text: str) -> list[str]:
    return [text[a:b] for a, b, _ in gazetteer.find_places(text, country="SY")]


@pytest.mark.parametrize(
    "text",
    [
        "Most of the fighting was said to be a Deal, the Mayor said.",
        "Of the 12 killed, one Man was hit by a shell.",
        "Hassan Nasrallah said Hezbollah would respond.",
        "The Syrian Observatory for Human Rights said ISIS fighters withdrew.",
        "SHELLING KILLS FIVE",
    ],
)
def test_find_places_skips_common_words(gazetteer: Gazetteer, text: str) -> None:
    assert _tagged(gazetteer, text) == []


def test_find_places_spans_and_precision(gazetteer: Gazetteer) -> None:
    text = (
        "Russian jets struck Deir Ezzor province, killing 12 in the town of al-Mayadin "
        "and near the Iraqi border, the Mayor of Aden said."
    )
    found = gazetteer.find_places(text, country="SY")
    spans = {text[a:b]: place for a, b, place in found}
    assert set(spans) == {"Deir Ezzor province", "al-Mayadin", "Iraqi border", "Aden"}
    assert spans["Deir Ezzor province"].precision == "province"
    assert spans["al-Mayadin"].precision == "town"
    assert spans["Iraqi border"].precision == "region"
    assert spans["Aden"].country == "YE"
    for a, b, place in found:
        assert place.text == text[a:b]


def test_find_places_prefers_multiword(gazetteer: Gazetteer) -> None:
    assert _tagged(gazetteer, "Shells fell on Khan Sheikhoun and eastern Ghouta.") == [
        "Khan Sheikhoun",
        "eastern Ghouta",
    ]


def test_find_places_lowercase_text(gazetteer: Gazetteer) -> None:
    assert _tagged(gazetteer, "the town of hit was shelled near raqqa") == ["hit", "raqqa"]


def test_lowercase_text_does_not_turn_english_words_into_small_foreign_towns(
    gazetteer: Gazetteer,
) -> None:
    # A daily toll in lower case: "loyal" is Loyal, Wisconsin (1,200 people) only by spelling.
    text = (
        "82 persons were killed yesterday, including 12 members of the regime forces and "
        "militiamen loyal to them, and 5 people were killed in rocket fire on idlib"
    )
    found = [p for _, _, p in gazetteer.find_places(text, country="SY")]
    assert [p.name.lower() for p in found] == ["idlib"]
    # a large city still counts without capitals
    assert _tagged(gazetteer, "shelling resumed in aleppo and london reacted") == [
        "aleppo",
        "london",
    ]


def test_russia_sits_at_the_geonames_country_point(gazetteer: Gazetteer) -> None:
    # One country point for the whole gazetteer: Russia at GeoNames' 60N 100E, not a hand-set
    # centroid 330 km away.
    russia = gazetteer.resolve("Russia")
    assert russia is not None and russia.precision == "country"
    assert (round(russia.lat), round(russia.lon)) == (60, 100)


# ---------------------------------------------------------------------------------------------
# User additions

GEONAMES_LINES = [
    # geonameid name asciiname alternates lat lon class code cc cc2 a1 a2 a3 a4 pop elev dem tz
    [
        "99000001",
        "Qaryat Warlogiyya",
        "Qaryat Warlogiyya",
        "Warlogiya al-Gharbiya,Ouarlogiya",
        "35.1234",
        "40.5678",
        "P",
        "PPL",
        "SY",
        "",
        "07",
        "",
        "",
        "",
        "812",
        "",
        "210",
        "Asia/Damascus",
        "2024-01-01",
    ],
    [
        "99000002",
        "Tall Wahmi",
        "Tall Wahmi",
        "",
        "35.2",
        "40.6",
        "T",
        "HLL",
        "SY",
        "",
        "07",
        "",
        "",
        "",
        "0",
        "",
        "250",
        "Asia/Damascus",
        "2024-01-01",
    ],
]


def _write_geonames(path: Path, lines: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_add_user_geonames_file(tmp_path: Path) -> None:
    source = _write_geonames(tmp_path / "SY.txt", GEONAMES_LINES)
    user_dir = tmp_path / "user"
    assert add_user_file(source, user_dir) == 2
    assert add_user_file(source, user_dir) == 0  # already there
    gazetteer = Gazetteer.load(user_dir=user_dir)
    place = gazetteer.resolve("Warlogiya al-Gharbiya")
    assert place is not None
    assert (place.name, place.source, place.admin1, place.precision) == (
        "Qaryat Warlogiyya",
        "user",
        "Deir Ezzor",
        "town",
    )
    assert gazetteer.resolve("Ouarlogiya") == dataclasses.replace(place, text="Ouarlogiya")
    assert place.lat == pytest.approx(35.1234)
    hill = gazetteer.lookup("Tall Wahmi")
    assert hill and hill[0].kind == "mountain"


def test_add_user_file_country_filter(tmp_path: Path) -> None:
    french = [*GEONAMES_LINES[0][:8], "FR", *GEONAMES_LINES[0][9:]]
    french[1] = french[2] = "Village Imaginaire"
    source = _write_geonames(tmp_path / "allCountries.txt", [GEONAMES_LINES[0], french])
    user_dir = tmp_path / "user"
    assert add_user_file(source, user_dir, countries=["sy"]) == 1
    gazetteer = Gazetteer.load(user_dir=user_dir)
    assert gazetteer.lookup("Village Imaginaire") == []
    assert [e.source for e in gazetteer.lookup("Qaryat Warlogiyya")] == ["user"]


def test_add_user_csv_file(tmp_path: Path) -> None:
    source = tmp_path / "villages.csv"
    source.write_text(
        "name,lat,lon,admin1,admin2,country\n"
        "Khirbet Invented,34.5,37.25,Homs Governorate,Tadmur,sy\n"
        '"Ain Fictive, upper",35.9,36.6,Idleb,,SY\n',
        encoding="utf-8",
    )
    user_dir = tmp_path / "user"
    assert add_user_file(source, user_dir) == 2
    gazetteer = Gazetteer.load(user_dir=user_dir)
    place = gazetteer.resolve("Khirbet Invented")
    assert place is not None
    assert (place.admin1, place.admin2, place.country, place.source) == (
        "Homs",
        "Tadmur",
        "SY",
        "user",
    )
    assert gazetteer.lookup("Ain Fictive upper")[0].admin1 == "Idlib"
    # The shipped gazetteer without user_dir does not know it.
    assert Gazetteer.load(user_dir=tmp_path / "empty").lookup("Khirbet Invented") == []


@pytest.mark.parametrize(
    ("filename", "content", "line"),
    [
        ("bad.txt", "\t".join(GEONAMES_LINES[0]) + "\n" + "1\tonly\tthree\n", 2),
        ("bad.txt", "\t".join(GEONAMES_LINES[0]).replace("35.1234", "95.0") + "\n", 1),
        ("bad.csv", "name,lat,lon,admin1,admin2,country\nA,1,2,,,SY\nB,north,2,,,SY\n", 3),
        ("bad.csv", "name,lat,lon,admin1,admin2,country\nA,1,2,,,Syria\n", 2),
        ("bad.csv", "name,lat,lon\nA,1,2\n", 1),
    ],
)
def test_add_user_file_rejects_bad_input(
    tmp_path: Path, filename: str, content: str, line: int
) -> None:
    source = tmp_path / filename
    source.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{re.escape(filename)}:{line}\b"):
        add_user_file(source, tmp_path / "user")
    assert not (tmp_path / "user" / gz.USER_FILE).exists()  # nothing half-written


def test_default_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WARLOG_DATA_DIR", raising=False)
    monkeypatch.delenv("WARLOG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_user_dir() == tmp_path / "data" / "warlog"
    assert default_cache_dir() == tmp_path / "cache" / "warlog"
    monkeypatch.setenv("WARLOG_DATA_DIR", str(tmp_path / "mine"))
    assert default_user_dir() == tmp_path / "mine"


def test_cache_roundtrip_and_corruption(tmp_path: Path) -> None:
    target = tmp_path / "geonames-test.marshal"
    data = {"format": gz._INDEX_FORMAT, "names": ["A"], "index": {"a": 0}}
    gz._write_cache(target, data)
    assert gz._read_cache(target) == data
    target.write_bytes(b"\x00garbage")
    assert gz._read_cache(target) is None
    assert gz._read_cache(tmp_path / "missing.marshal") is None


def test_fuzzy_pool_gives_what_a_full_scan_gives() -> None:
    # The length window and the sorted-token forms are shortcuts: the answer must be the one
    # token_sort_ratio over the whole pool gives, ties to the first key included.
    from rapidfuzz import fuzz, process

    from warlog.resolve.gazetteer import _FuzzyPool

    keys = [
        "deir ez zor",
        "dayr az zawr",
        "zor deir",
        "maarat al numan",
        "maaret al nuuman",
        "al bab",
        "bab al",
        "tell abyad",
        "tal abiad",
        "kafr nabl",
        "kafranbel",
        "jisr al shughur",
        "jisr ash shughur",
    ]
    pool = _FuzzyPool.build(keys)
    queries = [
        "deir ezzor",
        "zor ez deir",
        "maarat al nuuman",
        "al baab",
        "tel abyad",
        "kafr nabel",
        "jisr al shugur",
        "palmyra",
        "b",
    ]
    for cutoff in (60.0, 75.0, 90.0):
        for query in queries:
            hit = process.extractOne(query, keys, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff)
            assert pool.best(query, cutoff) == (hit[0] if hit else None), (query, cutoff)
