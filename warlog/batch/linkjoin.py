"""Linking at scale: a blocking join on (block, day bucket), the single-machine decision.

:func:`warlog.link.decide.candidates` pairs two units when they share a block (one of
them owning it: guests never meet each other there), and their days are at most
``window`` apart (the earlier unit's window, units ordered by day then key), or either
has no day. Here each unit is sent to its block's bucket of ``window`` days and to the
bucket before (as a spill, so pairs straddling two buckets meet once, in the earlier
bucket), and undated units meet every unit of their block in a bucket of their own. Each
group is swept locally; surviving pairs of different articles are scored with
:func:`warlog.link.decide.linked`. The edges go to the driver,
where a union-find gives the same connected sets as :func:`warlog.link.components`
(components do not depend on the order edges arrive in), and events are built per
component on the executors with :func:`warlog.link.build_event`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from warlog.link.decide import UnionFind, blocks, candidates, linked, window
from warlog.link.units import Unit
from warlog.records import Event, Report

if TYPE_CHECKING:
    from pyspark import RDD

HOME, SPILL = 0, 1
# The bucket of undated units: an int like the others, because PySpark sorts group keys
# when it spills to disk, and far below any real day's bucket.
UNDATED = -(2**62)
Entry = tuple[int, str, bool, Report]  # (HOME|SPILL, unit key, owns the block, rep)
GroupKey = tuple[str, int]


def entries(u: Unit, undated_blocks: frozenset[str]) -> Iterator[tuple[GroupKey, Entry]]:
    rep = u.rep
    day = rep.day
    for key, own in blocks(rep):
        if day is None:
            yield (key, UNDATED), (HOME, u.key, own, rep)
            continue
        # Within a block every unit has the same window (tallies 9 days, incidents 2).
        b = day.toordinal() // window(rep)
        yield (key, b), (HOME, u.key, own, rep)
        yield (key, b - 1), (SPILL, u.key, own, rep)
        if key in undated_blocks:
            yield (key, UNDATED), (SPILL, u.key, own, rep)


def group_edges(items: Iterable[Entry]) -> Iterator[tuple[str, str]]:
    """Linked pairs (key, key) of one (block, bucket) group."""
    home = [e for e in items if e[0] == HOME]
    spill = [e for e in items if e[0] == SPILL] if home else []
    # Order as candidates() does: by day (undated first), then by unit key.
    order = sorted(home, key=lambda e: (e[3].day or date.min, e[1]))
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1 :]:
            if _fits(a, b):
                yield from _edge(a, b)
        for b in spill:
            if _fits(a, b):
                yield from _edge(a, b)


def _fits(a: Entry, b: Entry) -> bool:
    if not (a[2] or b[2]):
        return False  # two guests of a country block meet in their own provinces
    da, db = a[3].day, b[3].day
    if da is None or db is None:
        return True
    first = a if (da, a[1]) <= (db, b[1]) else b
    return abs((db - da).days) <= window(first[3])


def _edge(a: Entry, b: Entry) -> Iterator[tuple[str, str]]:
    if linked(a[3], b[3]):
        yield (a[1], b[1]) if a[1] < b[1] else (b[1], a[1])


def edges(units: RDD[Unit], partitions: int | None = None) -> RDD[tuple[str, str]]:
    undated = frozenset(
        units.filter(lambda u: u.rep.day is None)
        .flatMap(lambda u: [k for k, _ in blocks(u.rep)])
        .distinct()
        .collect()
    )
    bc = units.context.broadcast(undated)
    return (
        units.flatMap(lambda u: entries(u, bc.value))
        .groupByKey(partitions)
        .flatMap(lambda kv: group_edges(kv[1]))
        .distinct()
    )


def union_find(keys: Sequence[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """unit key -> the smallest key of its connected set."""
    sets = UnionFind(keys)
    for a, b in pairs:
        sets.union(a, b)
    return {k: sets.find(k) for k in keys}


def events(
    units: RDD[Unit], partitions: int | None = None
) -> tuple[RDD[tuple[Event, list[Unit]]], int, int]:
    """Each event with its units, the number of linked pairs and the number of units.

    Few stages: one collect of each unit's key (and, when undated, its blocks), one shuffle
    for the blocking join whose edges go to the driver, one shuffle of the units to their
    component's root (a broadcast map, no join).
    """
    from warlog.link import build_event

    sc = units.context
    facts = units.map(
        lambda u: (u.key, [k for k, _ in blocks(u.rep)] if u.rep.day is None else [])
    ).collect()
    keys = [k for k, _ in facts]
    bc = sc.broadcast(frozenset(b for _, bs in facts for b in bs))
    pairs = set(
        units.flatMap(lambda u: entries(u, bc.value))
        .groupByKey(partitions)
        .flatMap(lambda kv: group_edges(kv[1]))
        .collect()
    )
    root = sc.broadcast(union_find(keys, sorted(pairs)))
    grouped = units.map(lambda u: (root.value[u.key], u)).groupByKey(partitions)
    return grouped.map(lambda kv: (build_event(list(kv[1])), list(kv[1]))), len(pairs), len(keys)


def on_driver(units: Sequence[Unit]) -> tuple[list[tuple[Event, list[Unit]]], int]:
    """Each event with its units and the number of linked pairs, linked in this process.

    :func:`warlog.link.components` without settled units, counting the pairs it links
    (the report's ``linked_pairs``): for a job whose units fit the driver, one pass with no
    shuffle instead of the three stages of :func:`events`.
    """
    from warlog.link import build_event

    items = sorted(units, key=lambda u: u.key)
    reps = [u.rep for u in items]
    sets = UnionFind(range(len(items)))
    pairs = 0
    for i, j in candidates(reps):
        if linked(reps[i], reps[j]):
            sets.union(i, j)
            pairs += 1
    groups: dict[int, list[Unit]] = {}
    for i, u in enumerate(items):
        groups.setdefault(sets.find(i), []).append(u)
    return [(build_event(g), g) for g in groups.values()], pairs
