"""The UCDP check: headline places scored against UCDP GED's coordinates."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from warlog.evaluate.ucdp import (
    DEFAULT_CSV,
    UcdpReport,
    check,
    haversine_km,
    incident_place,
    main,
)
from warlog.resolve.gazetteer import Gazetteer, add_user_file

# A village only UCDP GED names: neither GeoNames, curated.tsv nor admin.tsv knows it.
UCDP_ONLY_VILLAGE = "Ahtaymilat"

# Measured on UCDP GED 19.1 (6170 rows of 2016) without the UCDP-derived entries:
# 32.4 % of all rows and 37.6 % of placed rows within 25 km. The floors leave a little slack.
HONEST_FLOOR_ALL = 0.30
HONEST_FLOOR_PLACED = 0.35


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("no-user-data")


@pytest.fixture(scope="module")
def gazetteer(user_dir: Path) -> Gazetteer:
    return Gazetteer.load(user_dir=user_dir)


@pytest.fixture(scope="module")
def honest(user_dir: Path) -> Gazetteer:
    return Gazetteer.load(user_dir=user_dir, exclude_sources=frozenset({"ucdp"}))


# -- Gazetteer.load(exclude_sources=...) --------------------------------------------------


def test_exclude_ucdp_drops_ucdp_only_village(gazetteer: Gazetteer, honest: Gazetteer) -> None:
    place = gazetteer.resolve(UCDP_ONLY_VILLAGE, country="SY")
    assert place is not None
    assert place.source == "ucdp"
    assert place.admin1 == "Aleppo"
    assert honest.resolve(UCDP_ONLY_VILLAGE, country="SY") is None
    assert honest.lookup(UCDP_ONLY_VILLAGE) == []


def test_exclude_ucdp_keeps_other_sources(gazetteer: Gazetteer, honest: Gazetteer) -> None:
    assert all(e.source != "ucdp" for e in honest._local.entries)
    assert {"curated", "admin"} <= {e.source for e in honest._local.entries}
    assert len(honest) < len(gazetteer)
    for name, source in (
        ("Eastern Ghouta", "curated"),  # curated
        ("Deir Ezzor province", "admin"),  # admin
        ("Douma", "geonames"),  # GeoNames
    ):
        place = honest.resolve(name, country="SY")
        assert place is not None, name
        assert place.source == source, (name, place)


def test_exclude_keeps_user_entries(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text(
        "name,lat,lon,admin1,admin2,country\nKhirbet Invented,35.1,37.2,Hama,,SY\n",
        encoding="utf-8",
    )
    assert add_user_file(places, tmp_path / "user") == 1
    loaded = Gazetteer.load(
        user_dir=tmp_path / "user", geonames=False, exclude_sources=frozenset({"ucdp"})
    )
    place = loaded.resolve("Khirbet Invented")
    assert place is not None
    assert place.source == "user"
    dropped = Gazetteer.load(
        user_dir=tmp_path / "user", geonames=False, exclude_sources=frozenset({"user"})
    )
    assert dropped.lookup("Khirbet Invented") == []


def test_exclude_default_is_unchanged(user_dir: Path, gazetteer: Gazetteer) -> None:
    again = Gazetteer.load(user_dir=user_dir, exclude_sources=frozenset())
    assert len(again) == len(gazetteer)
    assert again._local.entries == gazetteer._local.entries


def test_exclude_unknown_source_is_an_error(user_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown gazetteer sources"):
        Gazetteer.load(user_dir=user_dir, geonames=False, exclude_sources=frozenset({"ucpd"}))


# -- haversine ------------------------------------------------------------------------------


def test_haversine_known_distances() -> None:
    # Paris to London is about 343.5 km along the great circle.
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=1.0)
    # Damascus to Aleppo, about 310 km.
    assert haversine_km(33.5138, 36.2765, 36.2021, 37.1343) == pytest.approx(309.6, abs=2.0)
    # One degree of latitude and half the equator, on a sphere of the mean Earth radius.
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.01)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)
    assert haversine_km(35.0, 38.0, 35.0, 38.0) == 0.0
    assert haversine_km(36.2, 37.1, 33.5, 36.3) == haversine_km(33.5, 36.3, 36.2, 37.1)


# -- check on a tiny CSV --------------------------------------------------------------------

ALEPPO = (36.2021, 37.1343)
DOUMA = (33.5722, 36.4024)
IDLIB = (35.9306, 36.6339)
DEIR_EZZOR = (35.3359, 40.1408)

TINY_ROWS = [
    # id, year, headline, (lat, lon), where_prec, where_coordinates (must never be read)
    ("1", "2016.0", "Airstrikes on Aleppo city kill 12 civilians", ALEPPO, "1", "Aleppo town"),
    # the town beats the province and the region named beside it
    ("2", "2016.0", "Shelling on Douma in Rif Dimashq province", DOUMA, "1", "Idlib town"),
    # two towns: the first mention wins
    ("3", "2016.0", "Clashes in Idlib and Hama", IDLIB, "2", "Hama town"),
    # far off: the headline names Idlib, UCDP places the event in Deir ez-Zor
    ("4", "2016.0", "Raids on Idlib", DEIR_EZZOR, "1", "Deir ez Zor town"),
    # nothing to place
    ("5", "2016.0", "Fighting continues, many casualties reported", ALEPPO, "4", "Aleppo"),
    # another year: skipped
    ("6", "2015.0", "Airstrikes on Aleppo", ALEPPO, "1", "Aleppo town"),
]


def _write_csv(path: Path) -> Path:
    columns = ["id", "year", "source_headline", "where_prec", "where_coordinates"]
    columns += ["latitude", "longitude"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for rid, year, headline, (lat, lon), prec, where in TINY_ROWS:
            writer.writerow([rid, year, headline, prec, where, lat, lon])
    return path


def test_incident_place_prefers_specific_then_first(gazetteer: Gazetteer) -> None:
    douma = incident_place("Shelling on Douma in Rif Dimashq province", gazetteer)
    assert douma is not None
    assert douma.precision == "town"
    assert haversine_km(douma.lat, douma.lon, *DOUMA) < 5
    first = incident_place("Clashes in Idlib and Hama", gazetteer)
    assert first is not None
    assert haversine_km(first.lat, first.lon, *IDLIB) < 5
    province = incident_place("Bombardment on the Idlib province countryside", gazetteer)
    assert province is not None
    assert province.precision == "province"
    assert incident_place("Fighting continues, many casualties reported", gazetteer) is None


def test_check_on_tiny_csv(tmp_path: Path, gazetteer: Gazetteer) -> None:
    report = check(_write_csv(tmp_path / "ged.csv"), gazetteer)
    assert isinstance(report, UcdpReport)
    assert (report.rows, report.placed, report.within) == (5, 4, 3)
    assert report.share_within == pytest.approx(3 / 5)
    assert report.share_within_placed == pytest.approx(3 / 4)
    assert report.outside_country == 0
    assert report.median_km is not None
    assert report.median_km < 25
    assert report.by_precision == {
        "town": {"rows": 4, "within": 3},
        "none": {"rows": 1, "within": 0},
    }
    assert report.by_ucdp_precision["1"] == {"rows": 3, "placed": 3, "within": 2}
    # the far-off row is about 330 km out
    far = check(_write_csv(tmp_path / "ged2.csv"), gazetteer, km=400)
    assert far.within == 4


def test_check_other_year_and_empty(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = _write_csv(tmp_path / "ged.csv")
    other = check(path, gazetteer, year=2015)
    assert (other.rows, other.placed, other.within) == (1, 1, 1)
    empty = check(path, gazetteer, year=1999)
    assert (empty.rows, empty.placed, empty.share_within, empty.median_km) == (0, 0, 0.0, None)


def test_check_ignores_where_coordinates(tmp_path: Path, gazetteer: Gazetteer) -> None:
    # Row 2's where_coordinates says Idlib; the headline says Douma, and only that counts.
    report = check(_write_csv(tmp_path / "ged.csv"), gazetteer)
    assert report.within == 3


def test_check_rejects_a_csv_without_ucdp_columns(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="source_headline"):
        check(path, gazetteer)


def test_main_prints_both_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_csv(tmp_path / "ged.csv")
    assert main(["--csv", str(path)]) == 0
    out = capsys.readouterr().out
    assert "with UCDP-derived entries" in out
    assert "without UCDP-derived entries (honest)" in out
    assert "3/5 rows = 60.0%" in out
    assert main(["--csv", str(path), "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [r["exclude_sources"] for r in runs] == [[], ["ucdp"]]
    assert runs[1]["report"]["share_within"] == pytest.approx(0.6)


# -- the real check -------------------------------------------------------------------------


@pytest.mark.slow
def test_real_ucdp_check_honest_floor(honest: Gazetteer) -> None:
    if not DEFAULT_CSV.exists():
        pytest.skip(
            f"{DEFAULT_CSV} is absent: the UCDP check reads the shared UCDP GED extract "
            "beside the checkout"
        )
    report = check(DEFAULT_CSV, honest, year=2016, km=25.0)
    assert report.rows > 6000
    assert report.share_within >= HONEST_FLOOR_ALL, report
    assert report.share_within_placed >= HONEST_FLOOR_PLACED, report
