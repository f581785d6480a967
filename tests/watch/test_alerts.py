"""Alert rules: parsing, firing once per event and rule, again on new figures, delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest

from warlog.errors import WarlogError
from warlog.store import Store
from warlog.watch.alerts import (
    SIGNATURE_HEADER,
    Alerter,
    FileSink,
    StreamSink,
    WebhookSink,
    parse_rule,
    read_rules,
)
from watch.feedserver import FakeClock, FeedServer, Story, publish

S1 = Story("s1", "Saraqeb", 12, "2016-03-01")
# The next day the same monitor raises its toll for the same strikes.
S1_RAISED = Story("s1b", "Saraqeb", 20, "2016-03-02", weekday="Tuesday")
FAR = Story("far", "Khan Sheikhoun", 3, "2016-03-02", weekday="Wednesday")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("killed>=10", ["killed"]),
        ("wounded>5", ["wounded"]),
        ("near=Idlib km=30", ["near"]),
        ("killed>=10 near=Idlib km=30", ["killed", "near"]),
        ("actor='islamic state'", ["actor"]),
        ("conflict", ["conflict"]),
        ("revision", ["revision"]),
    ],
)
def test_alerts_parse_rule(text: str, kinds: list[str]) -> None:
    rule = parse_rule(text)
    assert [c.kind for c in rule.conditions] == kinds
    if "km=30" in text:
        assert next(c for c in rule.conditions if c.kind == "near").km == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "killed>>10",
            "Bad alert rule 'killed>>10' (--alert): 'killed>>10': write killed>=N (or >, =, <=, <)",
        ),
        ("km=30", "Bad alert rule 'km=30' (--alert): km= goes with near=PLACE"),
        ("colour=red", "Bad alert rule 'colour=red' (--alert): unknown condition 'colour'"),
        ("", "Bad alert rule '' (--alert): it is empty"),
    ],
)
def test_alerts_bad_rule_is_one_coded_error(text: str, message: str) -> None:
    with pytest.raises(WarlogError) as exc:
        parse_rule(text)
    assert exc.value.code == "E122" and exc.value.message == message


def test_alerts_rules_file_names_the_bad_line(tmp_path: Path) -> None:
    f = tmp_path / "rules.txt"
    f.write_text("# my rules\nkilled>=10\n\nnear=Nowhereville-xyz\n", "utf-8")
    with pytest.raises(WarlogError) as exc:
        read_rules(f)
    assert exc.value.code == "E119"
    f.write_text("killed>=10\nconflict\nbogus\n", "utf-8")
    with pytest.raises(WarlogError) as exc:
        read_rules(f)
    assert f"({f}:3)" in exc.value.message


def test_alerts_fire_once_and_again_on_a_raised_toll(
    server: FeedServer, clock: FakeClock, make_watcher: Any, tmp_path: Path
) -> None:
    out = tmp_path / "alerts.jsonl"
    url = server.url("/feed.xml")
    with Store("sqlite://") as store:
        rules = [parse_rule(r) for r in ("killed>=10", "near=Idlib km=30", "revision")]
        alerter = Alerter(store, rules, [FileSink(out)], clock=clock)
        w = make_watcher(store, [url], alerter=alerter)
        publish(server, "/feed.xml", [S1], etag='"v1"')
        w.poll_once()
        first = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert sorted(a["rule"] for a in first) == ["killed>=10", "near=Idlib km=30"]
        fired = first[0]
        assert fired["again"] is False and fired["event"]["killed"]["best"] == 12
        sentences = [c["sentence"] for c in fired["claims"]]
        assert any("killed at least 12 civilians" in s for s in sentences)
        event_id = fired["event_id"]

        # A story far from Idlib city with a small toll: no rule fires for it, none again for S1.
        clock.advance(61)
        publish(server, "/feed.xml", [S1, FAR], etag='"v2"')
        w.poll_once()
        assert len(out.read_text("utf-8").splitlines()) == 2

        # The monitor raises its toll: the same event, new figures, the rules fire again.
        clock.advance(61)
        publish(server, "/feed.xml", [S1, FAR, S1_RAISED], etag='"v3"')
        w.poll_once()
        lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        again = lines[2:]
        assert {a["rule"] for a in again} == {"killed>=10", "near=Idlib km=30", "revision"}
        killed = next(a for a in again if a["rule"] == "killed>=10")
        assert killed["event_id"] == event_id and killed["again"] is True
        assert killed["event"]["killed"]["best"] == 20
        revision = next(a for a in again if a["rule"] == "revision")
        assert {c["low"] for c in revision["claims"]} >= {12, 20}
        # Nothing new: nothing fires.
        assert alerter.check([event_id]) == []


def test_alerts_webhook_receives_a_signed_body(server: FeedServer, clock: FakeClock) -> None:
    server.post_statuses = [503, 500]  # two failures, then accepted
    sink = WebhookSink(server.url("/hook"), secret="s3cret", retries=3, sleep=clock.sleep)
    alert = {"rule": "killed>=10", "event_id": "i-1", "claims": []}
    assert sink.send(alert)
    posts = server.requests("/hook")
    assert len(posts) == 3 and clock.slept == [1.0, 2.0]
    body = posts[-1].body
    assert json.loads(body) == alert
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert posts[-1].headers[SIGNATURE_HEADER] == f"sha256={expected}"


def test_alerts_webhook_gives_up_after_its_retries(server: FeedServer, clock: FakeClock) -> None:
    server.post_statuses = [500] * 10
    sink = WebhookSink(server.url("/hook"), secret="k", retries=2, sleep=clock.sleep)
    assert not sink.send({"rule": "conflict"})
    assert server.count("/hook", "POST") == 3


def test_alerts_stream_sink_writes_json_lines(tmp_path: Path) -> None:
    f = tmp_path / "o.jsonl"
    with f.open("w", encoding="utf-8") as stream:
        sink = StreamSink(stream)
        sink.send({"rule": "conflict", "event_id": "i-2"})
        sink.send({"rule": "revision", "event_id": "i-2"})
    assert [json.loads(x)["rule"] for x in f.read_text("utf-8").splitlines()] == [
        "conflict",
        "revision",
    ]
