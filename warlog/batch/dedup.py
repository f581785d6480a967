"""Repeated pages and copied articles, decided as the sequential ``warlog run`` decides them.

``warlog run`` stores articles one by one in input order; each new article is a copy of
the earliest stored article with the same text (``exact``), else of the stored article
with the highest estimated Jaccard similarity (>= the threshold) among those sharing an
LSH band with it, the earliest on ties (``near``); a copy of a copy points at the
original. Here the driver gets a few facts per page in the read stage's one collect
(its hash, its articles' text hashes and ids): repeated pages and exact copies are decided
from them without a shuffle. The expensive part (grouping by LSH band, comparing
signatures) runs on the executors; the driver receives only the articles that have an
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


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the driver needs of a page to find repeats and exact copies (a few strings)."""

    order: Order
    sha256: str
    articles: tuple[tuple[Order, str, str], ...]  # (order, article id, content hash)


def facts(p: CleanedPage) -> PageFacts:
    return PageFacts(
        p.row.order,
        p.row.page.sha256,
        tuple((a.order, a.article.id, a.article.content_hash) for a in p.articles),
    )


def repeated_from(pages: list[PageFacts]) -> set[Order]:
    """Orders of pages whose bytes an earlier page already had (run skips them as stored)."""
    seen: set[str] = set()
    later: set[Order] = set()
    for p in sorted(pages, key=lambda p: p.order):
        if p.sha256 in seen:
            later.add(p.order)
        seen.add(p.sha256)
    return later


def exact_from(pages: list[PageFacts], repeated: set[Order]) -> dict[Order, list[tuple[Any, ...]]]:
    """Exact-text matches of every later article, as :func:`resolve` reads them."""
    first: dict[str, tuple[Order, str]] = {}
    out: dict[Order, list[tuple[Any, ...]]] = {}
    arts = sorted(a for p in pages if p.order not in repeated for a in p.articles)
    for order, aid, content in arts:
        if content in first:
            f_order, f_id = first[content]
            out[order] = [("exact", f_order, f_id, 1.0)]
        else:
            first[content] = (order, aid)
    return out


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


def copies_with(
    articles: RDD[ArticleRow],
    threshold: float,
    pages: list[PageFacts],
    repeated: set[Order],
) -> dict[str, Copy]:
    """:func:`copies`, with exact copies decided on the driver from the pages' facts."""
    matches = exact_from(pages, repeated)
    near = (
        articles.filter(lambda a: a.minhash is not None)
        .flatMap(lambda a: [(b, (a.order, a.article.id, a.minhash)) for b in a.buckets])
        .groupByKey()
        .filter(lambda kv: len(kv[1]) > 1)
        .flatMap(lambda kv: _near_pairs(kv[1], threshold))
        .collect()
    )
    for order, m in sorted(set(near)):
        matches.setdefault(order, []).append(m)
    ids = {o: aid for p in pages for o, aid, _ in p.articles}
    return resolve(matches, ids)


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
