"""The Python API for analysts (warlog.open), tested like the CLI: on the seeds."""

from __future__ import annotations

import inspect
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from api.helpers import seeds_store
from click.testing import CliRunner

import warlog
from warlog.analyst import COLUMNS, Ledger
from warlog.cli import main
from warlog.codec import event_json
from warlog.errors import WarlogError
from warlog.records import EventFilter

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def by_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds store built from paths (shared with the API tests)."""
    return seeds_store(tmp_path_factory)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    """The seeds ingested through the Python API: the first page as bytes, the second as a
    file object, the others by path."""
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent")
    seeds = sorted(SEEDS.glob("*.txt"))
    db = tmp_path_factory.mktemp("analyst") / "ledger.db"
    with warlog.open(str(db)) as led:
        report = led.ingest(
            [seeds[0].read_bytes(), io.BytesIO(seeds[1].read_bytes()), *map(str, seeds[2:])]
        )
        assert not report.failed, report.problems
        yield led


def test_pages_given_as_bytes_or_file_objects_make_the_same_ledger(
    ledger: Ledger, by_path: Path
) -> None:
    with warlog.open(str(by_path), readonly=True) as from_paths:
        want = [event_json(e) for e in from_paths.events()]
    assert [event_json(e) for e in ledger.events()] == want
    sources = {a.source for a in ledger.articles()}
    assert {"<bytes 1>", "<stream 2>"} <= sources


def test_events_are_the_cli_events(ledger: Ledger) -> None:
    db = ledger.store.url
    res = CliRunner().invoke(main, ["events", "--json", "--db", db])
    assert res.exit_code == 0, res.output
    cli = [json.loads(line) for line in res.stdout.splitlines()]
    assert [event_json(e, with_claims=False) for e in ledger.events()] == cli


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        pytest.param({"near": "Paris", "km": 30}, lambda e: e.place.country == "FR", id="near a place name"),
        pytest.param({"near": (48.8534, 2.3488)}, lambda e: e.place.country == "FR", id="near lat,lon"),
        pytest.param({"actor": "Islamic State"}, lambda e: e.perpetrator.id == "islamic_state", id="actor"),
        pytest.param({"kind": "tally"}, lambda e: e.kind == "tally", id="tallies"),
        pytest.param({"since": "2017-01-01"}, lambda e: e.date.end.year >= 2017, id="since an ISO day"),
    ],
)  # fmt: skip
def test_event_filters(ledger: Ledger, filters: dict, check: object) -> None:
    everything = ledger.events()
    found = ledger.events(**filters)
    assert found and len(found) < len(everything)
    assert all(check(e) for e in found)  # type: ignore[operator]


def test_one_event_by_prefix_and_its_claims(ledger: Ledger) -> None:
    first = ledger.events(limit=1)[0]
    assert ledger.event(first.id[:6]).id == first.id
    killed = ledger.claims(outcome="killed")
    assert killed and all(c.outcome == "killed" for c in killed)
    with pytest.raises(WarlogError, match=r"E117"):
        ledger.event("i-nosuchevent")


def test_a_bad_day_is_one_clear_error(ledger: Ledger) -> None:
    with pytest.raises(WarlogError, match=r"\[E118\] Bad since: 'last week' is not a day"):
        ledger.events(since="last week")


def test_to_pandas_is_one_row_per_event(ledger: Ledger) -> None:
    pytest.importorskip("pandas")
    events = ledger.events()
    frame = events.to_pandas()
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["id"]) == [e.id for e in events]
    paris = ledger.events(near="Paris")[0]
    assert frame.set_index("id").loc[paris.id, "killed_best"] == paris.estimate("killed").best


@pytest.mark.parametrize("method", ["to_pandas", "to_polars"])
def test_a_missing_extra_is_named(
    ledger: Ledger, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = method.removeprefix("to_")
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    with pytest.raises(
        WarlogError,
        match=rf"\[E133\] {module} is not installed: `pip install 'warlog\[{module}\]'`",
    ):
        getattr(ledger.events(), method)()


def test_ledger_events_takes_every_event_filter_with_its_default() -> None:
    """Ledger.events builds its EventFilter from the fields of EventFilter: a new filter
    field must be a keyword of Ledger.events too, with the same default (and ``near``'s
    default is no radius, as EventFilter's)."""
    params = inspect.signature(Ledger.events).parameters
    for f in fields(EventFilter):
        assert f.name in params, f"Ledger.events lacks the filter {f.name!r}"
        assert params[f.name].default == f.default, f.name


@pytest.mark.parametrize(
    ("filters", "where"),
    [
        pytest.param({"claimant": "Syrian Observatory"}, {"claimant": "Syrian Observatory"}, id="claimant"),
        pytest.param({"outlet": "dpa"}, {"outlet": "dpa"}, id="outlet"),
        pytest.param({"event_type": "armed clash"}, {"event_type": "armed clash"}, id="event type"),
        pytest.param({"conflicting": True}, {"conflicting": True}, id="conflicting"),
        pytest.param({"flagged": True, "focus_country": "FR"}, {"flagged": True, "focus_country": "FR"}, id="flagged abroad"),
        pytest.param({"until": "2016-12-31"}, {"until": date(2016, 12, 31)}, id="until an ISO day"),
    ],
)  # fmt: skip
def test_each_keyword_is_its_event_filter_field(ledger: Ledger, filters: dict, where: dict) -> None:
    """Each keyword narrows the ledger as the store's EventFilter field of its name does."""
    everything = {e.id for e in ledger.events()}
    found = [e.id for e in ledger.events(**filters)]
    assert found and set(found) < everything
    assert found == [e.id for e in ledger.store.events(EventFilter(**where))]
