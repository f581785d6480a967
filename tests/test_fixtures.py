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
