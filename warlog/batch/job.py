"""The batch job: inputs -> Parquet of pages, articles, claims, units and events."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warlog.batch import dedup, linkjoin, parquet
from warlog.batch.extract import (
    Extracted,
    article_units_of,
    extract_partition,
    preload,
    units,
)
from warlog.batch.read import (
    TASK_BYTES,
    ArticleRow,
    CleanedPage,
    ProblemRow,
    Task,
    plan,
    read_parts,
)
from warlog.link.units import Unit
from warlog.records import Event, Problem
from warlog.settings import IngestOptions

if TYPE_CHECKING:
    from pyspark import SparkContext

RECORDS_PER_TASK = 2000
# Up to this many articles the events are linked on the driver (the library's linker over
# the claims just written, read back from Parquet: no shuffle); above, by the blocking join
# on the executors. 50,000 articles are about 250,000 claims: some 30 s and 1 GB on one core.
DRIVER_LINK_MAX = 50_000


@dataclass(slots=True)
class BatchReport:
    inputs: int = 0
    tasks: int = 0
    pages: int = 0
    pages_repeated: int = 0
    articles: int = 0
    duplicates: int = 0
    claims: int = 0
    units: int = 0
    pairs: int = 0
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.fatal)


def run(
    sc: SparkContext,
    paths: list[str],
    out: str | Path,
    options: IngestOptions | None = None,
    *,
    records_per_task: int = RECORDS_PER_TASK,
    partitions: int | None = None,
    task_bytes: int = TASK_BYTES,
    driver_link_max: int = DRIVER_LINK_MAX,
) -> BatchReport:
    """Read, clean, extract, resolve and link ``paths`` on Spark; write Parquet to ``out``."""
    from pyspark import StorageLevel

    options = options or IngestOptions()
    out = Path(out).resolve()
    report = BatchReport()
    clock = time.perf_counter()
    parts = partitions or sc.defaultParallelism * 2

    tasks, problems = plan(
        paths, records_per_task, task_bytes=task_bytes, parallelism=sc.defaultParallelism
    )
    report.problems += problems
    report.tasks = len(tasks)
    report.inputs = len({p.input_index for t in tasks for p in t.parts})
    parquet.prepare(out)
    if not tasks:
        return report

    opts = options
    read = sc.parallelize(tasks, len(tasks)).flatMap(lambda t: _read(t, opts))
    read.persist(StorageLevel.MEMORY_AND_DISK)
    # One pass gives the driver the problems and a few strings per page (dedup.PageFacts):
    # repeated pages and exact copies are decided from them, without a shuffle.
    got = read.map(lambda x: x if isinstance(x, ProblemRow) else dedup.facts(x)).collect()
    rows = [g for g in got if isinstance(g, ProblemRow)]
    page_facts = [g for g in got if isinstance(g, dedup.PageFacts)]
    report.problems += [r.problem for r in sorted(rows, key=lambda r: r.order)]
    cleaned = read.filter(lambda x: isinstance(x, CleanedPage))
    repeated = dedup.repeated_from(page_facts)
    report.pages_repeated = len(repeated)
    rep_bc = sc.broadcast(repeated)
    pages = cleaned.filter(lambda p: p.row.order not in rep_bc.value)
    # Spread articles evenly: inputs differ wildly in size (one WARC vs one text page).
    articles: Any = pages.flatMap(lambda p: p.articles).repartition(parts)
    articles.persist(StorageLevel.MEMORY_AND_DISK)
    kept = sum(len(p.articles) for p in page_facts if p.order not in repeated)
    link_on_driver = kept <= driver_link_max
    report.seconds["read"] = time.perf_counter() - clock

    clock = time.perf_counter()
    copies = dedup.copies_with(articles, options.near_duplicate_threshold, page_facts, repeated)
    report.duplicates = len(copies)
    copies_bc = sc.broadcast(copies)
    report.seconds["dedup"] = time.perf_counter() - clock

    clock = time.perf_counter()
    focus = options.focus_country
    extracted: Any = articles.mapPartitions(
        lambda it: extract_partition(it, copies_bc.value, focus)
    )
    if not link_on_driver:
        extracted.persist(StorageLevel.MEMORY_AND_DISK)  # read again for the units
    target = str(out)
    report.pages = sum(
        c[0]
        for c in pages.mapPartitionsWithIndex(
            parquet.writer(target, {"pages": _page_rows})
        ).collect()
    )
    # Articles and claims in one pass over the extracted partitions.
    counts = extracted.mapPartitionsWithIndex(
        parquet.writer(target, {"articles": _article_rows, "claims": _claim_rows})
    ).collect()
    report.articles = sum(c[0] for c in counts)
    report.claims = sum(c[1] for c in counts)
    read.unpersist()
    articles.unpersist()
    report.seconds["extract"] = time.perf_counter() - clock

    if link_on_driver:
        _link_on_driver(out, report)
    else:
        _link(extracted, parts, target, report)
    (out / "_report.json").write_text(json.dumps(summary(report), indent=2) + "\n")
    return report


def _link(extracted: Any, parts: int, target: str, report: BatchReport) -> None:
    """Units, blocked pairs and events from the extracted articles, written as Parquet."""
    from pyspark import StorageLevel

    clock = time.perf_counter()
    unit_rdd: Any = extracted.flatMap(units)
    unit_rdd.persist(StorageLevel.MEMORY_AND_DISK)
    found, report.pairs, report.units = linkjoin.events(unit_rdd, parts)
    counts = found.mapPartitionsWithIndex(
        parquet.writer(target, {"events": _event_rows, "units": _unit_rows})
    ).collect()
    report.events = sum(c[0] for c in counts)
    unit_rdd.unpersist()
    extracted.unpersist()
    report.seconds["link"] = time.perf_counter() - clock


def _read(task: Task, options: IngestOptions) -> Iterator[CleanedPage | ProblemRow]:
    preload(options.focus_country)  # the models load while this worker reads and waits
    yield from read_parts(task, options)


def _link_on_driver(out: Path, report: BatchReport) -> None:
    """Units from the ``articles`` and ``claims`` tables just written, linked in this process;
    events and units written as one Parquet file each."""
    clock = time.perf_counter()
    arts = parquet.read(out, "articles").select(
        ["id", "outlet", "published", "duplicate_of", "title", "lead"]
    )
    claims: dict[str, list[str]] = {}
    # Each article's claims stay in the order they were written: its claim order.
    for aid, data in _columns(parquet.read(out, "claims"), "article_id", "data"):
        claims.setdefault(aid, []).append(data)
    unit_list = [
        u
        for aid, outlet, published, copy_of, title, lead in _columns(arts, *arts.column_names)
        if aid in claims
        for u in article_units_of(aid, outlet, published, copy_of, title, claims[aid], lead)
    ]
    found, report.pairs = linkjoin.on_driver(unit_list)
    report.units = len(unit_list)
    write = parquet.writer(str(out), {"events": _event_rows, "units": _unit_rows})
    report.events = next(iter(write(0, found)))[0]
    report.seconds["link"] = time.perf_counter() - clock


def _columns(table: Any, *names: str) -> Iterator[tuple[Any, ...]]:
    return zip(*(table.column(n).to_pylist() for n in names), strict=True)


def summary(r: BatchReport) -> dict[str, Any]:
    return {
        "inputs": r.inputs,
        "tasks": r.tasks,
        "pages": r.pages,
        "pages_repeated": r.pages_repeated,
        "articles": r.articles,
        "duplicates": r.duplicates,
        "claims": r.claims,
        "units": r.units,
        "linked_pairs": r.pairs,
        "events": r.events,
        "problems": [
            {"source": p.source, "message": p.message, "line": p.line, "fatal": p.fatal}
            for p in r.problems
        ],
        "seconds": {k: round(v, 3) for k, v in r.seconds.items()},
    }


# --- rows -------------------------------------------------------------------------------


def _page_rows(p: CleanedPage) -> Iterator[dict[str, Any]]:
    pg = p.row.page
    yield {
        "input_index": p.row.order[0],
        "item_index": p.row.order[1],
        "sha256": pg.sha256,
        "source": pg.source,
        "url": pg.url,
        "format": pg.format.value,
        "encoding": pg.encoding,
        "fetched_at": pg.fetched_at,
        "size": len(pg.body),
        "body": pg.body,
    }


def _article_rows(x: Extracted) -> Iterator[dict[str, Any]]:
    row: ArticleRow = x.row
    a = row.article
    yield {
        "input_index": row.order[0],
        "item_index": row.order[1],
        "article_index": row.order[2],
        "id": a.id,
        "page_sha256": a.page_sha256,
        "title": a.title,
        "text": a.text,
        "outlet": a.outlet,
        "outlet_how": a.outlet_how,
        "url": a.url,
        "published": a.published,
        "published_how": a.published_how,
        "content_hash": a.content_hash,
        "duplicate_of": a.duplicate_of,
        "duplicate_how": a.duplicate_how,
        "external_id": a.external_id,
        "source": a.source,
        "removed": list(a.removed),
        "minhash": row.minhash,
        "buckets": list(row.buckets),
        "n_claims": len(x.claims),
        "lead": x.lead,
        "extractor": x.extractor,
    }


def _claim_rows(x: Extracted) -> Iterator[dict[str, Any]]:
    return _claim_rows_of(x.row.article.id, x.claims)


def _claim_rows_of(aid: str, claims: Iterable[str]) -> Iterator[dict[str, Any]]:
    for text in claims:
        c = json.loads(text)
        place = c.get("place") or {}
        d = c.get("date") or {}
        yield {
            "id": f"{aid}:{c['index']}",
            "article_id": aid,
            "idx": c["index"],
            "outcome": c["outcome"],
            "low": c["low"],
            "high": c["high"],
            "scope": c["scope"],
            "event_type": c["event_type"],
            "country": place.get("country"),
            "admin1": place.get("admin1"),
            "date_start": _day(d.get("start")),
            "confidence": c["confidence"],
            "data": text,
        }


def _day(text: str | None) -> Any:
    from datetime import date

    return date.fromisoformat(text) if text else None


def _event_rows(item: tuple[Event, list[Unit]]) -> Iterator[dict[str, Any]]:
    from warlog.store.bulk import batch_event_row

    yield batch_event_row(*item)


def _unit_rows(item: tuple[Event, list[Unit]]) -> Iterator[dict[str, Any]]:
    from warlog.store.bulk import batch_unit_rows

    yield from batch_unit_rows(*item)
