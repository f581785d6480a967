"""The article's lead: the claims of its main (headline) incident, and its totals.

A headline or opening sentence states the main toll; later sentences break it
down ("four civilians ... another five rebel fighters") or report other
incidents. The lead is the first incident-scope death claim in reading order,
headline first, with its breakdown taken from claims that qualify it.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from warlog.extract.actors import ActorDictionary
from warlog.extract.lexicon import lexicon
from warlog.extract.numbers import find_counts
from warlog.extract.roles import mention_role
from warlog.records import ActorRef, Article, Claim, Lead


@cache
def outcome_words() -> frozenset[str]:
    return frozenset(lexicon().trigger_outcome)


# A period of several days is a tally, not one incident: "in three days of fighting", "over
# the past week", "in the last 48 hours" ("since Tuesday": the cue "since" is in the lexicon).
# "last week" alone says when, not how long, and stays an incident.
PERIOD = re.compile(
    r"\b(?:in|over|during|within|after)\s+(?:the\s+)?(?:(?:past|last|first)\s+)?"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|several|few|\d+)\s+(?:days|weeks|months)\b"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)\s+days\s+of\s+"
    r"(?:fighting|clashes|battles|combat|bombardment|bombing|air\s*strikes|strikes|shelling|violence)\b"
    r"|\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:week|month|fortnight|(?:few|several)\s+(?:days|weeks))\b"
    r"|\bin\s+the\s+(?:past|last)\s+(?:48|72)\s+hours\b",
    re.I,
)

# How far after a vague lead figure ("dozens") a precise one may stand.
_PRECISE_CHARS = 1200

# How far into the article (in sentences' character offsets) the lead may start.
_LEAD_CHARS = 700


def _value(c: Claim) -> int | None:
    return c.figure


def choose_lead(
    claims: tuple[Claim, ...], art: Article, actors: ActorDictionary | None = None
) -> Lead | None:
    killed = [
        c for c in claims
        if c.outcome == "killed" and c.scope == "incident" and _value(c) is not None
        and not _superseded(c)
    ]  # fmt: skip
    if not claims:
        return None
    main, figure, early, killed = _main_claim(claims, killed)
    total = _value(main) if main else None
    group: list[Claim] = []
    if main is not None and figure is not None:
        total, group = _value(figure), [figure]
    elif main is not None:
        main, total, group = _whole_figure(main, killed, early)
        total = _updated(main, total, killed)
    wounded = [
        c
        for c in claims
        if c.outcome == "wounded" and c.scope == "incident" and _value(c) is not None
    ]
    lead_claims = [main, *(c for c in group if c is not main)] if main else []
    if main is None and not wounded:
        return None
    civilians = combatants = None
    children = main.children if main else None
    women = main.women if main else None
    if main is not None:
        civilians, combatants, children, women = _breakdown(
            main, total, group, killed, claims, lead_claims
        )
    first_wounded = next(
        (c for c in wounded if main is None or abs(c.evidence.start - main.evidence.start) < 600),
        None,
    )
    if first_wounded:
        lead_claims.append(first_wounded)
    perpetrator = _perpetrator_of_lead(main, claims, art, actors)
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


def _main_claim(
    claims: tuple[Claim, ...], killed: list[Claim]
) -> tuple[Claim | None, Claim | None, list[Claim], list[Claim]]:
    """The lead's main claim, a figure that replaces its own (or None), and the early and
    killed claims it was chosen among (a headline tally or a tally over days may replace them)."""
    early = [c for c in killed if c.in_headline or c.evidence.start < _LEAD_CHARS]
    main: Claim | None = None
    figure: Claim | None = None
    tally = [
        c for c in claims
        if c.in_headline and c.outcome == "killed" and c.scope == "cumulative" and _value(c) is not None
    ]  # fmt: skip
    if tally and not any(c.in_headline for c in early):
        # The headline states a tally ("160 Russians fighting for IS killed in Syria"): that is the
        # article's subject, not some incident mentioned further down.
        early, killed = tally, tally
    elif not early:
        # No incident up front, but a tally over a few days ("killed about 100 fighters in the
        # past three days"): that is what the article reports.
        period = [
            c for c in claims
            if c.outcome == "killed" and c.scope == "cumulative" and _value(c) is not None
            and (c.in_headline or c.evidence.start < _LEAD_CHARS)
            and PERIOD.search(c.evidence.sentence)
        ]  # fmt: skip
        if period:
            early, killed = period, period
    if early:
        headline = [c for c in early if c.in_headline]
        body = [c for c in early if not c.in_headline]
        # The headline states the main toll first; sub-counts were folded into parts already.
        main = (headline or early)[0]
        if main.vague:
            # "Air strikes kill dozens", "Hundreds killed as battles rage": the story gives the
            # figure further on, as a count of this incident or a tally of the days it covers.
            # Within ten times the vague amount, so a war-long total is not taken for it.
            vague_value = _value(main) or 0
            precise = [c for c in body if not c.vague and (_value(c) or 0) >= vague_value]
            further = [
                c for c in claims
                if c.outcome == "killed" and not c.vague and not c.in_headline
                and c.evidence.start < main.evidence.start + _PRECISE_CHARS
                and vague_value <= (_value(c) or 0) <= 10 * max(vague_value, 1)
                and not _superseded(c)
            ]  # fmt: skip
            if precise:
                main = precise[0]
            elif further:
                figure = further[0]  # the figure only: the lead keeps its own place, date, attacker
        elif main.in_headline and main.high is None and main.low:
            # "Chemical attack claims over 1000 lives", then "a total of 1500 people": a
            # headline's bound gives way to the opening's exact figure within it.
            exact = [
                c for c in body
                if not c.vague and c.low is not None and c.low == c.high
                and main.low < c.low <= 2 * main.low and not _superseded(c)
            ]  # fmt: skip
            if exact:
                figure = exact[0]
    elif killed:
        main = killed[0]
    return main, figure, early, killed


def _breakdown(
    main: Claim,
    total: int | None,
    group: list[Claim],
    killed: list[Claim],
    claims: tuple[Claim, ...],
    lead_claims: list[Claim],
) -> tuple[int | None, int | None, int | None, int | None]:
    """Civilians, combatants, children and women of the lead's toll; the breakdown claims it
    reads are added to ``lead_claims``."""
    civilians = combatants = None
    children, women = main.children, main.women
    kind = main.victims.kind
    if kind == "unknown":
        # "Blast leaves 25 dead", then "25 militants of the Front were killed": the same
        # figure restated says who the dead were.
        kind = next(
            (
                c.victims.kind
                for c in claims
                if c is not main
                and c.outcome == "killed"
                and _value(c) == total
                and c.victims.kind in ("civilians", "combatants")
                and abs(c.evidence.start - main.evidence.start) < 600
            ),
            kind,
        )
    if total != _value(main):
        # A sum of listed counts or an opening's total: the kinds come from its members.
        members = group or [main]
        civilians = sum(_value(c) or 0 for c in members if c.victims.kind == "civilians") or None
        combatants = sum(_value(c) or 0 for c in members if c.victims.kind == "combatants") or None
    elif kind == "civilians":
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
        if c.attach == "vague":
            continue  # one person named in passing is a detail, not the incident's breakdown
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
    return civilians, combatants, children, women


def _perpetrator_of_lead(
    main: Claim | None, claims: tuple[Claim, ...], art: Article, actors: ActorDictionary | None
) -> ActorRef | None:
    perpetrator = _lead_perpetrator(main, claims)
    if perpetrator is None and main is not None and actors is not None:
        perpetrator = _opening_perpetrator(art.text, main, actors)
    if (
        main is not None
        and actors is not None
        and (perpetrator is None or perpetrator.kind == "unknown" or _generic(perpetrator, actors))
    ):
        # "Nusra Front claimed responsibility for the bombing": the attacker the article names.
        perpetrator = _responsible(art.text, actors) or perpetrator
    return perpetrator


# "the previous toll was 20", "it had initially given a toll of 22", "had earlier reported a
# toll of eight": a figure the article itself replaces.
_SUPERSEDED = re.compile(
    r"(?:\b(?:previous|earlier|initial|first|old|original|preliminary)\s+(?:\w+\s+){0,2}?"
    r"(?:toll|figure|count|tally|report)s?\b"
    r"|\bhad\s+(?:initially|earlier|previously|first|originally)\s+(?:\w+\s+){0,1}?"
    r"(?:given|reported|put|said|announced|stated|gave|counted))"
    r"[^.;]{0,40}$",
    re.I,
)
# Words that only list who died between two counts sharing one outcome word.
_LIST_BETWEEN = re.compile(r"^[^\d.;:!?()\"“”]{0,60}$")
_NOT_A_LIST = re.compile(
    r"\b(?:among|including|included|of\s+whom|of\s+them|while|whereas|but|another|other|others|"
    r"earlier|later|previous|besides|compared|to|from|or|than|versus|up)\b",
    re.I,
)
_OF_NEXT = re.compile(r"^\s*of\b", re.I)  # "10 of 48 people"
_PART_AFTER = re.compile(r"\s+(?:of\s+(?:them|whom|those)|among\s+them)\b", re.I)
_SUBGROUP_WORDS = frozenset(lexicon().syntax["child_words"] | lexicon().syntax["women_words"])
_REVISED = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|climbs|increased|jumped|reached|reaches|new|updated|"
    r"revised|raising|raised|bringing|brought|brings)\b[^.;]{0,30}$",
    re.I,
)


def _count_pos(c: Claim) -> int:
    pos = c.evidence.sentence.find(c.count_text) if c.count_text else -1
    return pos if pos >= 0 else len(c.evidence.sentence)


def _superseded(c: Claim) -> bool:
    before = c.evidence.sentence[: _count_pos(c)]
    return bool(_SUPERSEDED.search(before[-80:]))


def _list_of(c: Claim, killed: list[Claim]) -> list[Claim]:
    """The counts listed with ``c`` under one outcome word: "killed 31 jihadists and eight civilians"."""
    same = sorted(
        (d for d in killed if d.evidence.start == c.evidence.start and not d.vague),
        key=_count_pos,
    )
    if c not in same:
        return [c]
    words = outcome_words()
    chain = [same[0]]
    groups = [chain]
    for prev, cur in itertools.pairwise(same):
        between = c.evidence.sentence[_count_pos(prev) + len(prev.count_text) : _count_pos(cur)]
        if (
            _LIST_BETWEEN.match(between)
            and not _NOT_A_LIST.search(between)
            and not _OF_NEXT.match(between)
            and not any(w.lower() in words for w in re.findall(r"[\w']+", between))
        ):
            chain.append(cur)
        else:
            chain = [cur]
            groups.append(chain)
    listed = next(g for g in groups if c in g)
    values = [_value(d) or 0 for d in listed]
    if len(listed) < 2 or max(values) * 2 == sum(values):
        return [c]  # "12 people, eight civilians and four soldiers": the total is stated
    if any(
        _PART_AFTER.match(d.evidence.sentence, _count_pos(d) + len(d.count_text)) for d in listed
    ):
        return [c]  # "nine men eight of them rebels": a part, not more people
    sub = [_subgroup(d) for d in listed]
    if any(sub) and not all(sub):
        return [c]  # "15 civilians 3 children": the children are among the civilians
    return listed


def _subgroup(c: Claim) -> bool:
    text = c.victims.text
    counts = find_counts(text)
    own = text[: counts[0].start] if counts else text  # a parse may run into the next count
    words = {w.lower() for w in re.findall(r"[\w']+", own)}
    return bool(words & _SUBGROUP_WORDS) or bool(c.children or c.women)


def _whole_figure(
    main: Claim, killed: list[Claim], early: list[Claim]
) -> tuple[Claim, int | None, list[Claim]]:
    """The article's total when the lead gives parts or a sub-group.

    "Syria air strikes kill 10 children 5 women": the parts sum to 15. A headline's
    sub-group ("Seven children killed", "US strikes kill 50 Qaeda fighters") gives way to
    the opening's larger figure that counts it ("Seven children were among 20 people
    killed", "killed 50 militants and eight civilians").
    """
    listed = _list_of(main, killed)
    total = sum(_value(d) or 0 for d in listed) if len(listed) > 1 else _value(main)
    if main.in_headline and total is not None:
        head_key = " ".join(re.findall(r"\w+", main.evidence.sentence.lower())[:6])
        for b in early:
            if b.in_headline or b.vague:
                continue
            if head_key and head_key in " ".join(re.findall(r"\w+", b.evidence.sentence.lower())):
                continue  # the headline printed again above the story
            b_list = _list_of(b, killed)
            b_total = sum(_value(d) or 0 for d in b_list) if len(b_list) > 1 else _value(b)
            if b_total == total:
                break  # the opening restates the headline's figure: it is the total
            pieces = {p.low or p.high for p in b.parts} | (
                {_value(d) for d in b_list} if len(b_list) > 1 else set()
            )
            if b_total is not None and b_total > total and total in pieces:
                # The headline's claim stays the lead (its place, date and attacker); the
                # opening gives the figure.
                return main, b_total, [b, *(d for d in b_list if d is not b)]
    return main, total, listed


def _updated(main: Claim, total: int | None, killed: list[Claim]) -> int | None:
    """A later update in the same article ("the toll rose to 45") replaces the lead figure."""
    if total is None:
        return total
    for c in killed:
        if c.evidence.start <= main.evidence.start or c.vague or (_value(c) or 0) <= total:
            continue
        if c.place_text and main.place_text and c.place_text != main.place_text:
            continue  # another place's toll
        if _REVISED.search(c.evidence.sentence[: _count_pos(c)][-45:]):
            total = _value(c)
    return total


def _lead_perpetrator(main: Claim | None, claims: tuple[Claim, ...]) -> ActorRef | None:
    if main is not None and main.perpetrator is not None:
        return main.perpetrator
    near = [c for c in claims if c.perpetrator is not None and c.scope == "incident"]
    if main is not None:
        near = [
            c for c in near
            if abs(c.evidence.start - main.evidence.start) < 400
            # "47 leaders of Ahrar al-Sham killed": their own group did not kill them
            and (c.perpetrator is None or c.perpetrator.name != main.victims.affiliation)
        ]  # fmt: skip
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


_RESPONSIBLE_AFTER = re.compile(
    r"\W{0,3}(?:[\w-]+\W+){0,3}?(?:claimed|claims|claiming|has\s+claimed|took|takes|taking)\s+"
    r"(?:the\s+)?responsibility\b",
    re.I,
)
_OUTCOME_WORD = re.compile(
    r"\b(?:killed|dead|died|executed|slain|wounded|injured|massacred|beheaded|lost\s+their\s+lives)\b",
    re.I,
)


def _generic(ref: ActorRef, actors: ActorDictionary) -> bool:
    return bool(ref.id) and actors.actor(ref.id).generic


def _responsible(text: str, actors: ActorDictionary) -> ActorRef | None:
    """The named group that claimed responsibility anywhere in the article, if one did."""
    found = [
        m for m in actors.find_actors(text)
        if _RESPONSIBLE_AFTER.match(text, m.end)
        and actors.actor(m.id).kind != "unknown"
        and not actors.actor(m.id).generic
    ]  # fmt: skip
    if not found:
        return None
    actor = actors.actor(found[0].id)
    return ActorRef(text=found[0].text, id=actor.id, name=actor.name, kind=actor.kind)


def _between_count_and_outcome(text: str, start: int, end: int) -> bool:
    """ "at least 33 members of IS and Nusra were killed": a side named inside a count of the dead."""
    before = text[max(0, start - 80) : start]
    after = text[end : end + 80]
    before = re.split(r"[.!?;]\s", before)[-1]
    after = re.split(r"[.!?;]\s", after)[0]
    counts = find_counts(before)
    outcome = _OUTCOME_WORD.search(after)
    return bool(counts) and outcome is not None and not _AGENT_BEFORE.search(before)


def _in_victims_phrase(text: str, count_at: int, pos: int) -> bool:
    """``pos`` lies between the lead's count and its outcome word: part of who died."""
    if pos < count_at:
        return False
    outcome = _OUTCOME_WORD.search(text, count_at, count_at + 200)
    return outcome is not None and pos < outcome.start()


def _opening_perpetrator(text: str, main: Claim, actors: ActorDictionary) -> ActorRef | None:
    """An attacker named near the lead claim when its own sentence names none.

    Looks in the lead sentence's neighbourhood (the headline and the opening),
    skipping the victims' own affiliation and speakers; "by X" agents first.
    """
    start = max(0, main.evidence.start - 300)
    window = text[start : main.evidence.end + 400]
    victims = main.victims.text.lower()
    best: tuple[int, ActorRef] | None = None
    found_at = main.evidence.sentence.find(main.count_text) if main.count_text else -1
    count_at = main.evidence.start + found_at if found_at >= 0 else -1
    for m in actors.find_actors(window):
        if m.text.lower() in victims or actors.actor(m.id).name == main.victims.affiliation:
            continue
        if (
            count_at >= 0 and _in_victims_phrase(text, count_at, start + m.start)
        ) or _between_count_and_outcome(window, m.start, m.end):
            continue  # '33 members of the "IS" and "Nusra Front" organisations were killed'

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
