"""From linked units to events: one place, one date, one type, reconciled figures.

Also the public JSON of events (``warlog events --json``, ``warlog show``, the API):
field names are an interface, add freely, rename never (documented in the README).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from warlog.extract.jsonout import (
    actor_json,
    claim_from_json,
    claim_json,
    date_json,
    place_json,
)
from warlog.extract.lexicon import lexicon
from warlog.link.plausibility import flags as plausibility_flags
from warlog.link.reconcile import reconcile
from warlog.link.units import Unit, rank, window_of
from warlog.records import ActorRef, Estimate, Event, Report, Revision, SourceFigure

if TYPE_CHECKING:
    from warlog.resolve.dates import EventDate

SCHEMA_VERSION = 1


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
        from warlog.resolve.dates import EventDate

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
    from warlog.resolve.dates import EventDate

    return EventDate(
        text="(as of the latest report)",
        start=min(starts) if starts else None,
        end=max(ends),
        precision="day",
        cumulative_start=bool(starts),
    )


def _place(units: Sequence[Unit]) -> Any:
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


# --- public JSON -------------------------------------------------------------------------


def figures_json(e: Estimate | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "low": e.low,
        "best": e.best,
        "high": e.high,
        "conflict": e.conflict,
        "high_partisan": e.high_partisan,
    }


def source_json(s: SourceFigure) -> dict[str, Any]:
    return {
        "source": s.source,
        "name": s.name,
        "kind": s.kind,
        "partisan": s.partisan,
        "low": s.low,
        "high": s.high,
        "count_text": s.count_text,
        "vague": s.vague,
        "confidence": round(s.confidence, 3),
        "claims": list(s.claims),
        "outlets": list(s.outlets),
    }


def estimate_json(e: Estimate) -> dict[str, Any]:
    return {
        "outcome": e.outcome,
        "group": e.group,
        **(figures_json(e) or {}),
        "low_claims": list(e.low_claims),
        "best_claims": list(e.best_claims),
        "high_claims": list(e.high_claims),
        "sources": [source_json(s) for s in e.sources],
    }


def revision_json(v: Revision) -> dict[str, Any]:
    return {
        "published": v.published.isoformat() if v.published else None,
        "outlet": v.outlet,
        "source": v.source,
        "low": v.low,
        "high": v.high,
        "count_text": v.count_text,
        "claim": v.claim,
    }


def report_json(r: Report) -> dict[str, Any]:
    return {
        "key": r.key,
        "article_id": r.article_id,
        "outlet": r.outlet,
        "published": r.published.isoformat() if r.published else None,
        "title": r.title,
        "copy_of": r.copy_of,
        "claim": claim_json(r.claim),
    }


def report_from_json(d: dict[str, Any]) -> Report:
    return Report(
        claim=claim_from_json(d["article_id"], d["claim"]),
        article_id=d["article_id"],
        outlet=d.get("outlet"),
        published=date.fromisoformat(d["published"]) if d.get("published") else None,
        copy_of=d.get("copy_of"),
        title=d.get("title"),
    )


def headline(ev: dict[str, Any]) -> str | None:
    """The title of the article behind the event's main figure (else its first titled one):
    what the list shows first, ids being secondary."""
    killed = next(
        (x for x in ev.get("estimates", ()) if x["outcome"] == "killed" and x["group"] == "total"),
        None,
    )
    wanted = set(killed.get("best_claims", ())) if killed else set()
    titled = [r for r in ev.get("claims", ()) if r.get("title")]
    best = next((r for r in titled if r["key"] in wanted), titled[0] if titled else None)
    return best["title"] if best else None


def event_json(ev: Event, *, with_claims: bool = True) -> dict[str, Any]:
    outlets = ev.outlets
    out: dict[str, Any] = {
        "id": ev.id,
        "kind": ev.kind,
        "date": date_json(ev.date),
        "place": place_json(ev.place),
        "event_type": ev.event_type,
        "perpetrator": actor_json(ev.perpetrator, ev.place.country if ev.place else None),
        "killed": figures_json(ev.estimate("killed")),
        "wounded": figures_json(ev.estimate("wounded")),
        "conflict": ev.conflict,
        "estimates": [estimate_json(e) for e in ev.estimates],
        "revisions": [revision_json(v) for v in ev.revisions],
        "n_reports": len(ev.reports),
        "n_articles": len(ev.articles),
        "n_outlets": len(outlets),
        "n_claimants": len(ev.claimants),
        "outlets": list(outlets),
        "claimants": list(ev.claimants),
        "schema": SCHEMA_VERSION,
    }
    out["claims"] = [report_json(r) for r in ev.reports]
    out["headline"] = headline(out)
    # Intrinsic plausibility flags (the sentences are in the claims); the country check is
    # added when events are read, as it depends on the whole collection.
    out["flags"] = plausibility_flags(out)
    if not with_claims:
        del out["claims"]
    return out
