"""``warlog watch`` and ``warlog feeds`` from the command line."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from warlog.cli import main
from warlog.cli.watch import parse_duration
from watch.feedserver import FeedServer, Route, Story, publish

S1 = Story("s1", "Saraqeb", 12, "2016-03-01")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("1h", 3600.0), ("1.5d", 129600.0)],
)
def test_cli_watch_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("args", "files", "line"),
    [
        ([], {}, "Error: [E120] No feeds to watch: give a FEEDS_FILE or --feed URL (or watch a store that has feeds)"),
        (["--feed", "ftp://x/feed"], {}, "Error: [E121] Bad feed URL 'ftp://x/feed' (--feed): expected an http:// or https:// address"),
        (["feeds.txt"], {"feeds.txt": "# mine\nhttp://127.0.0.1:18600/a.xml\nfeed.example/rss\n"}, "Error: [E121] Bad feed URL 'feed.example/rss' (feeds.txt:3): expected an http:// or https:// address"),
        (["--feed", "http://127.0.0.1:18600/a.xml", "--interval", "soon"], {}, "Error: [E123] Bad duration 'soon': expected a number with s, m, h or d (e.g. 90s, 15m, 1h)"),
        (["--feed", "http://127.0.0.1:18600/a.xml", "--alert", "killed>>1"], {}, "Error: [E122] Bad alert rule 'killed>>1' (--alert): 'killed>>1': write killed>=N (or >, =, <=, <)"),
    ],
)  # fmt: skip
def test_cli_watch_bad_input_is_one_error_line(
    runner: CliRunner,
    args: list[str],
    files: dict[str, str],
    line: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        Path(name).write_text(text, "utf-8")
    result = runner.invoke(main, ["watch", *args, "--db", "w.db", "--once"])
    assert result.exit_code == 1
    assert result.stderr.strip() == line


def test_cli_watch_once_ingests_alerts_and_reports(
    runner: CliRunner, server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(server, "/feed.xml", [S1], etag='"v1"')
    server.set("/gone.xml", Route(b"", status=410))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(
        f"{server.url('/feed.xml')}  # Levant Wire\n{server.url('/gone.xml')}\n", "utf-8"
    )
    db = str(tmp_path / "w.db")
    monkeypatch.setenv("WARLOG_WEBHOOK_SECRET", "k3y")
    alerts = tmp_path / "alerts.jsonl"
    result = runner.invoke(
        main,
        [
            "watch", str(feeds), "--db", db, "--once", "--min-delay", "0.05", "--contact", "ops@example.org",
            "--alert", "killed>=10", "--alert-to", "-", "--alert-to", str(alerts), "--alert-to", server.url("/hook"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Polled 2 feed(s): 1 new article(s)" in result.stderr
    (alert,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert alert["rule"] == "killed>=10" and alert["event"]["killed"]["best"] == 12
    assert [json.loads(x) for x in alerts.read_text("utf-8").splitlines()] == [alert]
    (post,) = server.requests("/hook")
    signature = hmac.new(b"k3y", post.body, hashlib.sha256).hexdigest()
    assert post.headers["X-Warlog-Signature"] == f"sha256={signature}"
    assert json.loads(post.body) == alert
    assert "ops@example.org" in server.requests("/feed.xml")[0].headers["User-Agent"]

    status = runner.invoke(main, ["feeds", "--db", db, "--json"])
    rows = {r["url"]: r for r in map(json.loads, status.stdout.splitlines())}
    assert rows[server.url("/feed.xml")]["articles_found"] == 1
    assert rows[server.url("/feed.xml")]["state"] == "ok"
    assert rows[server.url("/gone.xml")]["last_status"] == 410
    assert rows[server.url("/gone.xml")]["state"] == "backing off"
    table = runner.invoke(main, ["feeds", "--db", db])
    assert "Levant Wire" in table.stdout and "2 feed(s)" in table.stdout

    # Again at once: nothing is due, nothing is fetched.
    before = len(server.hits)
    again = runner.invoke(main, ["watch", "--db", db, "--once"])
    assert again.exit_code == 0 and "Polled 0 feed(s)" in again.stderr
    assert len(server.hits) == before
