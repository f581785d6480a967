"""A store that says what is wrong (issue 17): `warlog doctor`, damaged and foreign files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from warlog.cli import main
from warlog.store import Store

PAGES = {
    "a.txt": "Rebels shell Aleppo\n\n04 May 2016\n\n"
    "Rebel shelling killed seven civilians in western Aleppo on Tuesday, state media said.\n",
    "b.txt": "Strike on Idlib\n\n05 May 2016\n\n"
    "An air strike killed twelve people in the town of Saraqeb on Wednesday, activists said.\n",
}


def _cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def filled(tmp_path: Path, db_url: str) -> str:
    """A store (SQLite file or PostgreSQL schema) holding two ingested pages."""
    for name, body in PAGES.items():
        (tmp_path / name).write_text(body, "utf-8")
    res = _cli("ingest", "--db", db_url, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert res.exit_code == 0, res.output
    return db_url


def _events(url: str) -> list[dict]:
    res = _cli("events", "--db", url, "--json")
    assert res.exit_code == 0, res.output
    return [json.loads(ln) for ln in res.stdout.splitlines()]


def _sql(url: str, *statements: str) -> None:
    with Store(url) as store, store.transaction() as tx:
        for s in statements:
            tx.conn.execute(text(s))


def _errors(res: Result) -> list[str]:
    return [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]


def test_doctor_passes_a_good_store(filled: str) -> None:
    res = _cli("doctor", "--db", filled)
    assert res.exit_code == 0, res.output
    assert res.stdout.strip().endswith("no problems found.")
    assert _errors(res) == []


def test_doctor_names_each_problem_and_repairs_them(filled: str) -> None:
    before = _events(filled)
    assert before
    _sql(
        filled,
        "UPDATE events SET data = '{broken' WHERE id = (SELECT min(id) FROM events)",
        "UPDATE claims SET data = '[' WHERE id = (SELECT min(id) FROM claims)",
    )
    # Reading the tampered store is one E130 line, not a JSONDecodeError traceback.
    res = _cli("events", "--db", filled, "--json")
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: [E130] The store ") and len(res.stderr.splitlines()) == 1

    res = _cli("doctor", "--db", filled)
    assert res.exit_code == 1
    errors = _errors(res)
    assert len(errors) == 2, errors
    assert any("[E132] events row" in e and "undecodable JSON" in e for e in errors)
    assert any("[E132] claims row" in e and "re-extracts its article" in e for e in errors)

    res = _cli("doctor", "--db", filled, "--repair")
    assert res.exit_code == 0, res.output
    assert "repaired: links rebuilt" in res.stderr
    assert _cli("doctor", "--db", filled).exit_code == 0
    assert _events(filled) == before


def test_doctor_finds_and_rebuilds_a_damaged_full_text_index(tmp_path: Path) -> None:
    for name, body in PAGES.items():
        (tmp_path / name).write_text(body, "utf-8")
    db = str(tmp_path / "w.db")
    assert (
        _cli("ingest", "--db", db, str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).exit_code == 0
    )
    _sql(
        f"sqlite:///{db}",
        "DELETE FROM articles_fts WHERE rowid = (SELECT min(rowid) FROM articles_fts)",
        "DELETE FROM events WHERE id = (SELECT min(id) FROM events)",
    )
    res = _cli("doctor", "--db", db)
    assert res.exit_code == 1
    assert sorted(_errors(res)) == [
        "error: [E132] 1 article(s) missing from the full-text index; "
        "--repair rebuilds the full-text index",
        "error: [E132] 1 linking unit(s) point to a missing event; --repair rebuilds the links",
    ]
    res = _cli("doctor", "--db", db, "--repair")
    assert res.exit_code == 0, res.output
    with Store(f"sqlite:///{db}") as s:
        assert len(s.search_articles("shelling")) == 1 and len(s.search_articles("strike")) == 1


def test_flipped_bytes_are_one_line_never_a_traceback(filled: str, tmp_path: Path) -> None:
    if not filled.startswith("sqlite"):
        pytest.skip("flipping a file's bytes is a SQLite matter")
    db = Path(filled.removeprefix("sqlite:///"))
    broken = tmp_path / "broken.db"
    shutil.copy(db, broken)
    data = bytearray(broken.read_bytes())
    for page in range(2, len(data) // 4096):  # every page but the header's
        for k in range(100, 4000):  # the whole page body, wherever its rows lie
            data[page * 4096 + k] ^= 0xFF
    broken.write_bytes(data)
    for cmd in (["events", "--json"], ["articles"], ["ingest", str(db.parent / "a.txt")]):
        res = _cli(cmd[0], "--db", str(broken), *cmd[1:])
        assert res.exit_code == 1, (cmd, res.stdout[:300], res.stderr[:300])
        assert res.stderr.startswith("Error: [E130] The store "), res.stderr
        assert len(res.stderr.splitlines()) == 1
        assert res.exception is None or isinstance(res.exception, SystemExit)
    res = _cli("doctor", "--db", str(broken))
    assert res.exit_code == 1
    assert _errors(res) and all("[E132]" in e for e in _errors(res))
    assert "Traceback" not in res.output


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "an empty, 0-byte file"), (b"id,text\n1,hello\n", "not a SQLite database")],
    ids=["empty", "csv"],
)
@pytest.mark.parametrize("command", ["ingest", "events", "doctor"])
def test_a_file_that_is_not_a_store_is_refused_and_left_untouched(
    tmp_path: Path, content: bytes, reason: str, command: str
) -> None:
    target = tmp_path / "notes.db"
    target.write_bytes(content)
    (tmp_path / "a.txt").write_text(PAGES["a.txt"], "utf-8")
    args = [command, "--db", str(target)] + (
        [str(tmp_path / "a.txt")] if command == "ingest" else []
    )
    res = _cli(*args)
    assert res.exit_code == 1
    assert res.stderr.strip() == (
        f"Error: [E129] {target} is not a warlog store ({reason}); "
        "name another file, it is left untouched"
    )
    assert target.read_bytes() == content


def test_interrupted_runs_are_marked(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    with Store(f"sqlite:///{db}") as s:
        s.start_run("ingest")  # never finished, as after a kill -9
        done = s.start_run("ingest")
        s.finish_run(done, 0, 0, 0, 0)
    res = _cli("runs", "--db", db, "--json")
    assert [json.loads(ln)["status"] for ln in res.stdout.splitlines()] == [
        "interrupted",
        "finished",
    ]
    res = _cli("doctor", "--db", db)
    assert res.exit_code == 0  # a note, not damage
    assert "note: run 1 (ingest, started" in res.stderr and "was interrupted" in res.stderr
