"""Score event linking against a gold partition of articles into incidents.

Each article is represented by its lead claim; the predicted partition of
articles is read off the groups those claims fall in (articles without a lead
stay alone). Reported: pairwise precision and recall, B-cubed F1, and the
inflation ratio (events found / true incidents).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations


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
