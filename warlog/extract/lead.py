"""The article's lead: the claims of its main (headline) incident, and its totals.

A headline or opening sentence states the main toll; later sentences break it
down ("four civilians ... another five rebel fighters") or report other
incidents. The lead is the first incident-scope death claim in reading order,
headline first, with its breakdown taken from claims that qualify it.
"""

from __future__ import annotations

from warlog.extract.lexicon import Lexicon
from warlog.records import ActorRef, Article, Claim, Lead

# How far into the article (in sentences' character offsets) the lead may start.
_LEAD_CHARS = 700


def _value(c: Claim) -> int | None:
    return c.low if c.low is not None else c.high


def choose_lead(claims: tuple[Claim, ...], art: Article, lex: Lexicon) -> Lead | None:
    killed = [
        c for c in claims
        if c.outcome == "killed" and c.scope == "incident" and _value(c) is not None
    ]  # fmt: skip
    if not claims:
        return None
    early = [c for c in killed if c.in_headline or c.evidence.start < _LEAD_CHARS]
    main: Claim | None = None
    if early:
        headline = [c for c in early if c.in_headline]
        body = [c for c in early if not c.in_headline]
        # The headline states the main toll first; sub-counts were folded into parts already.
        main = (headline or early)[0]
        if main.vague and body:
            # "Air strikes kill dozens": the opening sentences usually give the figure.
            precise = [c for c in body if not c.vague and (_value(c) or 0) >= (_value(main) or 0)]
            if precise:
                main = precise[0]
    elif killed:
        main = killed[0]
    wounded = [c for c in claims if c.outcome == "wounded" and c.scope == "incident" and _value(c) is not None]
    lead_claims = [main] if main else []
    if main is None and not wounded:
        return None
    total = _value(main) if main else None
    civilians = combatants = None
    children = main.children if main else None
    women = main.women if main else None
    if main is not None:
        if main.victims.kind == "civilians":
            civilians = total
        elif main.victims.kind == "combatants":
            combatants = total
        for p in main.parts:
            if p.kind == "civilians":
                civilians = (civilians or 0) + (p.low or p.high or 0)
        # Breakdown sentences right after: "four civilians had been killed", "another five rebel fighters".
        for c in killed:
            if c is main or c.evidence.start > main.evidence.start + 600 or (_value(c) or 0) >= (total or 0):
                continue
            if c.victims.kind == "civilians" and civilians is None:
                civilians = _value(c)
                lead_claims.append(c)
            elif c.victims.kind == "combatants" and combatants is None:
                combatants = _value(c)
                lead_claims.append(c)
            if children is None and c.children:
                children = c.children
            if women is None and c.women:
                women = c.women
        if total is not None and civilians is not None and combatants is None and main.victims.kind != "civilians":
            combatants = total - civilians if total >= civilians else None
    first_wounded = next((c for c in wounded if main is None or abs(c.evidence.start - main.evidence.start) < 600), None)
    if first_wounded:
        lead_claims.append(first_wounded)
    perpetrator = _lead_perpetrator(main, claims)
    return Lead(
        claims=tuple(c.index for c in lead_claims),
        killed=total,
        killed_civilians=civilians,
        killed_combatants=combatants,
        killed_children=children,
        killed_women=women,
        wounded=_value(first_wounded) if first_wounded else None,
        perpetrator=perpetrator,
        event_type=_lead_event(main, claims),
        place_text=main.place_text if main else None,
        date_text=main.date_text if main else None,
    )


def _lead_perpetrator(main: Claim | None, claims: tuple[Claim, ...]) -> ActorRef | None:
    if main is not None and main.perpetrator is not None:
        return main.perpetrator
    near = [c for c in claims if c.perpetrator is not None and c.scope == "incident"]
    if main is not None:
        near = [c for c in near if abs(c.evidence.start - main.evidence.start) < 400]
    return near[0].perpetrator if near else None


def _lead_event(main: Claim | None, claims: tuple[Claim, ...]) -> str | None:
    if main is not None and main.event_type != "other":
        return main.event_type
    for c in claims:
        if c.event_type != "other" and c.scope == "incident":
            return c.event_type
    return main.event_type if main else None
