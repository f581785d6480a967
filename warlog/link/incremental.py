"""Incremental linking over a store's link tables: new articles join events or open new ones.

Why the result equals re-linking everything from scratch: every pair decision
depends only on the two units compared, and the candidate pairs of a unit depend
only on its blocks and day. So an event is a connected set of units whatever the
order they arrived in; linking new units needs only the stored events that share
a block and a window with them. When an article's claims change, the events it
was part of are dissolved and their other units are linked again with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from warlog.link import build_event, components, units_of
from warlog.link.units import Unit
from warlog.records import ArticleReports, Event


class LinkTables(Protocol):
    """What the linker reads and writes, in records (the store's ``LinkTables``, a write
    transaction's ``Writer.links``; the SQL stays in the store)."""

    def article_reports(self, article_ids: Sequence[str]) -> list[ArticleReports]: ...
    def article_ids(self) -> list[str]: ...
    def units_of_articles(self, article_ids: Sequence[str]) -> list[tuple[str, str]]: ...
    def units_of_events(self, event_ids: Iterable[str]) -> list[tuple[Unit, str]]: ...
    def neighbours(self, units: Sequence[Unit]) -> list[tuple[Unit, str]]: ...
    def unit_events(self) -> dict[str, str]: ...
    def delete_units(self, keys: Sequence[str]) -> None: ...
    def delete_events(self, ids: Iterable[str]) -> None: ...
    def write_events(self, done: Sequence[tuple[Event, Sequence[Unit]]]) -> None: ...
    def record_aliases(self, before: dict[str, str]) -> dict[str, str]: ...
    def clear(self) -> None: ...


@dataclass(frozen=True, slots=True)
class LinkSummary:
    units: int  # units (article incidents and tallies) linked in this call
    events_new: int  # events written (new or changed)
    events_removed: int  # events merged into others or dissolved


def update_events(db: LinkTables, article_ids: Sequence[str]) -> LinkSummary:
    """Link these articles' claims (new or re-extracted) into the stored events."""
    found = db.article_reports(article_ids)
    new_units = units_of(
        (r for a in found for r in a.reports), {a.article_id: a.lead for a in found}
    )
    old = db.units_of_articles(article_ids)
    dissolved = {ev for _, ev in old}
    # Where every unit was before, so that an event id that disappears can point at the event
    # its units went to (event_aliases: cited links keep working).
    before: dict[str, str] = dict(old)
    db.delete_units([k for k, _ in old])
    floating: dict[str, Unit] = {u.key: u for u in new_units}
    for unit, ev in db.units_of_events(dissolved):
        floating.setdefault(unit.key, unit)
        before[unit.key] = ev
    db.delete_units(list(floating))
    db.delete_events(dissolved)

    near = [(u, ev) for u, ev in db.neighbours(list(floating.values())) if u.key not in floating]
    settled = {u.key: ev for u, ev in near}
    pool = list(floating.values()) + [u for u, _ in near]
    done = []
    replaced: set[str] = set()
    removed = 0
    for comp in components(pool, settled):
        if all(u.key in settled for u in comp):
            continue  # untouched by this batch
        old_ids = {settled[u.key] for u in comp if u.key in settled}
        # The neighbours found stand for their events: the events are read whole only now,
        # for the few that new units actually join.
        stored = {u.key: (u, ev) for u, ev in db.units_of_events(old_ids)}
        before.update((k, ev) for k, (_, ev) in stored.items())
        members = [u for u in comp if u.key not in settled] + [u for u, _ in stored.values()]
        ev = build_event(members)
        replaced |= old_ids
        removed += len(old_ids - {ev.id})
        # Units already stored under this id stay as they are; only the event row changes.
        done.append((ev, [u for u in members if stored.get(u.key, (None, None))[1] != ev.id]))
    db.delete_events(replaced)
    db.write_events(done)
    db.record_aliases(before)
    return LinkSummary(units=len(floating), events_new=len(done), events_removed=removed)


def rebuild(db: LinkTables) -> LinkSummary:
    """Forget every link and link the whole store again (``warlog link --rebuild``)."""
    before = db.unit_events()
    db.clear()
    summary = update_events(db, db.article_ids())
    db.record_aliases(before)
    return summary
