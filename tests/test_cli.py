"""The command line: help everywhere, the main job on the seeds, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from warlog.cli import main

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    res = runner.invoke(main, [command, "--help"])
    assert res.exit_code == 0
    assert main.commands[command].help, f"{command} has no docstring"
    assert "Usage: main" in res.output or "Usage:" in res.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for command in COMMANDS:
        assert f"warlog {command}" in readme, f"`warlog {command}` is missing from README.md"


def test_run_on_the_seeds_then_again(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    first = runner.invoke(main, ["run", "--db", db, str(seeds_dir)])
    assert first.exit_code == 0, first.output
    assert "5 new page(s), 6 new article(s)" in first.stderr
    assert "Russian soldiers among 35" in first.stdout
    again = runner.invoke(main, ["run", "--db", db, str(seeds_dir)])
    assert again.exit_code == 0
    assert "0 new article(s)" in again.stderr
    assert "5 page(s) already stored" in again.stderr


def test_articles_json_and_article_show(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    runner.invoke(main, ["ingest", "--db", db, str(seeds_dir)])
    res = runner.invoke(main, ["articles", "--db", db, "--json"])
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 6
    assert {r["published"] for r in rows} == {"2015-11-20", "2017-10-08", "2018-05-28", None}
    one = next(r for r in rows if r["title"].startswith("Syria: 21"))
    shown = runner.invoke(main, ["article", "--db", db, "--json", one["id"]])
    assert json.loads(shown.stdout)["text"].startswith(
        "Syria: 21 ISIS jihadists killed in Russian raids"
    )


def test_articles_date_filter(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    runner.invoke(main, ["ingest", "--db", db, str(seeds_dir)])
    res = runner.invoke(main, ["articles", "--db", db, "--json", "--since", "2017-01-01"])
    assert sorted(json.loads(x)["published"] for x in res.stdout.splitlines()) == [
        "2017-10-08",
        "2018-05-28",
    ]


def test_unknown_article_is_one_error_line(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["article", "--db", str(tmp_path / "w.db"), "deadbeef"])
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: [E113] Unknown article 'deadbeef'"


def test_stdin(runner: CliRunner, tmp_path: Path) -> None:
    page = "Mortar fire kills three in Damascus\n\n09 February 2016\n\nMortar rounds killed three people in central Damascus on Tuesday, state media said.\n"
    res = runner.invoke(main, ["ingest", "--db", str(tmp_path / "w.db"), "-"], input=page)
    assert res.exit_code == 0, res.output
    assert "1 new article(s)" in res.stderr


def test_main_is_a_click_group() -> None:
    assert isinstance(main, click.Group)
