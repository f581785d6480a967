"""The event reads of :class:`warlog.store.Store` and the event filters shared by the list,
the statistics and the exports."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, false, func, or_, select

from warlog.codec import event_from_json
from warlog.errors import E, WarlogError
from warlog.records import Event, EventFilter
from warlog.store import schema
from warlog.store.compact import SPAN_CLASSES, UNBOUNDED_SPAN, earliest_start
from warlog.store.textindex import narrowed

if TYPE_CHECKING:
    from sqlalchemy import Engine


class EventReads:
    """The reads of events, a part of :class:`warlog.store.Store` (which gives
    ``read_engine`` and ``_json``)."""

    if TYPE_CHECKING:
        read_engine: Engine
        _dominant: tuple[float, str | None]

        def _json(self, data: str, table: str) -> Any: ...

    def events(
        self,
        where: EventFilter | None = None,
        *,
        ids: Sequence[str] | None = None,
        order: str = "date",
        limit: int | None = None,
        offset: int = 0,
        updated_since: datetime | None = None,
        **filters: Any,
    ) -> list[Event]:
        """Events as records, each with its reports and ``flags``.

        ``where`` (an :class:`EventFilter`) says which; its fields may also be given one by
        one (``since=...``), for older callers. Their public JSON is
        :func:`warlog.codec.event_json` (``with_claims=False`` for the list's shape).
        ``updated_since`` keeps the events created or changed (new reports, figures, merges)
        after that moment: the dashboard's "new since your last visit".
        """
        from warlog.link.plausibility import with_flags

        f = where or EventFilter(**filters)
        focus = self._focus(f.focus_country)
        e = schema.events.c
        with self.read_engine.connect() as conn:
            page = self._event_page(
                conn, focus, ids, order, limit, offset, updated_since, **_filter_fields(f)
            )
            docs = _by_id(conn, select(e.id, e.data), page)
        out = []
        for event_id in page:
            if event_id not in docs:
                # Merged into another event by a writer between the two reads (each read is
                # its own snapshot, so readers never hold a lock): it is simply gone.
                continue
            d = self._json(docs[event_id].data, "events")
            out.append(event_from_json(with_flags(d, focus)))
        return out

    def event_list(
        self,
        *,
        ids: Sequence[str] | None = None,
        order: str = "date",
        limit: int | None = None,
        offset: int = 0,
        updated_since: datetime | None = None,
        focus_country: str | None = None,
        **filters: Any,
    ) -> list[str]:
        """The same events as :meth:`events` (without claims), each as its list entry already
        serialised (migration 9): the API joins them without parsing or encoding any."""
        from warlog.store.compact import list_entry, with_focus

        focus = self._focus(focus_country)
        e = schema.events.c
        with self.read_engine.connect() as conn:
            page = self._event_page(
                conn, focus, ids, order, limit, offset, updated_since, **filters
            )
            rows = _entries_by_id(conn, page)
            # A row written without its entry (by an older warlog after the migration) is
            # made on the spot from its JSON: the column is a cache, never the only copy.
            missing = [i for i, r in rows.items() if r[2] is None]
            made = {
                r.id: list_entry(self._json(r.data, "events"))
                for r in _by_id(conn, select(e.id, e.data), missing).values()
            }
        out = []
        for event_id in page:
            r = rows.get(event_id)
            if r is None:
                continue  # merged away between the two reads, as in events()
            entry, flags_at = made.get(event_id) or (r[2], r[3])
            out.append(with_focus(entry, flags_at, r[1], focus))
        return out

    def event_by_id(self, event_id: str, *, focus_country: str | None = None) -> Event | None:
        """The event of exactly this id (one primary-key read), None when there is none: what
        :meth:`events` gives for ``ids=[event_id]``, without the page query."""
        from warlog.link.plausibility import with_flags

        focus = self._focus(focus_country)
        with self.read_engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                # The DB-API cursor: SQLAlchemy's statement and result layers cost many
                # times the read itself (a 0.01 ms primary-key lookup).
                found = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                    "SELECT data FROM events WHERE id = ?", (event_id,)
                ).fetchone()
            else:
                e = schema.events.c
                found = conn.execute(select(e.data).where(e.id == event_id)).first()
        if found is None:
            return None
        return event_from_json(with_flags(self._json(found[0], "events"), focus))

    def _focus(self, focus_country: str | None) -> str | None:
        return (focus_country or self.dominant_country() or "").upper() or None

    def _event_page(
        self,
        conn: Connection,
        focus: str | None,
        ids: Sequence[str] | None,
        order: str,
        limit: int | None,
        offset: int,
        updated_since: datetime | None,
        *,
        near: tuple[float, float, float] | None = None,
        flagged: bool = False,
        **filters: Any,
    ) -> list[str]:
        """The ids of one page of events, in order: ids first (no JSON read), so that a radius
        filter is applied to coordinates, never to every event's document."""
        e = schema.events.c
        few = narrowed(conn, filters)

        def query(keep_since: bool = True) -> Any:
            # Coordinates only for a radius: without them an index holding the order's
            # columns and the id answers alone.
            q = filter_events(
                select(e.id, e.lat, e.lon, e.date_start) if near else select(e.id, e.date_start),
                **(filters if keep_since else {**filters, "since": None}),
                flagged_in=focus if flagged else None,
                flagged=flagged,
                ids=few,
            )
            if ids is not None:
                q = q.where(e.id.in_(list(ids)))
            if near:
                lat, lon, km = near
                dlat = km / 111.0 + 0.01
                dlon = km / (111.0 * max(0.05, math.cos(math.radians(lat)))) + 0.01
                q = q.where(
                    e.lat.between(lat - dlat, lat + dlat), e.lon.between(lon - dlon, lon + dlon)
                )
            if updated_since is not None:
                q = q.where(e.updated_at > updated_since)
            return q.order_by(*_EVENT_ORDERS[order])

        if order not in _EVENT_ORDERS:
            raise WarlogError(
                E.E118, what="order", reason=f"{order!r}; use one of {', '.join(_EVENT_ORDERS)}"
            )
        if near:
            return _within(list(conn.execute(query())), near, limit, offset)
        since = filters.get("since")
        if since and order in ("date", "-date") and conn.dialect.name == "sqlite":
            # The query without ``since`` built once, each span class's window added to it.
            base = query(keep_since=False)
            return _page_by_span(
                conn,
                lambda cls: base.where(*since_window(since, cls)),
                order == "-date",
                limit,
                offset,
            )
        q = query()
        q = q.offset(offset).limit(limit) if limit else q.offset(offset)
        return [r.id for r in conn.execute(q)]

    def dominant_country(self) -> str | None:
        """The country of most incidents: the collection's country unless one is given.

        Cached for a minute: it changes only with many new articles, and is asked per request.
        """
        now = time.monotonic()
        cached = getattr(self, "_dominant", None)
        if cached is not None and now - cached[0] < 60:
            return cached[1]
        e = schema.events.c
        q = (
            select(e.country)
            .where(e.country.is_not(None), e.kind == "incident")
            .group_by(e.country)
            .order_by(func.count().desc(), e.country)
            .limit(1)
        )
        with self.read_engine.connect() as conn:
            found = conn.execute(q).scalar_one_or_none()
        self._dominant = (now, found)
        return found

    def event_alias(self, old_id: str) -> str | None:
        """The event an id that no longer exists was merged into (``event_aliases``)."""
        a = schema.event_aliases.c
        with self.read_engine.connect() as conn:
            return conn.execute(select(a.event_id).where(a.old_id == old_id)).scalar_one_or_none()

    def event_exists(self, event_id: str) -> bool:
        e = schema.events.c
        with self.read_engine.connect() as conn:
            return conn.execute(select(e.id).where(e.id == event_id)).first() is not None

    def event_ids_of_articles(self, article_ids: Sequence[str]) -> list[str]:
        u = schema.link_units.c
        with self.read_engine.connect() as conn:
            return sorted(
                set(
                    conn.execute(
                        select(u.event_id).where(u.article_id.in_(list(article_ids)))
                    ).scalars()
                )
            )

    def main_events(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Article id -> the event of its main incident (its first unit: the lead's)."""
        u = schema.link_units.c
        out: dict[str, str] = {}
        with self.read_engine.connect() as conn:
            q = select(u.article_id, u.key, u.event_id).where(u.article_id.in_(list(article_ids)))
            rows = sorted(conn.execute(q), key=lambda r: _unit_order(r.key))
        for r in rows:
            out.setdefault(r.article_id, r.event_id)
        return out

    def event(self, event_id: str, *, focus_country: str | None = None) -> Event:
        """One event: by id, by an old id it was merged into (its ``merged_from`` names it),
        or by a unique id prefix, as with git hashes."""
        exact = self.event_by_id(event_id, focus_country=focus_country)
        if exact is not None:
            return exact
        merged = self.event_alias(event_id)
        if merged is not None:
            found = self.events(ids=[merged], focus_country=focus_country)
            if found:
                return replace(found[0], merged_from=event_id)
        e = schema.events.c
        with self.read_engine.connect() as conn:
            ids = list(
                conn.execute(
                    select(e.id).where(e.id.startswith(event_id, autoescape=True)).limit(2)
                ).scalars()
            )
        if len(ids) == 1:
            return self.events(ids=ids, focus_country=focus_country)[0]
        raise WarlogError(E.E117, id=event_id)


_E = schema.events.c
_EVENT_ORDERS = {
    # NULLS LAST rather than "IS NULL" first: the same order, but ix_events_date serves it
    # (3 ms instead of a 115 ms sort of every row's JSON on 100k events).
    "date": (_E.date_start.asc().nulls_last(), _E.id),
    "-date": (_E.date_start.desc().nulls_last(), _E.id),
    "killed": (_E.killed_best.desc().nulls_last(), _E.id),
    "reports": (_E.n_reports.desc(), _E.id),
    "sources": (_E.n_claimants.desc(), _E.n_outlets.desc(), _E.id),
}


def _within(
    rows: list[Any], near: tuple[float, float, float], limit: int | None, offset: int
) -> list[str]:
    from warlog.link.decide import haversine_km

    lat, lon, km = near
    rows = [r for r in rows if haversine_km(lat, lon, r.lat, r.lon) <= km]
    return [r.id for r in (rows[offset : offset + limit] if limit else rows[offset:])]


def _page_by_span(
    conn: Connection, query: Any, newest: bool, limit: int | None, offset: int
) -> list[str]:
    """A page in date order within ``since``, one query per span class, merged.

    Each class's query walks ix_events_span_date in date order and stops at the page's end;
    one query with the classes OR-ed together reads every event of the window and sorts them
    (60 ms for a year of 100k events). SQLite only: the merge compares ids as SQLite does
    (code points), which a PostgreSQL collation need not.
    """
    end = offset + limit if limit else None
    found: list[Any] = []
    for cls in (*(c for c, _ in SPAN_CLASSES), UNBOUNDED_SPAN):
        q = query(cls)
        found += conn.execute(q.limit(end) if end else q)
    found.sort(key=lambda r: r.id)  # the tie-break, kept by the stable sort below
    if newest:  # date_start DESC NULLS LAST
        found.sort(key=lambda r: (r.date_start is not None, r.date_start or date.min), reverse=True)
    else:  # date_start ASC NULLS LAST
        found.sort(key=lambda r: (r.date_start is None, r.date_start or date.min))
    return [r.id for r in found[offset:end]]


def _by_id(conn: Connection, q: Any, ids: Sequence[str]) -> dict[str, Any]:
    """Rows of ``q`` (over events, selecting ``id`` first) for ``ids``, 500 at a time."""
    out: dict[str, Any] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        out.update((r.id, r) for r in conn.execute(q.where(schema.events.c.id.in_(chunk))))
    return out


def _entries_by_id(conn: Connection, ids: Sequence[str]) -> dict[str, Sequence[Any]]:
    """(id, country, list_json, list_flags_at) of the events of ``ids``, 500 at a time."""
    if conn.dialect.name != "sqlite":
        e = schema.events.c
        return _by_id(conn, select(e.id, e.country, e.list_json, e.list_flags_at), ids)
    # The DB-API cursor on SQLite: through SQLAlchemy's statement and result layers a page's
    # 50 rows took three times as long as SQLite took to read them.
    raw = conn.connection.driver_connection
    out: dict[str, Sequence[Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        sql = (
            "SELECT id, country, list_json, list_flags_at FROM events WHERE id IN "
            f"({','.join('?' * len(chunk))})"
        )
        out.update((r[0], r) for r in raw.execute(sql, chunk))  # type: ignore[union-attr]
    return out


def _filter_fields(f: EventFilter) -> dict[str, Any]:
    """An EventFilter as the keywords of ``Store._event_page``: each of its fields (one source
    of truth, records.py), but the focus country, which the caller reads apart for the flags."""
    return {x.name: getattr(f, x.name) for x in fields(f) if x.name not in _FILTER_APART}


# EventFilter fields that are no keyword of _event_page.
_FILTER_APART = frozenset({"focus_country"})


def filter_events(
    q: Any,
    where: EventFilter | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
    actor: str | None = None,
    claimant: str | None = None,
    outlet: str | None = None,
    event_type: str | None = None,
    kind: str | None = None,
    conflicting: bool = False,
    flagged: bool = False,
    flagged_in: str | None = None,
    unflagged: bool = False,
    ids: Sequence[str] | None = None,
    span_class: int | None = None,
) -> Any:
    """The event filters shared by the list, the statistics and the exports, so they agree.

    ``where`` (an :class:`EventFilter`) gives them all at once; without it they are the
    keywords. ``near`` is not SQL (a radius): :meth:`Store.events` applies it.
    ``flagged`` keeps events with an intrinsic flag or, given ``flagged_in`` (the collection's
    country), placed in another country; ``unflagged`` drops events with an intrinsic flag
    (the timeline, so that a tally read as an incident does not set its scale).
    ``ids`` limits to those events (the few a text index found, see ``textindex.narrowed``).
    """
    if where is not None:
        since, until, actor, claimant = where.since, where.until, where.actor, where.claimant
        outlet, event_type, kind = where.outlet, where.event_type, where.kind
        conflicting, flagged = where.conflicting, where.flagged
    e = schema.events.c
    if since:
        q = q.where(*since_window(since, span_class))
    if until:
        q = q.where(e.date_start <= until)
    for column, value in (
        (e.perpetrator_text, actor),
        (e.claimant_text, claimant),
        (e.outlet_text, outlet),
    ):
        if value:
            q = q.where(column.contains(value.lower(), autoescape=True))
    if ids is not None:
        q = q.where(e.id.in_(ids))
    if event_type:
        q = q.where(e.event_type == event_type)
    if kind:
        q = q.where(e.kind == kind)
    if conflicting:
        q = q.where(e.conflict == 1)
    if flagged:
        # A place across borders (the Levant, the Sahel) has no country: it is not abroad, as
        # plausibility.outside_country says too.
        abroad = (
            and_(e.country.is_not(None), e.country != "", e.country != flagged_in)
            if flagged_in
            else false()
        )
        q = q.where(or_(e.flags != "", abroad))
    if unflagged:
        q = q.where(e.flags == "")
    return q


def since_window(since: date, span_class: int | None = None) -> list[Any]:
    """The conditions of ``since``: events ending on or after it, bounded from below too (an
    event ending on or after ``since`` starts at most its span class's length before it, so
    an index on the class and the start serves a range; one class's range when
    ``span_class`` is given, see _page_by_span)."""
    e = schema.events.c
    if span_class is None:
        bound = or_(*(_class_bound(since, cls) for cls in (*dict(SPAN_CLASSES), UNBOUNDED_SPAN)))
    else:
        bound = _class_bound(since, span_class)
    return [e.date_end >= since, bound]


def _class_bound(since: date, cls: int) -> Any:
    e = schema.events.c
    if cls == UNBOUNDED_SPAN:
        return e.span_class == UNBOUNDED_SPAN
    return and_(e.span_class == cls, e.date_start >= earliest_start(since, cls))


def _unit_order(key: str) -> tuple[int, int]:
    """ "<article>/0" (the lead's incident) first, then other incidents, then tallies "/t<n>"."""
    n = key.rsplit("/", 1)[1]
    return (1, int(n[1:])) if n.startswith("t") else (0, int(n))
