"""From reports to events: group claims that report the same incident or the same tally.

Candidates are blocked by province and a window of days, so the work grows with
the number of claims, not its square; each candidate pair is then scored on
date, place, event type, perpetrator, victims and counts, and pairs above the
threshold are joined (union-find). Tallies ("160 Russians killed since ...")
are linked only to tallies, never to incidents.

This module is the first part of the events stage: store tables, commands and
reconciliation across sources come with it.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from warlog.records import Claim

# Days apart that two reports of one incident may still be.
WINDOW_DAYS = 2
THRESHOLD = 3.0


@dataclass(frozen=True, slots=True)
class Report:
    """A claim with the facts about its article that linking needs."""

    claim: Claim
    article_id: str
    outlet: str | None
    published: date | None

    @property
    def key(self) -> str:
        return f"{self.article_id}:{self.claim.index}"

    @property
    def day(self) -> date | None:
        d = self.claim.date
        if d is not None and d.start is not None and not d.cumulative_start:
            return d.start
        return self.published if self.claim.scope == "incident" else None


@dataclass(frozen=True, slots=True)
class Group:
    """Reports found to be about one incident (or one tally)."""

    id: str
    kind: str  # incident | tally
    reports: tuple[Report, ...]


def link(reports: Iterable[Report]) -> list[Group]:
    items = sorted(reports, key=lambda r: r.key)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidates(items):
        if score(items[i], items[j]) >= THRESHOLD:
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Report]] = defaultdict(list)
    for i, r in enumerate(items):
        groups[find(i)].append(r)
    out = []
    for members in groups.values():
        kind = "tally" if members[0].claim.scope == "cumulative" else "incident"
        digest = hashlib.sha1("|".join(sorted(m.key for m in members)).encode()).hexdigest()[:12]
        out.append(Group(id=f"{kind[0]}-{digest}", kind=kind, reports=tuple(members)))
    return sorted(out, key=lambda g: (min((r.day or date.max) for r in g.reports), g.id))


def _block(r: Report) -> tuple[str, str]:
    p = r.claim.place
    if r.claim.scope == "cumulative":
        return ("tally", r.claim.outcome)
    if p is None:
        return ("?", "?")
    return (p.country, p.admin1 or "*")


def _candidates(items: list[Report]) -> Iterable[tuple[int, int]]:
    """Pairs in the same block whose days are within the window (sorted sweep per block)."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(items):
        blocks[_block(r)].append(i)
        # A province-less place also meets the places of its country's provinces.
        if r.claim.place is not None and r.claim.scope == "incident" and r.claim.place.admin1:
            blocks[(r.claim.place.country, "*")].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        dated = sorted(members, key=lambda i: items[i].day or date.min)
        for a_pos, i in enumerate(dated):
            di = items[i].day
            for j in dated[a_pos + 1 :]:
                dj = items[j].day
                if (
                    di is not None
                    and dj is not None
                    and (dj - di).days > WINDOW_DAYS + 7 * (items[i].claim.scope == "cumulative")
                ):
                    break
                pair = (min(i, j), max(i, j))
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def score(a: Report, b: Report) -> float:
    """Evidence that two reports are about the same incident (positive) or not (negative)."""
    ca, cb = a.claim, b.claim
    if (ca.scope == "cumulative") != (cb.scope == "cumulative"):
        return -math.inf
    if ca.scope == "cumulative":
        return _tally_score(a, b)
    s = 0.0
    if a.day and b.day:
        gap = abs((a.day - b.day).days)
        s += {0: 2.0, 1: 1.0, 2: 0.0}.get(gap, -3.0)
    s += _place_score(ca, cb)
    if ca.event_type != "other" and cb.event_type != "other":
        s += 1.0 if ca.event_type == cb.event_type else -1.0
    if ca.perpetrator and cb.perpetrator and ca.perpetrator.id and cb.perpetrator.id:
        s += 1.0 if ca.perpetrator.id == cb.perpetrator.id else -2.0
    kinds = {ca.victims.kind, cb.victims.kind}
    if kinds == {"civilians", "combatants"}:
        s -= 1.0
    s += _count_score(ca, cb)
    if a.article_id == b.article_id and ca.evidence.start == cb.evidence.start:
        s -= 2.0  # two counts in one sentence are usually two groups of people
    return s


def _place_score(a: Claim, b: Claim) -> float:
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        return 0.0
    if pa.country != pb.country:
        return -4.0
    km = haversine_km(pa.lat, pa.lon, pb.lat, pb.lon)
    coarse = {"province", "region", "country"} & {pa.precision, pb.precision}
    if not coarse:
        return 2.0 if km <= 10 else 1.0 if km <= 25 else -1.0 if km <= 60 else -3.0
    if pa.admin1 and pb.admin1:
        return 0.5 if pa.admin1 == pb.admin1 else -3.0
    return 0.0


def _count_score(a: Claim, b: Claim) -> float:
    va = a.low if a.low is not None else a.high
    vb = b.low if b.low is not None else b.high
    if not va or not vb or a.outcome != b.outcome:
        return 0.0
    ratio = max(va, vb) / min(va, vb)
    return 1.0 if ratio <= 1.5 else 0.0 if ratio <= 4 else -2.0


def _tally_score(a: Report, b: Report) -> float:
    ca, cb = a.claim, b.claim
    if ca.outcome != cb.outcome:
        return -math.inf
    va = ca.low if ca.low is not None else ca.high
    vb = cb.low if cb.low is not None else cb.high
    if not va or not vb:
        return -math.inf
    s = 2.0 if va == vb else 1.0 if max(va, vb) / min(va, vb) <= 1.1 else -3.0
    na, nb = ca.victims.nationality, cb.victims.nationality
    if na and nb:
        s += 1.0 if na == nb else -3.0
    if a.published and b.published:
        s += 1.0 if abs((a.published - b.published).days) <= 7 else -1.0
    return s


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))
