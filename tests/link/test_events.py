"""Events in the store: the seeds' must-shows, incremental linking equal to a rebuild, commands."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS

from warlog.cli import main
from warlog.codec import event_json
from warlog.link.incremental import rebuild
from warlog.pipeline import ingest_paths
from warlog.store import Store


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent: these tests read the shared seeds")
    url = f"sqlite:///{tmp_path_factory.mktemp('events') / 'seeds.db'}"
    with Store(url) as store:
        ingest_paths(store, [str(SEEDS)])
    yield url


@pytest.fixture(scope="module")
def events(seeds_db: str) -> list[dict[str, Any]]:
    # These tests read the public JSON (the README's fields) of the stored events.
    with Store(seeds_db) as store:
        return [event_json(e) for e in store.events()]


def _with_claim(events: list[dict[str, Any]], seed: str, low: int) -> dict[str, Any]:
    """The event holding a claim of ``low`` from the seed file whose name starts with ``seed``."""
    for e in events:
        for r in e["claims"]:
            if r["claim"]["low"] == low and seed in r["claim"]["evidence"]["sentence"] + r.get(
                "title", ""
            ):
                return e
    raise AssertionError(f"no event with {low} from {seed!r}")


def _by_text(events: list[dict[str, Any]], words: str, low: int) -> dict[str, Any]:
    found = [
        e
        for e in events
        for r in e["claims"]
        if r["claim"]["low"] == low and words in r["claim"]["evidence"]["sentence"]
    ]
    assert found, f"no claim of {low} in a sentence with {words!r}"
    return found[0]


def _estimate(e: dict[str, Any], group: str, outcome: str = "killed") -> dict[str, Any]:
    return next(x for x in e["estimates"] if x["group"] == group and x["outcome"] == outcome)


def test_000_and_001_are_one_tally_of_160_from_two_outlets(events) -> None:
    tally = _by_text(events, "160", 160)
    assert tally["kind"] == "tally"
    assert tally["n_outlets"] == 2
    assert tally["killed"]["low"] == tally["killed"]["high"] == 160
    assert not tally["conflict"]


def test_mayadeen_attack_is_one_event_with_its_russian_deaths_in_conflict(events) -> None:
    e = _by_text(events, "There were 35 pro-government forces killed", 35)
    assert e["date"]["start"] == "2018-05-23"
    assert e["place"]["admin1"] == "Deir Ezzor"
    russians = _estimate(e, "nationality:Russian")
    assert (russians["low"], russians["high"]) == (4, 9)
    assert russians["conflict"]
    said = {s["name"]: s["count_text"] for s in russians["sources"]}
    assert said["Russian Ministry of Defence"] == "four"
    assert said["Conflict Intelligence Team"] == "up to six"
    assert "nine" in said["Syrian Observatory for Human Rights"]
    total = _estimate(e, "total")
    assert total["low"] == total["best"] == 35
    assert any(s["name"] == "Syrian Observatory for Human Rights" for s in total["sources"])
    assert e["conflict"]


def test_homs_desert_and_deir_ezzor_assaults_are_separate_events(events) -> None:
    mayadeen = _by_text(events, "There were 35 pro-government forces killed", 35)
    homs = _by_text(events, "26", 26)
    deir = _by_text(events, "at least 11", 11)
    assert len({mayadeen["id"], homs["id"], deir["id"]}) == 3
    assert homs["date"]["start"] == "2018-05-22"
    assert deir["date"]["start"] == "2018-05-26"


def test_paris_attacks_are_their_own_event_not_syrian(events) -> None:
    paris = _by_text(events, "129", 129)
    assert paris["place"]["country"] == "FR"
    assert {r["claim"]["low"] for r in paris["claims"]} == {129}


def test_every_claim_of_the_seeds_is_in_exactly_one_event(seeds_db: str, events) -> None:
    with Store(seeds_db) as store:
        claims = store.claims()
    keys = [r["key"] for e in events for r in e["claims"]]
    assert len(keys) == len(set(keys)) == len(claims)


def _partition(url: str) -> set[tuple[str, tuple[str, ...], Any]]:
    with Store(url) as store:
        return {
            (e["id"], tuple(sorted(r["key"] for r in e["claims"])), json.dumps(e["estimates"]))
            for e in map(event_json, store.events())
        }


@pytest.mark.slow
def test_incremental_linking_equals_a_rebuild(tmp_path: Path, seeds_db: str) -> None:
    """Seeds ingested one file at a time, newest first, give the events of a full relink."""
    url = f"sqlite:///{tmp_path / 'inc.db'}"
    with Store(url) as store:
        for path in sorted(SEEDS.glob("*.txt"), reverse=True):
            ingest_paths(store, [str(path)])
    incremental = _partition(url)
    assert incremental == _partition(seeds_db)
    with Store(url) as store, store.transaction() as tx:
        rebuild(tx.links)
    assert _partition(url) == incremental


def test_relinking_after_reingesting_the_same_files_changes_nothing(
    tmp_path: Path, seeds_db: str
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(seeds_db.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    before = _partition(url)
    with Store(url) as store:
        ingest_paths(store, [str(SEEDS)])
    assert _partition(url) == before


# --- commands -----------------------------------------------------------------------------


def test_events_json_and_filters(runner, seeds_db: str) -> None:
    res = runner.invoke(main, ["events", "--db", seeds_db, "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert rows and all("killed" in r and "claims" not in r for r in rows)
    res = runner.invoke(main, ["events", "--db", seeds_db, "--json", "--conflicting"])
    conflicting = [json.loads(line) for line in res.output.splitlines()]
    assert conflicting and all(r["conflict"] for r in conflicting)
    res = runner.invoke(
        main,
        ["events", "--db", seeds_db, "--json", "--since", "2018-05-23", "--until", "2018-05-23"],
    )
    days = [json.loads(line) for line in res.output.splitlines()]
    assert days and all(r["date"]["start"] <= "2018-05-23" <= r["date"]["end"] for r in days)
    res = runner.invoke(main, ["events", "--db", seeds_db, "--json", "--actor", "islamic state"])
    assert all(
        (r["perpetrator"] or {}).get("name") == "Islamic State"
        for r in map(json.loads, res.output.splitlines())
    )


def test_events_near_a_place(runner, seeds_db: str) -> None:
    res = runner.invoke(
        main, ["events", "--db", seeds_db, "--json", "--near", "Mayadin", "--km", "15"]
    )
    assert res.exit_code == 0, res.output
    near = [json.loads(line) for line in res.stdout.splitlines()]
    assert near and all(r["place"]["name"] == "Al Mayādīn" for r in near)
    # The place used is said on stderr (a name can match a place the user did not mean).
    assert "near Al Mayādīn (SY), 35.0198,40.4515, within 15 km" in res.stderr
    res = runner.invoke(
        main, ["events", "--db", seeds_db, "--json", "--near", "35.02,40.45", "--km", "15"]
    )
    assert [json.loads(line)["id"] for line in res.stdout.splitlines()] == [r["id"] for r in near]
    res = runner.invoke(main, ["events", "--db", seeds_db, "--near", "Nowhereville Xq"])
    assert res.exit_code == 1 and "E119" in res.output
    res = runner.invoke(main, ["events", "--db", seeds_db, "--near", "95,40"])
    assert res.exit_code == 1 and "E118" in res.output


@pytest.mark.parametrize(
    ("typed", "suggestion"), [("Mayaden", "Al Mayādīn"), ("Damscus", "Damascus")]
)
def test_events_near_refuses_a_misspelt_place_with_a_suggestion(
    runner, seeds_db: str, typed: str, suggestion: str
) -> None:
    """Regression: a mistyped name silently searched around the fuzzy match."""
    res = runner.invoke(main, ["events", "--db", seeds_db, "--near", typed])
    assert res.exit_code == 1
    assert (
        f"[E124] No place called {typed!r} in the gazetteer; did you mean {suggestion!r}?"
        in res.output
    )


def test_show_lists_every_claim_side_by_side(runner, seeds_db: str, events) -> None:
    e = _by_text(events, "There were 35 pro-government forces killed", 35)
    res = runner.invoke(main, ["show", "--db", seeds_db, e["id"][:8]])
    assert res.exit_code == 0, res.output
    for words in (
        "Sources disagree",
        "Conflict Intelligence Team",
        "up to six",
        "nationality:Russian",
    ):
        assert words in res.output
    res = runner.invoke(main, ["show", "--db", seeds_db, "i-doesnotexist"])
    assert res.exit_code == 1 and "E117" in res.output and "Traceback" not in res.output


def test_export_formats(runner, seeds_db: str, tmp_path: Path) -> None:
    from warlog.export import ACLED_COLUMNS, UCDP_COLUMNS

    res = runner.invoke(main, ["export", "--db", seeds_db, "--format", "ucdp-csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert tuple(rows[0]) == UCDP_COLUMNS
    mayadeen = next(r for r in rows if r["date_start"] == "2018-05-23")
    assert (mayadeen["low"], mayadeen["best"], mayadeen["high"]) == ("35", "35", "35")
    assert mayadeen["where_prec"] == "1" and mayadeen["country"] == "Syria"
    assert "Syrian Observatory for Human Rights" in mayadeen["source_original"]

    out = tmp_path / "acled.csv"
    res = runner.invoke(
        main, ["export", "--db", seeds_db, "--format", "acled-csv", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert all(r["event_type"] for r in rows)
    m = next(r for r in rows if r["event_date"] == "2018-05-23")
    assert m["fatalities"] == "35" and "Sources disagree" in m["notes"]

    res = runner.invoke(main, ["export", "--db", seeds_db, "--format", "geojson"])
    fc = json.loads(res.output)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    assert all(f["geometry"]["type"] == "Point" for f in fc["features"])

    res = runner.invoke(main, ["export", "--db", seeds_db, "--format", "jsonl"])
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert lines and all("claims" in x and "estimates" in x for x in lines)

    res = runner.invoke(main, ["export", "--db", seeds_db, "--format", "shapefile"])
    assert res.exit_code == 2  # click names the allowed choices


def test_run_prints_the_ledger(runner, tmp_path: Path) -> None:
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent")
    res = runner.invoke(main, ["run", "--db", str(tmp_path / "r.db"), str(SEEDS)])
    assert res.exit_code == 0, res.output
    assert "Ledger:" in res.output and "conflict" in res.output and "tally" in res.output


def test_postgresql_gives_the_same_events(pg_url: str, seeds_db: str) -> None:
    """The ledger is the same on both backends (a fresh schema on the test server)."""
    with Store(pg_url) as store:
        ingest_paths(store, [str(SEEDS)])
    assert _partition(pg_url) == _partition(seeds_db)


def test_eval_links_names_a_bad_gold_file(runner, tmp_path: Path) -> None:
    dataset = tmp_path / "d.jsonl"
    dataset.write_text('{"id": "a", "text": "Ten people were killed."}\n', "utf-8")
    for body in ("not json", '{"clusters": [{"members": []}]}', "[1, 2]"):
        gold = tmp_path / "gold.json"
        gold.write_text(body, "utf-8")
        res = runner.invoke(main, ["eval", "links", str(dataset), str(gold)])
        assert res.exit_code == 1, res.output
        assert "E118" in res.output and "gold partition" in res.output
        assert "Traceback" not in res.output


def test_events_filters_perpetrator_claimant_outlet_and_flags(runner, seeds_db: str) -> None:
    def ids(*args: str) -> list[dict[str, Any]]:
        res = runner.invoke(main, ["events", "--db", seeds_db, "--json", *args])
        assert res.exit_code == 0, res.output
        return [json.loads(line) for line in res.stdout.splitlines()]

    by_outlet = ids("--outlet", "press tv")
    assert by_outlet and all("Press TV" in e["outlets"] for e in by_outlet)
    assert ids("--actor", "press tv") == []  # the perpetrator only
    by_claimant = ids("--claimant", "ministry of defence")
    assert by_claimant and all(
        any("Ministry of Defence" in c for c in e["claimants"]) for e in by_claimant
    )
    # The seeds are about Syria: the Paris attacks are flagged as abroad, unless the
    # collection is said to be about France (then the Syrian events are).
    flagged = ids("--flagged")
    assert "FR" in {(e["place"] or {}).get("country") for e in flagged}
    assert all(e["flags"] for e in flagged)
    in_france = ids("--flagged", "--focus-country", "FR")
    assert "FR" not in {(e["place"] or {}).get("country") for e in in_france}
