"""Records to and from their public JSON: articles, claims, leads, events.

The JSON of ``warlog extract``, ``claims``, ``events``, ``show``, ``export`` and the API is a
public interface: field names are added freely, never renamed (the README documents each),
and ``tests/test_golden.py`` keeps it byte-identical. Every conversion lives here, so a
front-end never spells a record's JSON itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from warlog.extract.acled import acled_event, actor_class, inter_code
from warlog.link.plausibility import flags as plausibility_flags
from warlog.records import (
    ActorRef,
    Article,
    ArticleClaims,
    Claim,
    ClaimantRef,
    Estimate,
    Event,
    EventDate,
    Evidence,
    Flag,
    Lead,
    Part,
    Place,
    Report,
    Revision,
    SourceFigure,
    Victims,
)

SCHEMA_VERSION = 1  # of the article JSON (``warlog extract``)
EVENT_SCHEMA_VERSION = 1  # of the event JSON (``warlog events``, ``show``, the API)


# --- claims and articles ---------------------------------------------------------------
def actor_json(a: ActorRef | None, country: str | None = None) -> dict[str, Any] | None:
    """``country``: where the event happened, so a state's forces abroad are external forces."""
    if a is None:
        return None
    cls = actor_class(a, country)
    return {
        "text": a.text,
        "actor": a.id,
        "name": a.name,
        "kind": a.kind,
        "acled_class": cls,
        "acled_inter": inter_code(cls),
    }


def acled_event_json(event_type: str | None, civilian_target: bool) -> dict[str, str]:
    e = acled_event(event_type, civilian_target)
    return {
        "acled_disorder_type": e.disorder_type,
        "acled_event_type": e.event_type,
        "acled_sub_event_type": e.sub_event_type,
    }


def claimant_json(c: ClaimantRef | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "text": c.text,
        "id": c.id,
        "name": c.name,
        "kind": c.kind,
        "partisan": c.partisan,
        "chain": list(c.chain),
    }


def place_json(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "text": p.text, "name": p.name, "lat": p.lat, "lon": p.lon, "admin1": p.admin1,
        "admin2": p.admin2, "country": p.country, "precision": p.precision, "source": p.source,
    }  # fmt: skip


def date_json(d: EventDate | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "text": d.text,
        "start": d.start.isoformat() if d.start else None,
        "end": d.end.isoformat() if d.end else None,
        "precision": d.precision,
        "cumulative_start": d.cumulative_start,
    }


def claim_json(c: Claim) -> dict[str, Any]:
    return {
        "index": c.index,
        "outcome": c.outcome,
        "low": c.low,
        "high": c.high,
        "count_text": c.count_text,
        "approx": c.approx,
        "vague": c.vague,
        "parts": [
            {"low": p.low, "high": p.high, "text": p.text, "victims": p.victims, "kind": p.kind}
            for p in c.parts
        ],
        "children": c.children,
        "women": c.women,
        "victims": {
            "text": c.victims.text,
            "kind": c.victims.kind,
            "affiliation": c.victims.affiliation,
            "nationality": c.victims.nationality,
        },
        "perpetrator": actor_json(c.perpetrator, c.place.country if c.place else None),
        "event_type": c.event_type,
        **acled_event_json(c.event_type, c.victims.kind == "civilians"),
        "place_text": c.place_text,
        "date_text": c.date_text,
        "scope": c.scope,
        "claimant": claimant_json(c.claimant),
        "evidence": {
            "sentence": c.evidence.sentence,
            "start": c.evidence.start,
            "end": c.evidence.end,
        },
        "place": place_json(c.place),
        "date": date_json(c.date),
        "in_headline": c.in_headline,
        "attach": c.attach,
        "confidence": c.confidence,
    }


def lead_json(lead: Lead | None) -> dict[str, Any] | None:
    if lead is None:
        return None
    return {
        "claims": list(lead.claims),
        "killed": lead.killed,
        "killed_civilians": lead.killed_civilians,
        "killed_combatants": lead.killed_combatants,
        "killed_children": lead.killed_children,
        "killed_women": lead.killed_women,
        "wounded": lead.wounded,
        "perpetrator": actor_json(lead.perpetrator, lead.place.country if lead.place else None),
        "event_type": lead.event_type,
        **acled_event_json(
            lead.event_type, bool(lead.killed_civilians) and not lead.killed_combatants
        ),
        "place_text": lead.place_text,
        "date_text": lead.date_text,
        "scope": lead.scope,
        "place": place_json(lead.place),
        "date": date_json(lead.date),
    }


def article_json(result: ArticleClaims) -> dict[str, Any]:
    a: Article = result.article
    return {
        "id": a.external_id or a.id,
        "article_id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published.isoformat() if isinstance(a.published, date) else None,
        "claims": [claim_json(c) for c in result.claims],
        "lead": lead_json(result.lead),
        "schema": SCHEMA_VERSION,
    }


def article_meta_json(a: Article, *, text: bool = False, source: bool = True) -> dict[str, Any]:
    """An article's metadata (``warlog articles --json``, the API); ``source`` is the input
    file it came from, which a server keeps to itself."""
    d: dict[str, Any] = {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "outlet_how": a.outlet_how,
        "published": a.published.isoformat() if isinstance(a.published, date) else None,
        "published_how": a.published_how,
        "url": a.url,
    }
    if source:
        d["source"] = a.source
    d.update(
        external_id=a.external_id,
        duplicate_of=a.duplicate_of,
        duplicate_how=a.duplicate_how,
        removed=list(a.removed),
        chars=len(a.text),
    )
    if text:
        d["text"] = a.text
    return d


def claim_from_json(article_id: str, d: dict[str, Any]) -> Claim:
    """The inverse of :func:`claim_json`, for claims read back from the store."""
    p = d.get("perpetrator")
    c = d.get("claimant")
    v = d["victims"]
    e = d["evidence"]
    return Claim(
        article_id=article_id,
        outcome=d["outcome"],
        low=d["low"],
        high=d["high"],
        count_text=d["count_text"],
        approx=d["approx"],
        vague=d["vague"],
        victims=Victims(v["text"], v["kind"], v.get("affiliation"), v.get("nationality")),
        perpetrator=ActorRef(p["text"], p["actor"], p["name"], p["kind"]) if p else None,
        event_type=d["event_type"],
        place_text=d.get("place_text"),
        date_text=d.get("date_text"),
        scope=d["scope"],
        claimant=ClaimantRef(
            c["text"], c["id"], c["name"], c["kind"], c["partisan"], tuple(c.get("chain", ()))
        )
        if c
        else None,
        evidence=Evidence(e["sentence"], e["start"], e["end"]),
        confidence=d["confidence"],
        parts=tuple(
            Part(x["low"], x["high"], x["text"], x["victims"], x["kind"])
            for x in d.get("parts", ())
        ),
        children=d.get("children"),
        women=d.get("women"),
        in_headline=d.get("in_headline", False),
        index=d["index"],
        attach=d.get("attach", "parse"),
        place=place_from_json(d.get("place")),
        date=date_from_json(d.get("date")),
    )


def place_from_json(d: dict[str, Any] | None) -> Place | None:
    if not d:
        return None
    return Place(
        **{
            k: d[k]
            for k in (
                "text",
                "name",
                "lat",
                "lon",
                "admin1",
                "admin2",
                "country",
                "precision",
                "source",
            )
        }
    )


def date_from_json(d: dict[str, Any] | None) -> EventDate | None:
    if not d:
        return None
    return EventDate(
        text=d["text"],
        start=date.fromisoformat(d["start"]) if d.get("start") else None,
        end=date.fromisoformat(d["end"]) if d.get("end") else None,
        precision=d["precision"],
        cumulative_start=d.get("cumulative_start", False),
    )


# --- events -------------------------------------------------------------------------


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
        "schema": EVENT_SCHEMA_VERSION,
    }
    out["claims"] = [report_json(r) for r in ev.reports]
    out["headline"] = headline(out)
    # Intrinsic plausibility flags (the sentences are in the claims); the country check is
    # added when events are read, as it depends on the whole collection.
    out["flags"] = plausibility_flags(out) if ev.flags is None else [flag_json(f) for f in ev.flags]
    if not with_claims:
        del out["claims"]
    if ev.merged_from is not None:
        out["merged_from"] = ev.merged_from
    return out


def flag_json(f: Flag) -> dict[str, str]:
    return {"code": f.code, "message": f.message}


def event_from_json(d: dict[str, Any]) -> Event:
    """The inverse of :func:`event_json` (with its claims), for events read from a store:
    ``event_json(event_from_json(d)) == d``."""
    place = place_from_json(d.get("place"))
    p = d.get("perpetrator")
    return Event(
        id=d["id"],
        kind=d["kind"],
        date=date_from_json(d.get("date")),
        place=place,
        event_type=d.get("event_type"),
        perpetrator=ActorRef(p["text"], p["actor"], p["name"], p["kind"]) if p else None,
        estimates=tuple(_estimate_from(x) for x in d.get("estimates", ())),
        reports=tuple(report_from_json(r) for r in d.get("claims", ())),
        revisions=tuple(_revision_from(v) for v in d.get("revisions", ())),
        flags=tuple(Flag(f["code"], f["message"]) for f in d.get("flags") or ()),
        merged_from=d.get("merged_from"),
    )


def _estimate_from(x: dict[str, Any]) -> Estimate:
    return Estimate(
        outcome=x["outcome"],
        group=x["group"],
        low=x["low"],
        best=x["best"],
        high=x["high"],
        conflict=x["conflict"],
        high_partisan=x["high_partisan"],
        low_claims=tuple(x["low_claims"]),
        best_claims=tuple(x["best_claims"]),
        high_claims=tuple(x["high_claims"]),
        sources=tuple(
            SourceFigure(
                source=s["source"],
                name=s["name"],
                kind=s["kind"],
                partisan=s["partisan"],
                low=s["low"],
                high=s["high"],
                count_text=s["count_text"],
                vague=s["vague"],
                confidence=s["confidence"],
                claims=tuple(s["claims"]),
                outlets=tuple(s["outlets"]),
            )
            for s in x["sources"]
        ),
    )


def _revision_from(v: dict[str, Any]) -> Revision:
    return Revision(
        published=_day(v.get("published")),
        outlet=v.get("outlet"),
        source=v["source"],
        low=v["low"],
        high=v["high"],
        count_text=v["count_text"],
        claim=v["claim"],
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
