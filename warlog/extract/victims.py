"""Who a casualty claim counts, and the claims that give no figure.

``_victim_head`` finds the noun a count counts ("22 people", "dozens of militants",
"160 of them"); ``_numberless`` reads the claims stated without a number: "several
civilians were killed", "a civilian was killed", "gunmen shot dead a member of the
council", "Abu Omar was killed" (one named person). ``claims.find`` calls both.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from warlog.extract.actors import ActorDictionary
from warlog.extract.found import Found, Trigger
from warlog.extract.lexicon import Lexicon, lexicon
from warlog.extract.numbers import Count
from warlog.extract.roles import (
    date_text_of,
    event_type,
    partitive_of,
    perpetrator_of,
    place_text_of,
    victim_phrase,
    victims_of,
)
from warlog.nlp import doc_text

# Word sets the rules read, kept as data in lexicon.json ("syntax").
_SYN = lexicon().syntax

_NUM_DEPS = _SYN["num_deps"]
_CHILD_WORDS = _SYN["child_words"]
_SINGLE_ROLES = _SYN["single_roles"]
_COUNT_HEADS = frozenset({"dozens", "hundreds", "scores", "tens", "thousands", "others"})
# Outcome words that stand for the people themselves after a bare count ("18 dead", "5 injured").
_STATE_WORDS = frozenset({"dead", "killed", "injured", "wounded", "hurt", "missing", "arrested"})


def _victim_head(anchor: Token, lex: Lexicon) -> Token:
    """The noun a count counts: "22 people", "dozens of militants", "160 of them"."""
    nxt = anchor.nbor(1) if anchor.i + 1 < len(anchor.doc) else None
    if (
        nxt is not None
        and nxt.lower_ in lex.trigger_outcome
        and (
            anchor.head.like_num
            or anchor.head.lower_ in _COUNT_HEADS
            # "18 dead in IS attack": the noun the parse hung the count on lies past the outcome
            or (anchor.head.i > nxt.i and nxt.lower_ in _STATE_WORDS)
        )
    ):
        return anchor  # "35 Dead Dozens Wounded": two counts, each with its outcome word
    if (
        anchor.dep_ in _NUM_DEPS
        and anchor.head.pos_ in ("NOUN", "PROPN", "PRON", "ADJ")
        and anchor.head.i > anchor.i
    ):
        return anchor.head
    of = partitive_of(anchor)
    if of is not None:
        objs = [g for g in of.children if g.dep_ == "pobj"]
        if objs:
            return objs[0]
        for t in anchor.doc[of.i + 1 : of.i + 4]:
            if t.pos_ in ("NOUN", "PROPN", "PRON") and t.lower_ not in {
                "its",
                "their",
                "his",
                "her",
            }:
                return t
    nxt = anchor.nbor(1) if anchor.i + 1 < len(anchor.doc) else None
    if nxt is not None and nxt.lower_ in lex.trigger_outcome:
        return anchor  # "35 Dead", "88 Killed & Injured": no noun, the outcome follows
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.head == anchor:
        return nxt
    # Stripped feeds break parses: "killing 14 civilians" may hang the noun elsewhere.
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ"):
        for t in anchor.doc[anchor.i + 1 : anchor.i + 4]:
            if t.lower_ in lex.trigger_outcome:
                break
            if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod"):
                return t
    return anchor


def _number_of(anchor: Token) -> Token | None:
    """ "brings to 76 the number of Syrian troops ... killed": the people behind "the number of"."""
    gov = _governing_verb(anchor)
    if gov is None:
        return None
    for t in gov.subtree:
        if t.lower_ in {"number", "toll", "tally", "count"}:
            for prep in t.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    objs = [g for g in prep.children if g.dep_ == "pobj"]
                    if objs:
                        return objs[0]
    return None


def _is_non_person_noun(victim: Token, lex: Lexicon) -> bool:
    w = victim.lower_
    if lex.is_person(w) or w in lex.nationalities or victim.text in lex.nationalities:
        return False
    return victim.pos_ == "NOUN" and w in lex.not_persons


def _governing_verb(tok: Token) -> Token | None:
    for up in tok.ancestors:
        if up.pos_ in ("VERB", "AUX"):
            return up
    return None


_QUANT_WORDS = frozenset({"several", "many", "a", "an", "some", "numerous", "scores"})
# Determiners that make a singular role noun one person: "a civilian", "the woman", "his brother".
_ONE_DETS = frozenset({"a", "an", "one", "the", "his", "her", "their", "its", "this", "that"})
# Verbs an outcome word completes ("shot dead", "found dead", "beaten to death"): their
# subject or object is the victim.
_COMPLETED_VERBS = frozenset(
    {"shot", "gunned", "found", "beaten", "stabbed", "tortured", "burned", "burnt", "stoned",
     "hacked", "crushed", "left", "lying"}
)  # fmt: skip


def _completes(a: Token, b: Token) -> bool:
    """One outcome word completes the other ("shot dead", "killed ... dead"), not a conjunct."""
    return (a.head == b and a.dep_ != "conj") or (b.head == a and b.dep_ != "conj")


def _own_clause(obj: Token) -> bool:
    """ "Civilian Killed Others Injured": a title-case headline's second clause, parsed as the
    object of the first verb; its people have their own outcome word."""
    return obj.lower_ == "others" and any(
        g.dep_ == "acl" and g.lower_ in _STATE_WORDS for g in obj.children
    )


def _victim_slots(t: Token) -> list[Token]:
    """Tokens that may name whom an outcome word befell, nearest first.

    "killed a civilian" (object), "a civilian was killed" (passive subject), "the woman died"
    (subject), "shot dead a member" (object of the verb "dead" completes), "a suspect was
    shot and died" (subject of the first verb of a conjunction), "the body of a fighter"
    (after "of" when the trigger is a noun).
    """
    verbs = [t]
    if t.dep_ in ("acomp", "advmod", "oprd", "xcomp", "ccomp", "amod", "prep", "pobj") and (
        t.head.lower_ in _COMPLETED_VERBS
    ):
        verbs.append(t.head)
    if t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX"):
        verbs.append(t.head)
    # An active subject with an object is the attacker ("a soldier killed two civilians");
    # without one it is who died ("the woman died", headlines' "Rebel leader killed").
    out = [
        c for v in verbs for c in v.children
        if (c.dep_ in ("nsubjpass", "dobj") and not _own_clause(c))
        or (c.dep_ == "nsubj" and not any(x.dep_ == "dobj" and not _own_clause(x) for x in v.children))
    ]  # fmt: skip
    if t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN"):
        out.append(t.head)  # "others injured", "a civilian killed"
    if t.pos_ == "NOUN":
        for prep in t.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                out.extend(g for g in prep.children if g.dep_ == "pobj")
    return out


# Verbs that take towns as often as people: a bare name after them is no victim
# ("capturing Tal Jamu"); kidnapped people are named with "kidnapped"/"abducted".
_TERRITORY_VERBS = frozenset(
    {"capture", "captured", "captures", "capturing", "seize", "seized", "seizes", "seizing"}
)
_INTRANSITIVE = frozenset({"die", "dies", "died", "dying", "perish", "perished", "perishes"})
_NOT_NAMES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "syria",
     "god", "allah"}
)  # fmt: skip


def _named_person(tok: Token, lex: Lexicon, actors: ActorDictionary) -> tuple[int, int] | None:
    """Char span of a person's name in a victim slot ("Ahmad al-Hassan"), or None.

    The pipeline has no person recogniser: a proper noun that is neither a place, an actor
    nor a nationality, with only proper-noun compounds before it, is taken as a name.
    """
    if tok.tag_ != "NNP" or not tok.text[:1].isupper() or tok.lower_ in _NOT_NAMES:
        return None  # "Christians", "Assyrians": a plural is a group, not a name
    if lex.is_person(tok.lower_) or tok.text in lex.nationalities or tok.lower_ in _SINGLE_ROLES:
        return None  # "Syrian Army Kills Terrorist Commander": a role in title case
    if tok.ent_type_ in ("PLACE", "GPE", "LOC", "FAC", "ACTOR", "CLAIMANT", "DATE", "NORP"):
        return None
    first = tok
    for left in reversed(list(tok.lefts)):
        if left.i == first.i - 1 and left.dep_ in ("compound", "punct") and left.pos_ == "PROPN":
            first = left
    span = doc_text(tok.doc)[first.idx : tok.idx + len(tok)]
    if actors.find_actors(span) or not span[:1].isupper():
        return None
    return first.idx, tok.idx + len(tok)


def _one_victim_span(child: Token, lex: Lexicon, actors: ActorDictionary) -> tuple[int, int] | None:
    """Char span of the words naming one victim ("a member of the local council"), or None."""
    dets = [g for g in child.lefts if g.dep_ in ("det", "poss", "nummod") and g.lower_ in _ONE_DETS]
    if (
        child.dep_ in ("dobj", "nsubjpass") or child.head.lower_ in _INTRANSITIVE
    ) and child.head.lower_ not in _TERRITORY_VERBS:
        named = _named_person(child, lex, actors)
        if named is not None:
            return named
    if (
        dets
        and child.tag_ == "NN"
        and (lex.is_person(child.lower_) or child.lower_ in _SINGLE_ROLES)
    ):
        first, last = dets[0], child
        of = next((p for p in child.rights if p.dep_ == "prep" and p.lower_ == "of"), None)
        while of is not None:
            # "a member of the local council": the "of" phrase, not what follows it.
            objs = [g for g in of.children if g.dep_ == "pobj"]
            if not objs:
                break
            last = objs[0]
            of = next((p for p in last.rights if p.dep_ == "prep" and p.lower_ == "of"), None)
    else:
        return None
    return first.idx, last.idx + len(last)


def _amount(child: Token, lex: Lexicon, actors: ActorDictionary) -> tuple[bool, int, int] | None:
    """How many people a number-less victim slot names: (one person?, span of the words)."""
    quant = [
        g for g in child.children
        if g.dep_ in ("amod", "det", "nummod") and g.lower_ in _QUANT_WORDS - {"a", "an"}
    ]  # fmt: skip
    one_span = None if quant else _one_victim_span(child, lex, actors)
    if quant and lex.is_person(child.lower_):
        q = quant[0]
        one = False
        cs, ce = q.idx, q.idx + len(q.text)
    elif one_span is not None:
        one = True
        cs, ce = one_span
    elif child.lower_ == "others" and not any(
        g.dep_ in ("det", "nummod", "amod") for g in child.children
    ):
        one = False  # "four killed, others injured": more people, no figure
        cs, ce = child.idx, child.idx + len(child.text)
    elif child.tag_ in ("NN", "NNP") and child.lower_ in _SINGLE_ROLES:
        one = True  # "Blast Kills Grand Mosque Imam": one named victim
        # "Ahrar al-Sham leader": the modifiers are the victim's side, not the attacker.
        cs, ce = child.left_edge.idx, child.idx + len(child.text)
    else:
        return None
    return one, cs, ce


def _numberless_found(
    doc: Doc,
    trig: Trigger,
    child: Token,
    amount: tuple[bool, int, int],
    side: list[Token],
    lex: Lexicon,
    actors: ActorDictionary,
) -> Found:
    """The claim of a number-less victim slot; ``side`` are the people counted beside it."""
    t = trig.token
    one, cs, ce = amount
    if one and child.tag_ in ("NN", "NNP") and not _one_victim_span(child, lex, actors):
        count_text = child.text
    else:
        count_text = doc_text(doc)[cs:ce]
    count = Count(
        low=1 if one else None,
        high=1 if one else None,
        approx=False,
        vague=not one,
        text=count_text,
        start=cs,
        end=ce,
        value=1 if one else None,
    )
    if one:
        # The victim is the phrase the count names, without its determiner.
        first = doc.char_span(cs, ce, alignment_mode="expand")
        vs = next((x.idx for x in first if x.dep_ not in ("det", "poss")), cs) if first else cs
        ve = ce
        text = doc_text(doc)[vs:ve]
    else:
        text, vs, ve = victim_phrase(child, doc[child.i], t)
    # The people counted beside this victim are victims too, never its attacker.
    lo = min([vs, cs, *(x.left_edge.idx for x in side)])
    hi = max([ve, ce, *(x.right_edge.idx + len(x.right_edge.text) for x in side)])
    return Found(
        outcome=trig.outcome,
        count=count,
        victims=victims_of(text, child, lex, actors),
        perpetrator=perpetrator_of(doc, t, (lo, hi), actors, ce),
        event_type=event_type(doc_text(doc), t.idx, lex, trig.outcome),
        place_text=place_text_of(doc, t),
        date_text=date_text_of(doc, t),
        parts=(),
        children=1 if one and child.lower_ in _CHILD_WORDS else None,
        women=1 if one and child.lower_ in {"woman"} else None,
        attach="vague",
        weak_trigger=trig.weak,
        trigger_text=t.text,
        trigger_i=t.i,
        victim_span=(vs, ve),
    )


def _numberless(
    doc: Doc,
    triggers: list[Trigger],
    lex: Lexicon,
    actors: ActorDictionary,
    used: set[int],
    counted: set[int],
) -> list[Found]:
    """A claim without a figure: "several civilians were killed", "a civilian was killed",
    "gunmen shot dead a member of the council", "Abu Omar was killed" (one named person).

    ``used`` holds the token indexes of triggers a counted claim already took; on those only
    one victim coordinated with the counted people (``counted``: their tokens) is added.
    """
    out: list[Found] = []
    taken: set[int] = set()
    for trig in triggers:
        t = trig.token
        beside_figure = t.i in used  # only "a commander as well as five of his guards" may add one
        if beside_figure and not counted:
            continue
        if trig.weak and t.lower_ not in {"body", "shot"}:
            continue
        if t.lower_ == "shot" and not any(x.lower_ in {"dead"} for x in t.children):
            continue  # "was shot" alone is a wounding or nothing; "shot dead" kills
        slots = _victim_slots(t)
        if beside_figure:
            # "killed 17 militants and a child": the one victim hangs on the counted people
            slots += [x for c in slots if c.i in counted for x in c.conjuncts if x not in slots]
        for child in slots:
            if child.i in taken:
                continue
            if beside_figure and (
                child.i in counted
                # coordinated with the counted people, however the parse hung the "and"
                or not any(x.i in counted for x in (*child.conjuncts, *t.conjuncts))
                or _one_victim_span(child, lex, actors) is None
            ):
                continue
            amount = _amount(child, lex, actors)
            if amount is None:
                continue
            taken.add(child.i)
            side = [x for x in child.conjuncts if x.i in counted] if beside_figure else []
            out.append(_numberless_found(doc, trig, child, amount, side, lex, actors))
    return out
