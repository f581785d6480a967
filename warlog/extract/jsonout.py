"""The public JSON shape of claims and leads (``warlog extract``, ``warlog claims``, the API).

Field names here are an interface: add freely, rename never. The README
documents each field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from warlog.extract.acled import acled_event, actor_class, inter_code
from warlog.records import ActorRef, Article, ArticleClaims, Claim, ClaimantRef, Lead

SCHEMA_VERSION = 1


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


def place_json(p: Any) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "text": p.text, "name": p.name, "lat": p.lat, "lon": p.lon, "admin1": p.admin1,
        "admin2": p.admin2, "country": p.country, "precision": p.precision, "source": p.source,
    }  # fmt: skip


def date_json(d: Any) -> dict[str, Any] | None:
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
    from warlog.records import Evidence, Part, Victims

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
        place=_place_from(d.get("place")),
        date=_date_from(d.get("date")),
    )


def _place_from(d: dict[str, Any] | None) -> Any:
    if not d:
        return None
    from warlog.resolve.gazetteer import Place

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


def _date_from(d: dict[str, Any] | None) -> Any:
    if not d:
        return None
    from warlog.resolve.dates import EventDate

    return EventDate(
        text=d["text"],
        start=date.fromisoformat(d["start"]) if d.get("start") else None,
        end=date.fromisoformat(d["end"]) if d.get("end") else None,
        precision=d["precision"],
        cumulative_start=d.get("cumulative_start", False),
    )
