"""Shape of the hand-made linking gold set: a full partition of the FA-KES dev articles."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "fakes_dev_clusters.json"


def test_clusters_partition_the_dev_set(fakes_dev: Path) -> None:
    gold = json.loads(FIXTURE.read_text("utf-8"))
    assert gold["source_sha256"] == hashlib.sha256(fakes_dev.read_bytes()).hexdigest()
    ids = [i for c in gold["clusters"] for i in c["ids"]]
    dev = {
        json.loads(line)["id"] for line in fakes_dev.read_text("utf-8").splitlines() if line.strip()
    }
    assert len(ids) == len(set(ids)), "an article in two clusters"
    assert set(ids) == dev
    assert all(c["ids"] for c in gold["clusters"])
    assert all("incident" in c for c in gold["clusters"] if len(c["ids"]) > 1)


CLAIMS_GOLD = Path(__file__).resolve().parent / "fixtures" / "claims_gold.jsonl"


def test_claims_gold_is_every_sixth_dev_line_and_quotes_its_articles(fakes_dev: Path) -> None:
    from warlog.evaluate.claims import read_gold

    dev = [json.loads(line) for line in fakes_dev.read_text("utf-8").splitlines() if line.strip()]
    raw = [json.loads(line) for line in CLAIMS_GOLD.read_text("utf-8").splitlines()]
    # The selection rule of tests/fixtures/README.md: lines 1, 7, 13, ... of dev.jsonl.
    assert [r["line"] for r in raw] == list(range(1, len(dev) + 1, 6))
    assert [r["article"] for r in raw] == [dev[r["line"] - 1]["id"] for r in raw]
    claimants = {
        c["id"]
        for c in json.loads(
            (Path(__file__).resolve().parents[1] / "warlog/data/claimants.json").read_text("utf-8")
        )["claimants"]
    }
    gold = read_gold(CLAIMS_GOLD)  # also checks outcomes, scopes and bounds
    assert len(gold) >= 40
    for r, g in zip(raw, gold, strict=True):
        row = dev[r["line"] - 1]
        for c in g.claims:
            assert c.evidence in row["text"] or c.evidence in row["title"], (g.id, c.evidence)
            assert c.claimant is None or c.claimant in claimants, c.claimant
            assert c.low is None or c.high is None or c.low <= c.high
