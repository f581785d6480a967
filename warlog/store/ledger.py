"""The link stage's tables (units, blocks, events, aliases): their one owner.

Everything here runs on a connection inside the caller's transaction: linking an
input file's articles commits with the file, or not at all. :class:`LinkTables` is what the
linker (:mod:`warlog.link.incremental`) is handed: records in and out, never SQL.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from warlog.codec import claim_from_json, event_json, report_from_json, report_json
from warlog.link.decide import blocks as blocks_of
from warlog.link.decide import window
from warlog.link.plausibility import codes
from warlog.link.units import Unit, shift
from warlog.records import ArticleReports, Event, Report
from warlog.store import schema
from warlog.store.compact import compact_columns

_CHUNK = 500


class LinkTables:
    """The link tables on one connection, in the caller's transaction (``Writer.links``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def article_reports(self, article_ids: Sequence[str]) -> list[ArticleReports]:
        return article_reports(self.conn, article_ids)

    def article_ids(self) -> list[str]:
        """Every stored article's id (a rebuild links them all)."""
        return list(self.conn.execute(select(schema.articles.c.id)).scalars())

    def units_of_articles(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        return units_of_articles(self.conn, article_ids)

    def units_of_events(self, event_ids: Iterable[str]) -> list[tuple[Unit, str]]:
        return units_of_events(self.conn, event_ids)

    def neighbours(self, units: Sequence[Unit]) -> list[tuple[Unit, str]]:
        return neighbours(self.conn, units)

    def unit_events(self) -> dict[str, str]:
        """Every stored unit's key -> its event."""
        u = schema.link_units.c
        return {r.key: r.event_id for r in self.conn.execute(select(u.key, u.event_id))}

    def delete_units(self, keys: Sequence[str]) -> None:
        delete_units(self.conn, keys)

    def delete_events(self, ids: Iterable[str]) -> None:
        delete_events(self.conn, ids)

    def write_events(self, done: Sequence[tuple[Event, Sequence[Unit]]]) -> None:
        write_events(self.conn, done)

    def record_aliases(self, before: dict[str, str]) -> dict[str, str]:
        return record_aliases(self.conn, before)

    def clear(self) -> None:
        clear(self.conn)


def article_reports(conn: Connection, article_ids: Sequence[str]) -> list[ArticleReports]:
    """The articles' reports for linking; a quarantined article has none (it leaves every
    event until it is restored)."""
    a, c, ld = schema.articles.c, schema.claims.c, schema.leads.c
    out: list[ArticleReports] = []
    held = set(quarantined(conn, article_ids))
    for chunk in _chunks(sorted(set(article_ids) - held)):
        meta = {
            r.id: r
            for r in conn.execute(
                select(a.id, a.outlet, a.published, a.duplicate_of, a.title).where(a.id.in_(chunk))
            )
        }
        claims: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in conn.execute(
            select(c.article_id, c.data).where(c.article_id.in_(chunk)).order_by(c.idx)
        ):
            claims[row.article_id].append(json.loads(row.data))
        leads = {
            r.article_id: tuple((json.loads(r.data) or {}).get("claims", ()))
            for r in conn.execute(select(ld.article_id, ld.data).where(ld.article_id.in_(chunk)))
        }
        for aid in chunk:
            m = meta.get(aid)
            if m is None:
                continue
            reports = tuple(
                Report(claim_from_json(aid, d), aid, m.outlet, m.published, m.duplicate_of, m.title)
                for d in claims.get(aid, ())
            )
            out.append(ArticleReports(aid, reports, leads.get(aid, ())))
    return out


def units_of_articles(conn: Connection, article_ids: Sequence[str]) -> list[tuple[str, str]]:
    """(unit key, event id) of every stored unit of these articles."""
    u = schema.link_units.c
    out: list[tuple[str, str]] = []
    for chunk in _chunks(sorted(set(article_ids))):
        out += [(r.key, r.event_id) for r in conn.execute(
            select(u.key, u.event_id).where(u.article_id.in_(chunk))
        )]  # fmt: skip
    return out


def units_of_events(conn: Connection, event_ids: Iterable[str]) -> list[tuple[Unit, str]]:
    u = schema.link_units.c
    out: list[tuple[Unit, str]] = []
    for chunk in _chunks(sorted(set(event_ids))):
        for r in conn.execute(
            select(u.key, u.kind, u.data, u.event_id).where(u.event_id.in_(chunk))
        ):
            out.append((_unit(r.key, r.kind, r.data), r.event_id))
    return out


def neighbours(conn: Connection, units: Sequence[Unit]) -> list[tuple[Unit, str]]:
    """Stored units (with their event ids) that :func:`warlog.link.decide.candidates` would pair with
    ``units``: in a shared block, within the day window, and not two guests of the block.

    Each unit asks for its own window only (merged per block), so a batch of articles
    spread over years reads their neighbourhoods, not every event in between.
    """
    # (block, whether the stored unit must be the block's own) -> day windows, or None: any day
    wanted: dict[tuple[str, bool], list[tuple[date, date]] | None] = {}
    for unit in units:
        day = unit.rep.day
        w = window(unit.rep)
        for key, own in blocks_of(unit.rep):
            slot = (key, not own)  # a guest meets only the block's own members
            if day is None:
                wanted[slot] = None
            elif wanted.get(slot, []) is not None:
                span = (shift(day, -w), shift(day, w))
                wanted.setdefault(slot, []).append(span)  # type: ignore[union-attr]
    b, u = schema.link_blocks.c, schema.link_units.c
    base = select(u.key, u.kind, u.data, u.event_id).join(schema.link_units, u.key == b.unit_key)
    found: dict[str, tuple[Unit, str]] = {}

    def take(q: Any) -> None:
        for r in conn.execute(q.distinct()):
            if r.key not in found:
                found[r.key] = (_unit(r.key, r.kind, r.data), r.event_id)

    for (key, own_only), spans in wanted.items():
        q = base.where(b.block == key)
        if own_only:
            q = q.where(b.own == 1)
        if spans is None:
            take(q)
            continue
        merged: list[tuple[date, date]] = []
        for lo, hi in sorted(spans):
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        # One query per range, so each is a range scan of ix_link_blocks_block_day (a list
        # of ORs makes SQLite scan the whole block, and the work grows with the store).
        take(q.where(b.day.is_(None)))
        for lo, hi in merged:
            take(q.where(b.day >= lo, b.day <= hi))
    return list(found.values())


def delete_units(conn: Connection, keys: Sequence[str]) -> None:
    for chunk in _chunks(sorted(set(keys))):
        conn.execute(delete(schema.link_blocks).where(schema.link_blocks.c.unit_key.in_(chunk)))
        conn.execute(delete(schema.link_units).where(schema.link_units.c.key.in_(chunk)))


def delete_events(conn: Connection, ids: Iterable[str]) -> None:
    for chunk in _chunks(sorted(set(ids))):
        conn.execute(delete(schema.events).where(schema.events.c.id.in_(chunk)))


def write_events(conn: Connection, done: Sequence[tuple[Event, Sequence[Unit]]]) -> None:
    """Insert events and (re)insert their units pointing at them, in a few bulk statements."""
    if not done:
        return
    delete_units(conn, [u.key for _, units in done for u in units])
    unit_rows, block_rows = [], []
    for ev, units in done:
        for u in units:
            unit_rows.append(unit_row(ev.id, u))
            block_rows += [
                {"block": key, "unit_key": u.key, "own": int(own), "day": u.rep.day}
                for key, own in blocks_of(u.rep)
            ]
    if unit_rows:
        conn.execute(insert(schema.link_units), unit_rows)
    if block_rows:
        conn.execute(insert(schema.link_blocks), block_rows)
    conn.execute(insert(schema.events), [event_row(ev, compact=True) for ev, _ in done])


def unit_row(event_id: str, u: Unit) -> dict[str, Any]:
    """The unit's row in ``link_units``."""
    return {
        "key": u.key, "article_id": u.rep.article_id, "kind": u.kind, "day": u.rep.day,
        "event_id": event_id, "data": _unit_json(u),
    }  # fmt: skip


def event_row(ev: Event, *, compact: bool = False) -> dict[str, Any]:
    """The event's row; ``compact`` adds migration 9's list entry and span class (the Spark
    job's Parquet keeps the columns it always had)."""
    k, w = ev.estimate("killed"), ev.estimate("wounded")
    p, d = ev.place, ev.date
    perpetrators = [
        ev.perpetrator.name if ev.perpetrator else "",
        ev.perpetrator.id if ev.perpetrator else "",
        *(r.claim.perpetrator.text for r in ev.reports if r.claim.perpetrator),
    ]
    words = [
        *perpetrators,
        *ev.claimants,
        *ev.outlets,
        p.name if p else "",
        p.admin1 or "" if p else "",
    ]
    data = event_json(ev)
    row = {
        "id": ev.id,
        "kind": ev.kind,
        "date_start": (d.start or d.end) if d else None,
        "date_end": (d.end or d.start) if d else None,
        "country": p.country if p else None,
        "admin1": p.admin1 if p else None,
        "place_name": p.name if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "event_type": ev.event_type,
        "perpetrator_id": ev.perpetrator.id if ev.perpetrator else None,
        "perpetrator_name": ev.perpetrator.name if ev.perpetrator else None,
        "killed_low": k.low if k else None,
        "killed_best": k.best if k else None,
        "killed_high": k.high if k else None,
        "wounded_best": w.best if w else None,
        "n_reports": len(ev.reports),
        "n_articles": len(ev.articles),
        "n_outlets": len(ev.outlets),
        "n_claimants": len(ev.claimants),
        "conflict": int(ev.conflict),
        "search_text": _joined(words),
        **filter_texts(perpetrators, ev.claimants, ev.outlets),
        "flags": codes(data["flags"]),
        "data": json.dumps(data, ensure_ascii=False),
        "updated_at": datetime.now(UTC),
    }
    if compact:
        row.update(compact_columns(data, row["date_start"], row["date_end"]))
    return row


def filter_texts(
    perpetrators: Iterable[str], claimants: Iterable[str], outlets: Iterable[str]
) -> dict[str, str]:
    """The lower-cased texts that ``actor``, ``claimant`` and ``outlet`` filter on (migration 7:
    ``actor`` used to match ``search_text``, so "Islamic State" found the claims *about* it)."""
    return {
        "perpetrator_text": _joined(perpetrators),
        "claimant_text": _joined(claimants),
        "outlet_text": _joined(outlets),
    }


def _joined(words: Iterable[str]) -> str:
    return " | ".join(sorted({x for x in words if x})).lower()


def quarantined(conn: Connection, article_ids: Sequence[str] | None = None) -> list[str]:
    qt = schema.quarantine.c
    if article_ids is None:
        return sorted(conn.execute(select(qt.article_id)).scalars())
    out: list[str] = []
    for chunk in _chunks(sorted(set(article_ids))):
        out += conn.execute(select(qt.article_id).where(qt.article_id.in_(chunk))).scalars()
    return sorted(out)


def unit_events(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    """Unit key -> the event it is in now."""
    u = schema.link_units.c
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(set(keys))):
        out.update(
            (r.key, r.event_id)
            for r in conn.execute(select(u.key, u.event_id).where(u.key.in_(chunk)))
        )
    return out


def record_aliases(conn: Connection, before: dict[str, str]) -> dict[str, str]:
    """Point every event id of ``before`` (unit key -> its event before a re-link) that no
    longer exists at the event holding most of its units now, and repoint older aliases that
    led to it. An id that exists again stops being an alias. Returns the new aliases.
    """
    if not before:
        return {}
    e, a = schema.events.c, schema.event_aliases.c
    old_ids = sorted(set(before.values()))
    live: set[str] = set()
    for chunk in _chunks(old_ids):
        live |= set(conn.execute(select(e.id).where(e.id.in_(chunk))).scalars())
    now = unit_events(conn, before)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for key, old in before.items():
        if old not in live and key in now:
            votes[old][now[key]] += 1
    new = {old: min(c, key=lambda ev: (-c[ev], ev)) for old, c in votes.items()}
    targets = set(new.values()) | live
    for chunk in _chunks(sorted(targets)):
        # An id that is an event again (restored from quarantine, re-linked) is no alias.
        conn.execute(delete(schema.event_aliases).where(a.old_id.in_(chunk)))
    for old, target in sorted(new.items()):
        conn.execute(update(schema.event_aliases).where(a.event_id == old).values(event_id=target))
    for chunk in _chunks(sorted(new)):
        conn.execute(delete(schema.event_aliases).where(a.old_id.in_(chunk)))
    if new:
        at = datetime.now(UTC)
        conn.execute(
            insert(schema.event_aliases),
            [{"old_id": o, "event_id": t, "created_at": at} for o, t in sorted(new.items())],
        )
    return new


def clear(conn: Connection) -> None:
    for t in (schema.link_blocks, schema.link_units, schema.events):
        conn.execute(delete(t))


def _unit_json(u: Unit) -> str:
    return json.dumps(
        {"reports": [report_json(r) for r in u.reports], "rep": report_json(u.rep)},
        ensure_ascii=False,
    )


def _unit(key: str, kind: str, data: str) -> Unit:
    d = json.loads(data)
    return Unit(
        key=key,
        kind=kind,
        reports=tuple(report_from_json(x) for x in d["reports"]),
        rep=report_from_json(d["rep"]),
    )


def _chunks(items: Sequence[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield list(items[i : i + _CHUNK])
