"""Deaths per week or month, grouped by perpetrator, governorate or event type.

Read straight from the ledger's indexed columns (``events.killed_best``, ``date_start``, ...)
rather than through ``Store.events``: parsing every event's JSON to sum one number would cost
seconds on a large store, and the timeline asks for this on every page load.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from warlog.store import Store, filter_events, schema
from warlog.store.textindex import narrowed

PERIODS = ("week", "month")
GROUPS = {"actor": "perpetrator_name", "admin1": "admin1", "event_type": "event_type"}
UNKNOWN = "unknown"


def period_start(day: date, period: str) -> date:
    """The Monday of the ISO week, or the first of the month."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def deaths(
    store: Store,
    *,
    period: str = "week",
    by: str = "actor",
    since: date | None = None,
    until: date | None = None,
    actor: str | None = None,
    event_type: str | None = None,
    kind: str | None = "incident",
    conflicting: bool = False,
    include_flagged: bool = False,
    only_flagged_in: str | None = None,
    only_flagged: bool = False,
) -> dict[str, Any]:
    """Killed (best estimate) and event counts per period and group.

    Tallies are left out by default: a cumulative toll ("250,000 since 2011") is not a death in
    the week it was published and would flatten every incident on the chart. So are events
    with a plausibility flag (a tally read as an incident, a year read as a toll) unless
    ``include_flagged``: they are counted in ``flagged_left_out`` instead.
    """
    e = schema.events.c
    # The same filters as Store.events, so the chart and the list agree.
    common: dict[str, Any] = {
        "since": since,
        "until": until,
        "actor": actor,
        "event_type": event_type,
        "kind": kind,
        "conflicting": conflicting,
    }
    with store.read_engine.connect() as conn:
        common["ids"] = narrowed(conn, common)
        q = filter_events(
            select(e.date_start, e.killed_best, getattr(e, GROUPS[by]).label("grp")),
            **common,
            unflagged=not include_flagged,
            flagged=only_flagged,
            flagged_in=only_flagged_in,
        )
        left_out = {"killed": 0, "events": 0}
        if not include_flagged:
            flagged_q = filter_events(
                select(func.count(), func.coalesce(func.sum(e.killed_best), 0)), **common
            ).where(e.flags != "")
            n, k = conn.execute(flagged_q).one()
            left_out = {"killed": int(k or 0), "events": int(n or 0)}
        rows = list(conn.execute(q))
    return {"period": period, "by": by, **_buckets(rows, period), "flagged_left_out": left_out}


def _buckets(rows: list[Any], period: str) -> dict[str, Any]:
    cells: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    totals: dict[str, int] = defaultdict(int)
    undated = [0, 0]
    for start, killed, grp in rows:
        name = grp or UNKNOWN
        n = killed or 0
        if start is None:
            undated[0] += n
            undated[1] += 1
            continue
        cell = cells[(period_start(start, period), name)]
        cell[0] += n
        cell[1] += 1
        totals[name] += n
    buckets = [
        {"period": p.isoformat(), "group": g, "killed": k, "events": n}
        for (p, g), (k, n) in sorted(cells.items())
    ]
    groups = sorted(totals, key=lambda g: (-totals[g], g))
    return {
        "groups": [{"group": g, "killed": totals[g]} for g in groups],
        "buckets": buckets,
        "undated": {"killed": undated[0], "events": undated[1]},
    }
