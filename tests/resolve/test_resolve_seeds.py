"""Where and when on the founding seeds: claims placed and dated against publication."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from warlog.clean.page import clean_page
from warlog.extract import Extractor
from warlog.ingest import Input, read
from warlog.records import ArticleClaims, RawPage
from warlog.resolve import Resolver
from warlog.settings import IngestOptions


@pytest.fixture(scope="module")
def resolved() -> dict[str, list[ArticleClaims]]:
    from conftest import SEEDS

    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent")
    ex, rs = Extractor(), Resolver()
    out: dict[str, list[ArticleClaims]] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        pages = [p for p in read(Input(str(path), path), IngestOptions()) if isinstance(p, RawPage)]
        out[path.name[:3]] = [rs.resolve(ex.extract(a)) for a in clean_page(pages[0])]
    return out


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_thursday_claims_are_dated_the_day_before_friday_publication(resolved, prefix: str) -> None:
    res = resolved[prefix][0]
    assert res.article.published == date(2015, 11, 20)
    assert res.lead is not None and res.lead.date is not None
    assert res.lead.date.start == date(2015, 11, 19)
    dated = [
        c for c in res.claims if c.low == 160 and c.date and c.date.start == date(2015, 11, 19)
    ]
    assert dated


def test_mayadeen_attack_is_placed_and_dated(resolved) -> None:
    lead = resolved["004"][0].lead
    assert lead is not None and lead.place is not None and lead.date is not None
    assert lead.date.start == date(2018, 5, 23)
    assert lead.place.precision == "town"
    assert lead.place.admin1 == "Deir Ezzor"
    assert abs(lead.place.lat - 35.02) < 0.05 and abs(lead.place.lon - 40.45) < 0.05


def test_homs_desert_attack_is_a_region_on_tuesday(resolved) -> None:
    (c,) = [c for c in resolved["004"][0].claims if c.low == 26]
    assert c.date is not None and c.date.start == date(2018, 5, 22)
    assert c.place is not None and c.place.precision == "region" and c.place.admin1 == "Homs"


def test_saturday_night_to_sunday_window(resolved) -> None:
    (c,) = [c for c in resolved["004"][0].claims if c.low == 11]
    assert c.date is not None and (c.date.start, c.date.end) == (
        date(2018, 5, 26),
        date(2018, 5, 27),
    )


def test_002_strikes_are_at_mayadeen(resolved) -> None:
    res = resolved["002"][0]
    assert res.lead is not None and res.lead.place is not None
    assert res.lead.place.name.replace("ā", "a").replace("ī", "i").endswith("Mayadin")
    (civ,) = [c for c in res.claims if c.low == 14]
    assert civ.place is not None and civ.place.name == res.lead.place.name


def test_003_relative_dates_stay_unresolved_without_publication(resolved) -> None:
    res = resolved["003"][0]
    assert res.article.published is None
    relative = [c for c in res.claims if c.date_text and "Saturday" in c.date_text]
    assert relative and all(c.date is not None and c.date.start is None for c in relative)


def test_gazetteer_add_command(tmp_path: Path, runner) -> None:
    from warlog.cli import main
    from warlog.resolve.gazetteer import Gazetteer

    row = [
        "9999001",
        "Tell Qaranful",
        "Tell Qaranful",
        "Tal Qaranfel",
        "35.1234",
        "40.2345",
        "P",
        "PPL",
        "SY",
        "",
        "04",
        "",
        "",
        "",
        "0",
        "0",
        "250",
        "Asia/Damascus",
        "2024-01-01",
    ]
    dump = tmp_path / "SY.txt"
    dump.write_text("\t".join(row) + "\n", "utf-8")
    res = runner.invoke(main, ["gazetteer", "add", str(dump), "--data-dir", str(tmp_path / "data")])
    assert res.exit_code == 0, res.output
    place = Gazetteer.load(user_dir=tmp_path / "data", geonames=False).resolve(
        "near Tal Qaranfel", country="SY"
    )
    assert place is not None and abs(place.lat - 35.1234) < 1e-3 and place.source == "user"
    bad = tmp_path / "bad.txt"
    bad.write_text("not a gazetteer\n", "utf-8")
    res = runner.invoke(main, ["gazetteer", "add", str(bad), "--data-dir", str(tmp_path / "data")])
    assert res.exit_code == 1 and "bad.txt:1" in res.output and "Traceback" not in res.output


def test_the_day_of_a_statement_is_not_the_day_of_the_deaths(resolved) -> None:
    # "Moscow's Defense Ministry said on Sunday four of its servicemen were killed": Sunday is when
    # it spoke; the words stay, the day is not given as the incident's.
    (c,) = [c for c in resolved["004"][0].claims if c.low == 4 and "servicemen" in c.victims.text]
    assert c.date is not None and c.date.text == "on Sunday" and c.date.start is None
