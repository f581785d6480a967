"""Casualty claims in one parsed sentence.

``find`` attaches each count expression to an outcome word through the
dependency parse ("35 pro-government forces were killed", "a strike that killed
14 civilians", "the death toll rose to 112", "22 dead", "kills 18"), falling
back to word order when the parse is broken, and reads around the attachment
for the victims, the perpetrator, the event type, the place and the date.
Counts of things that are not people (targets, strikes, sorties) never become
claims. Sub-counts ("including at least nine Russians") become parts of the
claim they qualify, not claims of their own.

The noun a count counts and the claims with no figure live in ``victims``; the
``Found`` and ``Trigger`` records in ``found`` (both importable from here).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from warlog.extract.actors import ActorDictionary
from warlog.extract.found import Found, Trigger
from warlog.extract.lexicon import Lexicon, lexicon
from warlog.extract.numbers import Count, find_counts, is_pronoun_one
from warlog.extract.roles import (
    count_tokens,
    date_text_of,
    event_type,
    perpetrator_of,
    place_text_of,
    victim_phrase,
    victims_of,
)
from warlog.extract.triggers import LOSE as _LOSE
from warlog.extract.triggers import triggers as _triggers
from warlog.extract.victims import (
    _completes,
    _governing_verb,
    _is_non_person_noun,
    _number_of,
    _numberless,
    _victim_head,
)
from warlog.nlp import doc_memo, doc_text
from warlog.pubdate import date_spans
from warlog.records import Part

# Word sets the rules read, kept as data in lexicon.json ("syntax").
_SYN = lexicon().syntax

_PART_WORDS = _SYN["part_words"]
# "killed, among them four women", "including five children": the count that follows is a part.
_PART_BEFORE = re.compile(
    r"(?:among\s+(?:them|whom|those)|including|of\s+whom|of\s+them|incl\.?)\W*(?:at\s+least\s+|some\s+|about\s+)?$",
    re.I,
)
_CHILD_WORDS = _SYN["child_words"]
_WOMEN_WORDS = _SYN["women_words"]
_PLACE_PREPS = _SYN["place_preps"]
_PLACE_LABELS = _SYN["place_labels"]
_EVENT_NOUNS = _SYN["event_nouns"]
_TARGET_NOUNS = _SYN["target_nouns"]
_EVENT_HEADS = _SYN["event_heads"]
_SINGULAR_ONE = re.compile(r"^(?:a|an|one)$", re.I)
_VICTIM_PREPS = _SYN["victim_preps"]
_VICTIM_ACL = _SYN["victim_acl"]
_BE = _SYN["be"]
_STATE_NOUNS = _SYN["state_nouns"]
_COUNT_WORDS = _SYN["count_words"]
# Verbs through which a count reaches an outcome noun: "the toll rose to 112", "brings to 76 the number of ... killed".
_LIGHT_VERBS = _SYN["light_verbs"]


# "left 3 dead and 6 injured", "left six civilians wounded": the state word after the count
# says what befell them, never "left" itself.
_LEAVE = frozenset({"leave", "leaves", "left", "leaving"})
_JOINERS = frozenset({"and", "or", "&", "and/or", "/"})
_PARTICLES = frozenset({"up", "off", "away", "then", "later", "subsequently", ","})


def find(doc: Doc, lex: Lexicon, actors: ActorDictionary) -> list[Found]:
    triggers = _triggers(doc, lex)
    if not triggers:
        return []
    masked = date_spans(doc_text(doc))
    counts = [
        c for c in find_counts(doc_text(doc))
        if not is_pronoun_one(c, doc_text(doc)) and not any(s <= c.start < e for s, e in masked)
    ]  # fmt: skip
    anchored = [(c, _anchor(doc, c)) for c in counts]
    anchored = [(c, a) for c, a in anchored if a is not None]
    claims: list[Found] = []
    # Sub-counts first: a count under "including"/"among" qualifies another one.
    used_as_part, parts_of = _sub_counts(doc, anchored, lex)
    # Victim token -> the outcome word its count took: "129 loyalists and 116 rebels".
    took: dict[int, tuple[Trigger, str]] = {}
    for i, (c, anchor) in enumerate(anchored):
        if i in used_as_part:
            continue
        victim = _people_counted(c, anchor, lex)
        if victim is None:
            continue
        trig, how = _attach(anchor, victim, triggers, lex)
        if trig is None:
            trig, how = _conjunct_of(victim, took)
        if trig is None or _described(c, victim, trig):
            continue
        took[victim.i] = (trig, how)
        if trig.weak and not _weak_ok(trig, victim, anchor, lex):
            continue
        joint = _joint(trig, triggers)
        if joint is not None and {trig.outcome, joint.outcome} - {"killed", "wounded"}:
            # "rounded up and executed", "abducted and killed": the same people, taken then
            # killed; each outcome keeps the figure.
            for t in sorted((trig, joint), key=lambda x: x.token.i):
                claims.append(
                    _build(doc, c, anchor, victim, t, how, parts_of.get(i, []), lex, actors)
                )
            continue
        if joint is not None:
            # "killing and injuring dozens", "killed or wounded": one figure for two outcomes
            # says neither how many died nor how many were hurt.
            blank = Count(None, None, False, True, c.text, c.start, c.end, None)
            for t in sorted((trig, joint), key=lambda x: x.token.i):
                claims.append(_build(doc, blank, anchor, victim, t, how, [], lex, actors))
            continue
        claims.append(_build(doc, c, anchor, victim, trig, how, parts_of.get(i, []), lex, actors))
    # "Several people were killed", "a civilian was killed": an outcome with no figure.
    used = {f.trigger_i for f in claims}
    if claims:
        # A figure in the sentence already counts its people; only an outcome word of its own
        # ("killing 12 and wounding a child") may add one.
        used |= {
            t.token.i for t in triggers
            if any(_completes(t.token, doc[f.trigger_i]) for f in claims)
        }  # fmt: skip
    # Token offsets read once for all claims (each Token object costs a spaCy allocation).
    offsets = [t.idx for t in doc] if any(f.count is not None for f in claims) else []
    counted = {
        i
        for f in claims
        if f.count is not None
        for i, idx in enumerate(offsets)
        if f.count.start <= idx < f.count.end or f.victim_span[0] <= idx < f.victim_span[1]
    }
    claims.extend(_numberless(doc, triggers, lex, actors, used, counted))
    return claims


def _sub_counts(
    doc: Doc, anchored: list[tuple[Count, Token]], lex: Lexicon
) -> tuple[set[int], dict[int, list[Part]]]:
    """Which counts qualify another ("including 5 children", "among them"), and the parts each
    owner gets: (indexes used as parts, owner index -> its parts)."""
    used_as_part: set[int] = set()
    parts_of: dict[int, list[Part]] = {}
    for i, (c, anchor) in enumerate(anchored):
        owner = _part_owner(anchor, [a for _, a in anchored], i)
        if (
            owner is None
            and i > 0
            and _PART_BEFORE.search(doc_text(doc)[max(0, c.start - 25) : c.start])
        ):
            owner = (
                max(j for j in range(i) if j not in used_as_part)
                if any(j not in used_as_part for j in range(i))
                else None
            )
        if owner is not None and not _smaller(c, anchored[owner][0]):
            owner = None  # "kills 21 ... killed at least 21": a repeat, not a part
        if owner is not None:
            used_as_part.add(i)
            parts_of.setdefault(owner, []).append(_part(doc, c, anchor, lex))
        else:
            owner = _among_owner(anchor, [a for _, a in anchored], i, lex)
            if owner is not None:
                used_as_part.add(i)
                parts_of.setdefault(owner, []).append(_part(doc, c, anchor, lex))
    return used_as_part, parts_of


_FOUND_VERBS = frozenset(
    {"found", "recovered", "discovered", "retrieved", "pulled", "dumped", "unearthed", "exhumed"}
)
# Nouns whose "of" phrase names whom they belong to: "the families of five rebels".
_RELATIVE_HEADS = frozenset(_SYN["relative_heads"])


def _people_counted(c: Count, anchor: Token, lex: Lexicon) -> Token | None:
    """The token naming the people a count counts, or None when it counts no people."""
    victim = _victim_head(anchor, lex)
    if victim is anchor:
        victim = _number_of(anchor) or anchor
    if victim is anchor and c.value is None and c.vague:
        return None  # "some estimate ...": a pronoun, not a count of people
    if victim.lower_ in lex.not_persons or (
        victim is not anchor and _is_non_person_noun(victim, lex)
    ):
        return None
    if victim.i != anchor.i and _relatives_of(victim):
        return None  # "executed the families of five rebels": the five are not the dead
    return victim


def _described(c: Count, victim: Token, trig: Trigger) -> bool:
    """ "some of the bodies were mutilated", "many hostages": the dead or the captives
    described, already counted or not; "several bodies were found" is an event."""
    return (
        c.value is None
        and c.vague
        and trig.token.i == victim.i
        and victim.pos_ == "NOUN"
        and victim.head.lower_ not in _FOUND_VERBS
    )


def _relatives_of(victim: Token) -> bool:
    """The counted people own the ones the sentence is about ("the families of five rebels")."""
    of = victim.head
    return (
        victim.dep_ == "pobj"
        and not victim.like_num  # "a family of five" counts the family
        and of.lower_ == "of"
        and of.head.lower_ in _RELATIVE_HEADS
    )


def _conjunct_of(victim: Token, took: dict[int, tuple[Trigger, str]]) -> tuple[Trigger | None, str]:
    """A count coordinated with one already attached shares its outcome word: "cost the lives
    of 30 soldiers and 29 insurgents" (the second count often hangs out of the word's reach)."""
    if victim.dep_ == "conj" and victim.head.i in took:
        return took[victim.head.i]
    return None, ""


def _smaller(part: Count, owner: Count) -> bool:
    """A part counts fewer people than its whole (when both have a figure)."""
    if part.value is None or owner.value is None:
        return True
    return part.value < owner.value


def _joint(trig: Trigger, triggers: list[Trigger]) -> Trigger | None:
    """The other outcome word coordinated with ``trig`` ("killing and injuring", "killed or wounded")."""
    doc = trig.token.doc
    for other in triggers:
        if other.outcome == trig.outcome or other.weak:
            continue
        lo, hi = sorted((trig.token.i, other.token.i))
        between = [t.lower_ for t in doc[lo + 1 : hi]]
        if (
            1 <= len(between) <= 3
            and any(w in _JOINERS for w in between)
            and all(w in _JOINERS or w in _PARTICLES for w in between)
        ):
            return other  # "killed and injured", "rounded up and executed"
    return None


def _anchor(doc: Doc, c: Count) -> Token | None:
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    # The count's syntactic head inside its own span ("sixty" in "One hundred and sixty").
    heads = [t for t in span if t.head not in span or t.head == t]
    return heads[-1] if heads else span[-1]


def _path(a: Token, b: Token, within: int) -> int:
    """Edges between two tokens in the dependency tree, or ``within + 1`` if there are more.

    Every caller asks whether two tokens are close, so the climb stops ``within`` steps up, over
    the sentence's head indexes read once: climbing whole chains of ancestors as spaCy tokens
    made one long unpunctuated "sentence" (a deep chain of "of" phrases) cubic in its length.
    """
    if a.i == b.i:
        return 0
    heads = doc_memo(a.doc, "heads", lambda: [t.head.i for t in a.doc])
    up_b: dict[int, int] = {}
    i = b.i
    for n in range(within + 1):
        up_b[i] = n
        if heads[i] == i:
            break
        i = heads[i]
    i = a.i
    for n in range(within + 1):
        m = up_b.get(i)
        if m is not None:
            return n + m if n + m <= within else within + 1
        if heads[i] == i:
            break
        i = heads[i]
    return within + 1


def _under(t: Token, top: Token) -> bool:
    """``t in top.subtree``, by climbing from ``t`` instead of walking the whole subtree."""
    return t == top or top.is_ancestor(t)


def _attach(
    anchor: Token, victim: Token, triggers: list[Trigger], lex: Lexicon
) -> tuple[Trigger | None, str]:
    # "Kills 3 Wounds 20", "killing 14 civilians": an outcome verb right before the count owns it.
    first = min(t.i for t in count_tokens(anchor))
    for trig in triggers:
        w = trig.token.lower_
        if (
            trig.token.i == first - 1
            and not w.endswith("ed")
            and w not in _STATE_NOUNS
            and w not in _LEAVE
        ):
            return trig, "parse"
    # "Seven dead 20 wounded", "At Least 3 Killed 30 Wounded": the outcome word right after the count.
    after = victim if victim.i > anchor.i else anchor
    for trig in triggers:
        if not 1 <= trig.token.i - after.i <= 2:
            continue
        between = anchor.doc[after.i + 1 : trig.token.i]
        if all(t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.like_num for t in between) and (
            trig.token.lower_ in lex.trigger_is_noun
            or trig.token.tag_ in ("VBN", "VBD", "JJ")
            or trig.token.is_title
        ):
            return trig, "parse"
    best: tuple[int, Trigger] | None = None
    for trig in triggers:
        t = trig.token
        if t in (anchor, victim):
            # "22 dead": the number itself may be parsed as the head of "dead".
            if t.lower_ in lex.trigger_is_noun and t != anchor and not _done_to(t, triggers):
                d = 0
            else:
                continue
        else:
            d = min(_path(victim, t, 4), _path(anchor, t, 4))
        if d <= 4 and (
            best is None
            or d < best[0]
            or (d == best[0] and abs(t.i - anchor.i) < abs(best[1].token.i - anchor.i))
        ):
            best = (d, trig)
    if best is not None and _governed_by(victim, anchor, best[1].token):
        return best[1], "parse"
    gov = _governing_verb(victim) or _governing_verb(anchor)
    if gov is not None and gov.lower_ in _LIGHT_VERBS and gov.lower_ not in _BE:
        # "brings to 76 the number of troops killed", "the death toll rose to 112"
        for trig in triggers:
            if _under(trig.token, gov) and _path(gov, trig.token, 5) <= 5:
                return trig, "parse"
    if (
        gov is not None
        and _owned_by(gov, victim, anchor)
        and not any(gov == tr.token for tr in triggers)
    ):
        return None, ""  # the count belongs to another verb ("73 of them have returned")
    # Word order: "35 pro-government forces were killed", "killing 14 civilians".
    for trig in sorted(triggers, key=lambda tr: abs(tr.token.i - anchor.i)):
        gap = trig.token.i - anchor.i
        if 0 < gap <= 6 and not _crosses_clause(anchor, trig.token):
            return trig, "order"
        if -4 <= gap < 0 and not _crosses_clause(trig.token, anchor):
            return trig, "order"
    return None, ""


# People named by what had been done to them: "executed 15 detainees" tells what happened next.
_STATUS_NOUNS = frozenset(
    {"detainees", "prisoners", "hostages", "hostage", "captives", "abductees"}
)


def _done_to(victim: Token, triggers: list[Trigger]) -> bool:
    """Whether an outcome verb acts on people named by their status ("executed 15 prisoners")."""
    return victim.lower_ in _STATUS_NOUNS and any(
        tr.token is not victim and tr.token.pos_ == "VERB" and victim.head == tr.token
        for tr in triggers
    )


def _owned_by(gov: Token, victim: Token, anchor: Token) -> bool:
    """The count is a core argument (subject/object) of ``gov``, a verb that is no light verb."""
    if gov.lower_ in _LIGHT_VERBS or _title_case(gov.doc):
        return False  # headlines in title case parse badly: trust word order there
    return any(t.head == gov and t.dep_ in ("nsubj", "nsubjpass", "dobj") for t in (victim, anchor))


def _title_case(doc: Doc) -> bool:
    return doc_memo(doc, "title_case", lambda: _count_title_case(doc))


def _count_title_case(doc: Doc) -> bool:
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.is_title for t in words) / len(words) >= 0.6


def _governed_by(victim: Token, anchor: Token, trig: Token) -> bool:
    """Is the trigger the count's own predicate (or reached through a light verb)?

    Keeps "73 of them have returned" and "displaced millions of people" from
    borrowing a "killed" elsewhere in the sentence.
    """
    if trig in victim.subtree or trig in anchor.subtree or trig == victim:
        return True  # "fighters killed", "22 dead"
    gov = _governing_verb(victim) or _governing_verb(anchor)
    if gov is None or gov == trig:
        return True
    if trig.head == gov and trig.dep_ in ("acomp", "oprd"):
        return True  # "240 more have gone missing", "two remained missing": it completes the verb
    if trig in gov.subtree and (gov.lower_ in _LIGHT_VERBS or gov.lemma_ in _LIGHT_VERBS):
        return True
    # The trigger is an ancestor of the count's verb through a chain of auxiliaries/xcomps.
    up = gov
    while up.dep_ in ("xcomp", "aux", "auxpass") and up.head != up:
        up = up.head
        if up == trig:
            return True
    return False


def _crosses_clause(a: Token, b: Token) -> bool:
    lo, hi = sorted((a.i, b.i))
    return any(
        t.text in {";", ":"} or (t.lower_ in {"but", "while", "whereas", "after", "before"})
        for t in a.doc[lo + 1 : hi]
    )


def _weak_ok(trig: Trigger, victim: Token, anchor: Token, lex: Lexicon) -> bool:
    """Ambiguous words ("claimed", "left", "casualties") count only with people in a core slot."""
    w = victim.lower_
    person = (
        lex.is_person(w) or victim.text in lex.nationalities or w in {"martyrs", "victims", "dead"}
    )
    t = trig.token
    if t.lower_ in {"claim", "claims", "claimed", "claiming"}:
        return (
            (
                person
                and any(x in (victim, anchor) for x in t.subtree)
                and "lives" in doc_text(t.doc).lower()
            )
            or w in {"martyrs", "lives", "victims"}
            or (person and victim.dep_ == "dobj")
        )
    if t.lower_ in {"leave", "leaves", "left", "leaving"}:
        return any(x.lower_ in {"dead", "killed", "wounded", "injured"} for x in t.subtree)
    return person or anchor == victim


def _part_owner(anchor: Token, anchors: list[Token], me: int) -> int | None:
    """Index of the count this one qualifies, if it sits under "including"/"among"."""
    for up in [anchor, *anchor.ancestors][:5]:
        if up.lower_ in _PART_WORDS and up is not anchor:
            for j, other in enumerate(anchors):
                if (
                    j != me
                    and other.i < anchor.i
                    and (
                        other in up.ancestors
                        or up.head == other
                        or up.head in other.subtree
                        or _path(other, up, 3) <= 3
                    )
                ):
                    return j
            return None
    return None


def _among_owner(anchor: Token, anchors: list[Token], me: int, lex: Lexicon) -> int | None:
    """ "11 children among 18 dead", "Six civilians ... were among at least 22 people killed"."""
    victim = _victim_head(anchor, lex)
    holders = [victim, anchor]
    if victim.head.pos_ in ("AUX", "VERB") and victim.dep_ in ("nsubj", "nsubjpass"):
        holders.append(victim.head)
    for h in holders:
        for prep in h.children:
            if prep.dep_ == "prep" and prep.lower_ == "among":
                inside = set(prep.subtree)
                for j, other in enumerate(anchors):
                    if j != me and other in inside:
                        return j
    return None


def _part(doc: Doc, c: Count, anchor: Token, lex: Lexicon) -> Part:
    victim = _victim_head(anchor, lex)
    words = victim.text if victim is not anchor else ""
    w = victim.lower_
    if w in _CHILD_WORDS:
        kind = "children"
    elif w in _WOMEN_WORDS:
        kind = "women"
    elif victim.text in lex.nationalities or w.capitalize() in lex.nationalities:
        kind = "nationality"
    elif w in lex.civilian_nouns:
        kind = "civilians"
    elif w in lex.combatant_nouns:
        kind = "combatants"
    else:
        kind = "other"
    return Part(
        low=c.low,
        high=c.high,
        text=c.text + (f" {words}" if words else ""),
        victims=words,
        kind=kind,
    )


def _build(
    doc: Doc,
    c: Count,
    anchor: Token,
    victim: Token,
    trig: Trigger,
    how: str,
    parts: list[Part],
    lex: Lexicon,
    actors: ActorDictionary,
) -> Found:
    text, vs, ve = victim_phrase(victim, anchor, trig.token)
    victims = victims_of(text, victim, lex, actors)
    outcome = trig.outcome
    children = sum((p.low or p.high or 0) for p in parts if p.kind == "children") or None
    women = sum((p.low or p.high or 0) for p in parts if p.kind == "women") or None
    if victim.lower_ in _CHILD_WORDS:
        children = c.low or c.high
    if victim.lower_ in {"women", "woman"}:
        women = c.low or c.high
    # People coordinated before this count ("129 regime loyalists and 116 rebels") are
    # victims beside it, never its attacker.
    lo = victim.head.left_edge.idx if victim.dep_ == "conj" else vs
    perpetrator = perpetrator_of(doc, trig.token, (min(lo, vs), ve), actors, c.end)
    if trig.token.lower_ in _LOSE:
        perpetrator = None  # "ISIL lost 13 of its fighters": the subject is the victims' side
    if perpetrator is not None and victims.affiliation == perpetrator.name:
        perpetrator = None  # "35 IS jihadists killed ...": IS is who died, not who killed
    return Found(
        outcome=outcome,
        count=c,
        victims=victims,
        perpetrator=perpetrator,
        event_type=event_type(doc_text(doc), trig.token.idx, lex, outcome),
        place_text=place_text_of(doc, trig.token),
        date_text=date_text_of(doc, trig.token),
        parts=tuple(parts),
        children=children,
        women=women,
        attach=how,
        weak_trigger=trig.weak,
        trigger_text=trig.token.text,
        trigger_i=trig.token.i,
        victim_span=(vs, ve),
    )


def path_between(doc: Doc, i: int, j: int, within: int) -> int:
    return _path(doc[i], doc[j], within)
