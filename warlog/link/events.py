"""From linked units to events: one place, one date, one type, reconciled figures.

The public JSON of events is :mod:`warlog.codec`'s.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import date

from warlog.extract.lexicon import lexicon
from warlog.link.reconcile import reconcile
from warlog.link.units import Unit, rank, window_of
from warlog.records import ActorRef, Event, EventDate, Place, Report


def event_id(units: Sequence[Unit]) -> str:
    """Stable: the id follows the event's smallest unit key, so merging keeps one of the ids."""
    first = min(u.key for u in units)
    kind = units[0].kind
    return f"{kind[0]}-{hashlib.sha1(first.encode()).hexdigest()[:12]}"


def build_event(units: Sequence[Unit]) -> Event:
    units = sorted(units, key=lambda u: u.key)
    reports = tuple(sorted((r for u in units for r in u.reports), key=lambda r: r.key))
    estimates, revisions = reconcile(reports, lexicon().nationalities)
    kind = units[0].kind
    return Event(
        id=event_id(units),
        kind=kind,
        date=_tally_date(reports) if kind == "tally" else _incident_date(units),
        place=_place(units),
        event_type=_event_type(reports),
        perpetrator=_perpetrator(reports),
        estimates=estimates,
        reports=reports,
        revisions=revisions,
    )


def _incident_date(units: Sequence[Unit]) -> EventDate | None:
    dated = [u.rep.claim.date for u in units if window_of(u.rep.claim.date) is not None]
    days = [d for d in dated if d is not None and d.precision == "day"]
    if days:
        votes = Counter(d.start for d in days)
        top = max(votes.values())
        start = min(s for s, n in votes.items() if n == top and s is not None)
        return next(d for d in days if d.start == start)
    if dated:
        return min(dated, key=lambda d: d.start or date.max)  # type: ignore[union-attr]
    published = [r.published for u in units for r in u.reports if r.published]
    if published:
        day = min(published)
        # Nothing in any text dates it: the first report's publication day, and said so.
        return EventDate(text="(publication date)", start=day, end=day, precision="published")
    return None


def _tally_date(reports: Sequence[Report]) -> EventDate | None:
    """A tally stands "as of" its latest report; its window starts where the text says."""
    ends = [r.published for r in reports if r.published]
    starts = [
        r.claim.date.start
        for r in reports
        if r.claim.date is not None and r.claim.date.cumulative_start and r.claim.date.start
    ]
    if not ends:
        return None
    return EventDate(
        text="(as of the latest report)",
        start=min(starts) if starts else None,
        end=max(ends),
        precision="day",
        cumulative_start=bool(starts),
    )


def _place(units: Sequence[Unit]) -> Place | None:
    placed = [u.rep.claim.place for u in units if u.rep.claim.place is not None]
    if not placed:
        return None
    votes = Counter((p.name, p.country) for p in placed)
    return min(placed, key=lambda p: (rank(p), -votes[(p.name, p.country)]))


def _event_type(reports: Sequence[Report]) -> str | None:
    votes = Counter(r.claim.event_type for r in reports if r.claim.event_type != "other")
    if not votes:
        return "other" if reports else None
    top = max(votes.values())
    order = lexicon().event_order
    tied = [t for t, n in votes.items() if n == top]
    return min(tied, key=lambda t: order.index(t) if t in order else len(order))


def _perpetrator(reports: Sequence[Report]) -> ActorRef | None:
    named = [r.claim.perpetrator for r in reports if r.claim.perpetrator and r.claim.perpetrator.id]
    if not named:
        return None
    votes = Counter(p.id for p in named if p is not None)
    top = max(votes.values())
    winner = min(i for i, n in votes.items() if n == top and i is not None)
    return next(p for p in named if p is not None and p.id == winner)
