"""Repeated pages and copied articles, decided as the sequential ``warlog run`` decides them.

``warlog run`` stores articles one by one in input order; each new article is a copy of
the earliest stored article with the same text (``exact``), else of the stored article
with the highest estimated Jaccard similarity (>= the threshold) among those sharing an
LSH band with it, the earliest on ties (``near``); a copy of a copy points at the
original. Here the expensive parts (grouping by text hash and by LSH band, comparing
signatures) run on the executors; the driver receives only the articles that have an
earlier match and replays the sequential rule over them in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warlog.batch.read import ArticleRow, CleanedPage, Order
from warlog.clean.dedup import Signature

if TYPE_CHECKING:
    from pyspark import RDD


@dataclass(frozen=True, slots=True)
class Copy:
    duplicate_of: str
    how: str


def repeated_pages(pages: RDD[CleanedPage]) -> set[Order]:
    """Orders of pages whose bytes an earlier page already had (run skips them as stored)."""
    later = (
        pages.map(lambda p: (p.row.page.sha256, p.row.order))
        .groupByKey()
        .flatMap(lambda kv: sorted(kv[1])[1:])
    )
    return set(later.collect())


def _exact_pairs(group: Iterable[tuple[Order, str]]) -> Iterator[tuple[Order, Any]]:
    items = sorted(group)
    first = items[0]
    for order, _aid in items[1:]:
        yield order, ("exact", first[0], first[1], 1.0)


def _near_pairs(
    group: Iterable[tuple[Order, str, bytes]], threshold: float
) -> Iterator[tuple[Order, Any]]:
    items = sorted(group, key=lambda x: x[0])
    sigs = [Signature.from_bytes(s) for _, _, s in items]
    for xi in range(1, len(items)):
        for ci in range(xi):
            j = sigs[xi].jaccard(sigs[ci])
            if j >= threshold:
                yield items[xi][0], ("near", items[ci][0], items[ci][1], j)


def copies(articles: RDD[ArticleRow], threshold: float) -> dict[str, Copy]:
    """article id -> what it copies, for every article that is a copy."""
    exact = (
        articles.map(lambda a: (a.article.content_hash, (a.order, a.article.id)))
        .groupByKey()
        .filter(lambda kv: len(kv[1]) > 1)
        .flatMap(lambda kv: _exact_pairs(kv[1]))
    )
    near = (
        articles.filter(lambda a: a.minhash is not None)
        .flatMap(lambda a: [(b, (a.order, a.article.id, a.minhash)) for b in a.buckets])
        .groupByKey()
        .filter(lambda kv: len(kv[1]) > 1)
        .flatMap(lambda kv: _near_pairs(kv[1], threshold))
        .distinct()
    )
    matches: dict[Order, list[tuple[Any, ...]]] = {}
    for order, m in exact.union(near).collect():
        matches.setdefault(order, []).append(m)
    return resolve(matches, _ids_of(articles, set(matches)))


def _ids_of(articles: RDD[ArticleRow], orders: set[Order]) -> dict[Order, str]:
    if not orders:
        return {}
    wanted = articles.context.broadcast(orders)
    return dict(
        articles.filter(lambda a: a.order in wanted.value)
        .map(lambda a: (a.order, a.article.id))
        .collect()
    )


def resolve(matches: dict[Order, list[tuple[Any, ...]]], ids: dict[Order, str]) -> dict[str, Copy]:
    """Replay the sequential rule (see the module doc) over the articles that have matches."""
    root: dict[str, str] = {}  # article id -> its original, for copies decided so far
    out: dict[str, Copy] = {}
    for order in sorted(matches):
        aid = ids[order]
        found = matches[order]
        exact = [m for m in found if m[0] == "exact"]
        if exact:
            first = exact[0][2]
            orig = root.get(first, first)
            out[aid] = Copy(orig, "exact: same text")
            root[aid] = orig
            continue
        best: tuple[float, str] | None = None
        # Candidates in storing order; only a strictly higher similarity replaces the best.
        for _, _c_order, c_id, j in sorted(found, key=lambda m: m[1]):
            if best is None or j > best[0]:
                best = (j, root.get(c_id, c_id))
        if best:
            out[aid] = Copy(best[1], f"near: est. Jaccard {best[0]:.2f}")
            root[aid] = best[1]
    return out
