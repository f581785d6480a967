"""The article's lead: the claims of its main (headline) incident, and its totals.

A headline or opening sentence states the main toll; later sentences break it
down ("four civilians ... another five rebel fighters") or report other
incidents. The lead is the first incident-scope death claim in reading order,
headline first, with its breakdown taken from claims that qualify it.
"""

from __future__ import annotations

import re

from warlog.extract.actors import ActorDictionary
from warlog.extract.roles import mention_role
from warlog.records import ActorRef, Article, Claim, Lead

# How far into the article (in sentences' character offsets) the lead may start.
_LEAD_CHARS = 700


def _value(c: Claim) -> int | None:
    return c.low if c.low is not None else c.high


def choose_lead(
    claims: tuple[Claim, ...], art: Article, actors: ActorDictionary | None = None
) -> Lead | None:
    killed = [
        c for c in claims
        if c.outcome == "killed" and c.scope == "incident" and _value(c) is not None
    ]  # fmt: skip
    if not claims:
        return None
    early = [c for c in killed if c.in_headline or c.evidence.start < _LEAD_CHARS]
    main: Claim | None = None
    tally = [
        c for c in claims
        if c.in_headline and c.outcome == "killed" and c.scope == "cumulative" and _value(c) is not None
    ]  # fmt: skip
    if tally and not any(c.in_headline for c in early):
        # The headline states a tally ("160 Russians fighting for IS killed in Syria"): that is the
        # article's subject, not some incident mentioned further down.
        early, killed = tally, tally
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
    wounded = [
        c
        for c in claims
        if c.outcome == "wounded" and c.scope == "incident" and _value(c) is not None
    ]
    lead_claims = [main] if main else []
    if main is None and not wounded:
        return None
    total = _value(main) if main else None
    civilians = combatants = None
    children = main.children if main else None
    women = main.women if main else None
    if main is not None:
        kind = main.victims.kind
        if kind == "unknown":
            # "Blast leaves 25 dead", then "25 militants of the Front were killed": the same
            # figure restated says who the dead were.
            kind = next(
                (
                    c.victims.kind
                    for c in killed
                    if c is not main
                    and _value(c) == total
                    and c.victims.kind in ("civilians", "combatants")
                    and abs(c.evidence.start - main.evidence.start) < 600
                ),
                kind,
            )
        if kind == "civilians":
            civilians = total
        elif kind == "combatants":
            combatants = total
        for p in main.parts:
            if p.kind == "civilians":
                civilians = (civilians or 0) + (p.low or p.high or 0)
        # Breakdown sentences right after: "four civilians had been killed", "another five rebel fighters".
        for c in killed:
            if (
                c is main
                or c.evidence.start > main.evidence.start + 600
                or (_value(c) or 0) >= (total or 0)
            ):
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
        if (
            total is not None
            and civilians is not None
            and combatants is None
            and main.victims.kind != "civilians"
        ):
            combatants = total - civilians if total >= civilians else None
    first_wounded = next(
        (c for c in wounded if main is None or abs(c.evidence.start - main.evidence.start) < 600),
        None,
    )
    if first_wounded:
        lead_claims.append(first_wounded)
    perpetrator = _lead_perpetrator(main, claims)
    if perpetrator is None and main is not None and actors is not None:
        perpetrator = _opening_perpetrator(art.text, main, actors)
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
        scope=main.scope if main else "incident",
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


_AGENT_BEFORE = re.compile(r"\b(?:by|from)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
_SPEAKER_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,2}?(?:said|says|told|reported|claimed|according)\b", re.I
)


def _opening_perpetrator(text: str, main: Claim, actors: ActorDictionary) -> ActorRef | None:
    """An attacker named near the lead claim when its own sentence names none.

    Looks in the lead sentence's neighbourhood (the headline and the opening),
    skipping the victims' own affiliation and speakers; "by X" agents first.
    """
    start = max(0, main.evidence.start - 300)
    window = text[start : main.evidence.end + 400]
    victims = main.victims.text.lower()
    best: tuple[int, ActorRef] | None = None
    for m in actors.find_actors(window):
        if m.text.lower() in victims or actors.actor(m.id).name == main.victims.affiliation:
            continue
        if _SPEAKER_AFTER.match(window[m.end : m.end + 40]) or mention_role(window, m.start, m.end):
            continue  # a speaker, the territory or the target
        actor = actors.actor(m.id)
        pos = start + m.start
        score = abs(pos - main.evidence.start) // 40
        if _AGENT_BEFORE.search(window[max(0, m.start - 20) : m.start]):
            score -= 5
        if actor.kind == "unknown":
            score += 3
        ref = ActorRef(text=m.text, id=actor.id, name=actor.name, kind=actor.kind)
        if best is None or score < best[0]:
            best = (score, ref)
    return best[1] if best else None
