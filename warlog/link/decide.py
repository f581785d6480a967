"""The pair decision: are two reports (or two article incidents) about the same incident?

Candidates are blocked by province and a window of days, so the work grows with
the number of reports, not its square; each candidate pair is then scored on
date, place, event type, perpetrator, victims, counts and wire copies, and pairs
at or above :data:`THRESHOLD` are joined. Tallies ("160 Russians killed since ...")
are scored only against tallies, never against incidents.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from warlog.link.weights import LINKER_V1, LinkWeights
from warlog.records import COARSE_PRECISIONS, Claim, Report

W = LINKER_V1
# Days apart that two reports of one incident may still be.
WINDOW_DAYS = W.window_days
CELL_DEG = 0.5
THRESHOLD = W.threshold
T = TypeVar("T")


def window(r: Report) -> int:
    """Days apart two reports may be and still be compared (tallies are restated for longer)."""
    return W.window_days + W.tally_window_extra_days * (r.claim.scope == "cumulative")


def blocks(r: Report) -> list[tuple[str, bool]]:
    """The blocks a report is compared within, each with whether it is the report's own.

    A place known only to its country ("in Syria") is compared with the places of every
    province of that country: those enter the country's block as guests, and two guests
    are never compared there (they meet in their own provinces' blocks).
    """
    p = r.claim.place
    if r.claim.scope == "cumulative":
        return [(f"tally|{r.claim.outcome}", True)]
    if p is None:
        return [("?", True)]
    out = (
        [(f"{p.country}|{p.admin1}", True), (f"{p.country}|*", False)]
        if p.admin1
        else [(f"{p.country}|*", True)]
    )
    if p.precision not in COARSE_PRECISIONS:
        # Towns near each other meet whatever province each was put in: a homonym or a
        # border village often lands in the neighbouring one. Cells of half a degree
        # (about 55 km), each town in its own and the eight around it.
        y, x = math.floor(p.lat / CELL_DEG), math.floor(p.lon / CELL_DEG)
        out += [
            (f"cell|{y + dy}|{x + dx}", dy == dx == 0) for dy in (-1, 0, 1) for dx in (-1, 0, 1)
        ]
    return out


def candidates(
    items: Sequence[Report], skip: Callable[[int, int], bool] | None = None
) -> Iterable[tuple[int, int]]:
    """Pairs sharing a block, at least one of them its own, whose days are within the window.

    Per block, each own member looks up the members within its window by bisection, so a
    block's guests (every province's towns in the country's block) cost nothing unless an
    own member is near them in time. An undated report meets its whole block. ``skip``
    drops pairs already decided (both settled in the store).
    """
    members: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    days = [r.day for r in items]
    for i, r in enumerate(items):
        for key, own in blocks(r):
            members[key].append((i, own))
    seen: set[tuple[int, int]] = set()
    for group in members.values():
        if not any(own for _, own in group):
            continue
        undated = [i for i, _ in group if days[i] is None]
        dated = sorted(((days[i], i) for i, _ in group if days[i] is not None))
        ordinals = [d.toordinal() for d, _ in dated]  # type: ignore[union-attr]
        w = window(items[group[0][0]])
        for i, own in group:
            if not own:
                continue
            di = days[i]
            if di is None:
                near = [j for _, j in dated] + undated
            else:
                lo = bisect_left(ordinals, di.toordinal() - w)
                hi = bisect_right(ordinals, di.toordinal() + w)
                near = [j for _, j in dated[lo:hi]] + undated
            for j in near:
                if j == i:
                    continue
                pair = (i, j) if i < j else (j, i)
                if pair in seen or (skip is not None and skip(*pair)):
                    continue
                seen.add(pair)
                yield pair


def linked(a: Report, b: Report) -> bool:
    """The decision: two units' summaries report one incident. Units of one article never
    link directly: the article told them apart on purpose."""
    return a.article_id != b.article_id and score(a, b) >= THRESHOLD


def score(a: Report, b: Report, w: LinkWeights = LINKER_V1) -> float:
    """Evidence that two reports are about the same incident (positive) or not (negative)."""
    ca, cb = a.claim, b.claim
    if (ca.scope == "cumulative") != (cb.scope == "cumulative"):
        return -math.inf
    if ca.scope == "cumulative":
        return _tally_score(a, b, w)
    s = 0.0
    if a.day and b.day:
        gap = abs((a.day - b.day).days)
        s += w.day_gap[gap] if gap < len(w.day_gap) else w.day_far
    else:
        # An undated report is compared with every report of its block: without this it
        # would join incidents years apart through itself.
        s += w.undated
    s += _place_score(ca, cb, w)
    if ca.event_type != "other" and cb.event_type != "other":
        s += w.same_type if ca.event_type == cb.event_type else w.other_type
    if ca.perpetrator and cb.perpetrator and ca.perpetrator.id and cb.perpetrator.id:
        same = ca.perpetrator.id == cb.perpetrator.id
        s += w.same_perpetrator if same else w.other_perpetrator
    kinds = {ca.victims.kind, cb.victims.kind}
    if kinds == {"civilians", "combatants"}:
        s += w.civilians_vs_combatants
    s += _count_score(ca, cb, w)
    copies = (a.copy_of is not None and a.copy_of in (b.article_id, b.copy_of)) or (
        b.copy_of is not None and b.copy_of == a.article_id
    )
    if copies and a.article_id != b.article_id:
        s += w.wire_copy
    return s


def _place_score(a: Claim, b: Claim, w: LinkWeights) -> float:
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return 0.0
    if pa.country != pb.country:
        return w.other_country
    km = haversine_km(pa.lat, pa.lon, pb.lat, pb.lon)
    if not COARSE_PRECISIONS & {pa.precision, pb.precision}:
        near, close, far, beyond = w.town_scores
        return near if km <= w.near_km else close if km <= w.close_km else far if km <= w.far_km else beyond  # fmt: skip
    if pa.admin1 and pb.admin1:
        return w.same_admin1 if pa.admin1 == pb.admin1 else w.other_admin1
    return 0.0


def _count_score(a: Claim, b: Claim, w: LinkWeights) -> float:
    va, vb = a.figure, b.figure
    if not va or not vb or a.outcome != b.outcome:
        return 0.0
    ratio = max(va, vb) / min(va, vb)
    agree, unsure, disagree = w.count_scores
    return agree if ratio <= w.close_ratio else unsure if ratio <= w.loose_ratio else disagree


def _tally_score(a: Report, b: Report, w: LinkWeights) -> float:
    ca, cb = a.claim, b.claim
    if ca.outcome != cb.outcome:
        return -math.inf
    va, vb = ca.figure, cb.figure
    if not va or not vb:
        return -math.inf
    close = max(va, vb) / min(va, vb) <= w.tally_ratio
    s = w.tally_same if va == vb else w.tally_close if close else w.tally_other
    na, nb = ca.victims.nationality, cb.victims.nationality
    if na and nb:
        s += w.same_nationality if na == nb else w.other_nationality
    if a.published and b.published:
        week = abs((a.published - b.published).days) <= w.tally_days
        s += w.tally_same_week if week else w.tally_other_week
    return s


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


class UnionFind:
    """Disjoint sets whose representative is always the smallest member, so the sets and
    their representatives do not depend on the order links arrive in."""

    def __init__(self, items: Iterable[T]) -> None:
        self.parent: dict[T, T] = {x: x for x in items}

    def find(self, x: T) -> T:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
            self.parent[hi] = lo
