"""Score event linking against a gold partition of articles into incidents.

Each article is represented by its main incident (the unit its lead's claims
form); the predicted partition of articles is read off the events those fall in
(articles without claims stay alone). Reported: pairwise precision and recall, B-cubed F1, and the
inflation ratio (events found / true incidents).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path


@dataclass(frozen=True, slots=True)
class LinkScores:
    articles: int
    gold_incidents: int
    predicted_events: int
    pairwise_precision: float
    pairwise_recall: float
    bcubed_f1: float

    @property
    def inflation(self) -> float:
        return self.predicted_events / self.gold_incidents if self.gold_incidents else 0.0


def score_partition(gold: dict[str, str], predicted: dict[str, str]) -> LinkScores:
    """``gold`` and ``predicted`` map each article id to a cluster label."""
    ids = sorted(gold)
    pred = {i: predicted.get(i, f"alone:{i}") for i in ids}

    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        by: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            by[labels[i]].append(i)
        return {p for members in by.values() for p in combinations(sorted(members), 2)}

    gp, pp = pairs(gold), pairs(pred)
    precision = len(gp & pp) / len(pp) if pp else 1.0
    recall = len(gp & pp) / len(gp) if gp else 1.0
    g_members: dict[str, set[str]] = defaultdict(set)
    p_members: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        g_members[gold[i]].add(i)
        p_members[pred[i]].add(i)
    bp = sum(
        len(g_members[gold[i]] & p_members[pred[i]]) / len(p_members[pred[i]]) for i in ids
    ) / len(ids)
    br = sum(
        len(g_members[gold[i]] & p_members[pred[i]]) / len(g_members[gold[i]]) for i in ids
    ) / len(ids)
    f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    return LinkScores(
        articles=len(ids),
        gold_incidents=len(set(gold.values())),
        predicted_events=len(set(pred.values())),
        pairwise_precision=precision,
        pairwise_recall=recall,
        bcubed_f1=f1,
    )


def read_clusters(path: Path) -> dict[str, str]:
    """A gold partition file (``{"clusters": [{"ids": [...], "incident": ...}]}``) as id -> label."""
    from warlog.errors import E, WarlogError

    try:
        data = json.loads(path.read_text("utf-8"))
        return {i: f"g{n}" for n, c in enumerate(data["clusters"]) for i in c["ids"]}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise WarlogError(
            E.E118,
            what=f"gold partition {path}",
            reason=f'expected {{"clusters": [{{"ids": [...]}}, ...]}} ({type(exc).__name__}: {exc})',
        ) from exc


def evaluate_links(dataset: Path, gold_path: Path, focus: str | None = "SY") -> LinkScores:
    """Ingest a JSONL dataset into a scratch store (the whole pipeline, linking included) and
    score the events each article's main incident falls in against the gold partition."""
    from warlog.ingest.tabular import parse_map
    from warlog.pipeline import ingest_paths
    from warlog.settings import IngestOptions
    from warlog.store import Store

    gold = read_clusters(gold_path)
    options = IngestOptions(
        column_map=parse_map("text=text,title=title,outlet=outlet,id=id"), focus_country=focus
    )
    with Store("sqlite://") as store:
        ingest_paths(store, [str(dataset)], options, command="eval links")
        by_external = {a.external_id: a.id for a in store.articles()}
        main = store.main_events([by_external[i] for i in gold if i in by_external])
    predicted = {ext: main[aid] for ext, aid in by_external.items() if ext in gold and aid in main}
    return score_partition(gold, predicted)
