"""From reports to events: the link stage.

1. :mod:`units`: inside each article, claims about one incident form a unit.
2. :mod:`decide`: units of different articles are compared within blocks (province x
   a window of days); pairs that score at least ``THRESHOLD`` are joined (union-find).
3. :mod:`events`: each connected set of units is an event, with one place, one date,
   one type and the figures that :mod:`reconcile` draws from its sources.

:func:`link` does it all in memory; :mod:`incremental` does it over a store's link tables,
and gives the same events as linking everything at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from warlog.link.decide import THRESHOLD, UnionFind, candidates, haversine_km, linked, score
from warlog.link.events import build_event
from warlog.link.units import Unit, article_units
from warlog.records import Event, Report

__all__ = [
    "THRESHOLD",
    "Report",
    "Unit",
    "article_units",
    "build_event",
    "components",
    "haversine_km",
    "link",
    "linked",
    "score",
    "units_of",
]


def units_of(reports: Iterable[Report], leads: Mapping[str, Sequence[int]]) -> list[Unit]:
    by_article: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_article[r.article_id].append(r)
    out: list[Unit] = []
    for aid in sorted(by_article):
        out += article_units(by_article[aid], leads.get(aid, ()))
    return out


def components(units: Sequence[Unit], settled: Mapping[str, str] | None = None) -> list[list[Unit]]:
    """Connected sets of units. ``settled`` (unit key -> event id) pre-joins units already
    known to share an event; only pairs with at least one unsettled unit are scored."""
    items = sorted(units, key=lambda u: u.key)
    settled = settled or {}
    sets = UnionFind(range(len(items)))
    first_of: dict[str, int] = {}
    for i, u in enumerate(items):
        ev = settled.get(u.key)
        if ev is not None:
            sets.union(first_of.setdefault(ev, i), i)
    reps = [u.rep for u in items]
    known = [u.key in settled for u in items]

    # Settled pairs were decided when they were linked.
    for i, j in candidates(reps, lambda i, j: known[i] and known[j]):
        if linked(reps[i], reps[j]):
            sets.union(i, j)
    groups: dict[int, list[Unit]] = defaultdict(list)
    for i, u in enumerate(items):
        groups[sets.find(i)].append(u)
    return list(groups.values())


def link(
    reports: Iterable[Report], leads: Mapping[str, Sequence[int]] | None = None
) -> list[Event]:
    """Every event the reports tell of, in date order."""
    events = [build_event(c) for c in components(units_of(reports, leads or {}))]
    return sorted(events, key=sort_key)


def sort_key(ev: Event) -> tuple[str, str]:
    d = ev.date
    day = (d.start or d.end) if d is not None else None
    return (day.isoformat() if day else "9999", ev.id)
