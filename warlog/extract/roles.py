"""The roles around a casualty claim: who died, who did it, what kind of event, where and when.

Given the outcome word and the count a claim was attached to (:mod:`.claims`),
these functions read the victims' phrase, the perpetrator (never the victims'
own side, never a speaker or a target), the ACLED-style event type, and the
words of its place and date.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from warlog.clean.datefind import find_date_expressions
from warlog.clean.origins import is_origin
from warlog.extract.actors import ActorDictionary, Mention
from warlog.extract.lexicon import Lexicon, lexicon
from warlog.nlp import doc_memo, doc_text
from warlog.records import ActorRef, ClaimantRef, Victims

_SYN = lexicon().syntax
_COUNT_WORDS = _SYN["count_words"]
_VICTIM_PREPS = _SYN["victim_preps"]
_VICTIM_ACL = _SYN["victim_acl"]
_EVENT_NOUNS = _SYN["event_nouns"]
_TARGET_NOUNS = _SYN["target_nouns"]
_EVENT_HEADS = _SYN["event_heads"]
_PLACE_PREPS = _SYN["place_preps"]
_PLACE_LABELS = _SYN["place_labels"]

_AFFILIATION_BEFORE = re.compile(
    r"(?:fighting|fight|fought|serving|joined|join|members?)\s+(?:for|with|alongside|in|of)\s+(?:the\s+)?(?:ranks\s+of\s+(?:the\s+)?)?(?:\w+\s+){0,2}$"
)
_EVENT_IN_MENTION = re.compile(
    r"\b(?:strikes?|raids?|warplanes|jets|aircraft|attacks?|shelling|bombing|air\s*force|helicopters?|drones?|artillery|barrel)\b",
    re.I,
)
_TARGET_BEFORE = re.compile(
    r"\b(?:against|targeting|targeted|target|targets|hit|hitting|on|at|into|over)\s+(?:the\s+)?(?:\w+\s+)?$"
)
_NOT_FOR_DEATHS = {"arrest", "abduction"}


def victim_phrase(victim: Token, anchor: Token, trig: Token) -> tuple[str, int, int]:
    """Words naming the victims, without the count or the outcome word."""
    count_toks = count_tokens(anchor)
    if victim is anchor:
        # "160 of them": the partitive object names them.
        of = partitive_of(anchor)
        if of is not None:
            toks = list(of.subtree)
            return " ".join(t.text for t in toks), toks[0].idx, toks[-1].idx + len(toks[-1])
        return "", anchor.idx, anchor.idx
    below_trigger = set(trig.subtree) if trig in victim.subtree and trig != victim else set()
    keep: list[Token] = [victim]
    for t in victim.lefts:
        # Only modifiers between the count and its noun: "At least 160 [Russian Daesh] fighters".
        if (
            t.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod")
            and t not in count_toks
            and (anchor.i > victim.i or t.i > anchor.i)
        ):
            keep.extend(
                x
                for x in t.subtree
                if x not in count_toks and (anchor.i > victim.i or x.i > anchor.i)
            )
    for t in victim.rights:
        attach = (t.dep_ == "prep" and t.lower_ in _VICTIM_PREPS) or (
            t.dep_ == "acl" and t != trig and t.lower_ in _VICTIM_ACL
        )
        if attach or (t.dep_ == "appos" and t not in below_trigger):
            keep.extend(x for x in t.subtree if x not in below_trigger and x != trig)
    keep = [t for t in keep if t.i != trig.i]
    if not keep:
        return "", victim.idx, victim.idx
    first, last = min(t.i for t in keep), max(t.i for t in keep)
    toks = [t for t in victim.doc[first : last + 1] if t not in count_toks and t != trig]
    if below_trigger:
        cut = next((n for n, t in enumerate(toks) if t in below_trigger and t.i > victim.i), None)
        toks = toks[:cut] if cut is not None else toks
    while toks and (toks[0].is_punct or toks[0].dep_ in ("det", "cc")):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc",)):
        toks = toks[:-1]
    if not toks:
        return victim.text, victim.idx, victim.idx + len(victim)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
    return doc_text(victim.doc)[start:end], start, end


# How far from its head number a count expression reaches ("at least nine", "One hundred and
# sixty", "more than two dozen" span at most four words).
_COUNT_REACH = 6


def count_tokens(anchor: Token) -> set[Token]:
    """The tokens of the count expression itself ("at least nine", "One hundred and sixty").

    Only the words near the number are read: the whole subtree of a count can be the rest of a
    long sentence, and reading it for every count made such a sentence cubic.
    """
    out = {anchor}
    doc = anchor.doc
    lo = max(anchor.left_edge.i, anchor.i - _COUNT_REACH)
    hi = min(anchor.right_edge.i, anchor.i + _COUNT_REACH)
    for t in doc[lo : hi + 1]:
        if (
            t.dep_ in ("advmod", "quantmod", "compound", "nummod", "cc", "conj", "det")
            and (t.like_num or t.lower_ in _COUNT_WORDS)
            and anchor.is_ancestor(t)
        ):
            out.add(t)
    return out


def partitive_of(anchor: Token) -> Token | None:
    """The "of" of "160 of them", "four of its servicemen", wherever the parse hung it."""
    for t in count_tokens(anchor):
        for child in t.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                return child
    nxt = anchor.doc[anchor.i + 1] if anchor.i + 1 < len(anchor.doc) else None
    if nxt is not None and nxt.lower_ == "of":
        return nxt
    return None


def victims_of(text: str, victim: Token, lex: Lexicon, actors: ActorDictionary) -> Victims:
    words = {w.lower().strip(",.") for w in text.split()}
    civ = bool(
        words
        & lex.civilian_nouns
        - {"people", "persons", "individuals", "citizens", "nationals", "men", "man"}
    )
    com = bool(words & lex.combatant_nouns) or any(
        w.startswith(("pro-", "regime", "government")) for w in words
    )
    if civ and com:
        kind = "mixed"
    elif civ:
        kind = "civilians"
    elif com:
        kind = "combatants"
    else:
        kind = "unknown"
    nationality = next(
        (
            w
            for w in text.replace("-", " ").split()
            if w in lex.nationalities and w not in {"foreign", "foreigners"}
        ),
        None,
    )
    if nationality and nationality.endswith("s") and nationality[:-1] in lex.nationalities:
        nationality = nationality[:-1]
    mentions = sorted(
        actors.find_actors(text),
        key=lambda m: (
            getattr(actors.actor(m.id), "generic", False),
            actors.actor(m.id).kind == "unknown",
            m.start - m.end,
        ),
    )
    affiliation = None
    if mentions:
        affiliation = actors.actor(mentions[0].id).name
        if kind == "unknown" and actors.actor(mentions[0].id).kind != "unknown":
            kind = "combatants"
    m = re.search(
        r"\bpro-[\w-]+(?:\s+(?:forces|fighters|militias?|militiamen|troops))?", text, re.I
    )
    if m:
        affiliation = affiliation or m.group(0)
    if nationality and kind == "unknown" and victim.lower_ in {"soldiers", "troops", "servicemen"}:
        kind = "combatants"
    return Victims(text=text, kind=kind, affiliation=affiliation, nationality=nationality)


def own_forces(
    victims: Victims, claimant: ClaimantRef | None, lex: Lexicon, actors: ActorDictionary
) -> Victims:
    """Soldiers of no stated nationality, reported by a state's ministry or press, are its own.

    "Moscow's Defense Ministry said four of its servicemen were killed", "a local Russian
    newspaper reported the funerals of four soldiers": Russians, so a reconciliation can set
    them beside "at least nine Russians" rather than against the whole toll.
    """
    if victims.nationality or claimant is None:
        return victims
    words = {w.lower().strip(",.") for w in victims.text.split()}
    if not words & lex.own_force_nouns or victims.affiliation:
        return victims
    nationality = None
    if claimant.id:
        known = actors.claimant(claimant.id)
        if known.country and known.kind in {"government", "military", "state media"}:
            nationality = lex.demonyms.get(known.country)
    if nationality is None:
        nationality = next(
            (w for w in claimant.text.replace("-", " ").split() if w in lex.demonyms.values()),
            None,
        )
    if nationality is None:
        return victims
    return Victims(victims.text, "combatants", victims.affiliation, nationality)


# "a rebel-held village", "regime-controlled districts", "the IS-run Amaq agency": the
# mention names who holds a place or runs an outlet, never who attacked.
_TERRITORY_AFTER = re.compile(
    r"\s*[-\u2010-\u2014]\s*(?:held|controlled|run|dominated|occupied|besieged|administered|ruled)\b",
    re.I,
)
# "air strikes on X", "shelling of X", "raids against X": X was hit, it did not hit.
_TARGET_OF_EVENT = re.compile(
    r"\b(?:air\s*strikes?|strikes?|raids?|shelling|bombing|bombardment|attacks?|assaults?|offensive|"
    r"operations?|fire|barrages?|sorties)\s+(?:on|upon|of|against|targeting|at|into)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}$"
    # "foiled an IS attack", "repelled ISIL's attacks", "inflicted heavy losses on the ISIL":
    # the side that attacked and lost, not the side that killed.
    r"|\b(?:foiled|foils|foil|thwarted|thwarts|thwart|repelled|repels|repel|repulsed|repulses|"
    r"frustrated|frustrates|frustrate|fended\s+off|fends\s+off|fend\s+off|"
    r"inflicted\s+(?:\w+\s+){0,2}(?:losses|casualties)\s+(?:on|upon|among))\s+"
    r"(?:the\s+|an?\s+)?(?:(?!by\b)[\w-]+\s+){0,2}$",
    re.I,
)
# What may stand between a group and a target noun: "IS positions", "ISIS) group's stronghold".
_TARGET_AFTER = re.compile(
    r"[\s)’'s]*(?:(?:group|groups|organi[sz]ation|militants|fighters|jihadists)[’']?s?\s+)?"
    r"(?:(?:de\s+facto|self[-\s]proclaimed|main|key|last|former)\s+)?([\w-]+)",
    re.I,
)
_SPEAKER_AFTER = re.compile(
    r"^\W{0,3}(?:[\w-]+\W+){0,2}?(?:said|says|told|tells|reported|reports|claimed|claims|announced|"
    r"stated|added|posted|published|quoted|cited)\b",
    re.I,
)
# "... said it killed", "claimed responsibility": a speaker that is also the attacker.
_SPEAKS_OF_ITSELF = re.compile(
    r"^\W{0,3}(?:[\w-]+\W+){0,3}?(?:(?:said|says|announced|claimed|claims|stated|added)\s+"
    r"(?:on\s+\w+\s+)?(?:that\s+)?(?:it|they|its|their)\b|claimed\s+responsibility|claims\s+responsibility)",
    re.I,
)
# Words that may stand between a count and the victims' own side ("120 IS fighters", "dozens of Nusra members").
_BEFORE_VICTIM_SIDE = re.compile(r"^\s*(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+)?$")
_NOT_BETWEEN = frozenset(
    {
        "in",
        "by",
        "as",
        "at",
        "on",
        "after",
        "during",
        "when",
        "near",
        "with",
        "while",
        "amid",
        "and",
    }
)


def mention_role(text: str, start: int, end: int) -> str | None:
    """Why an actor named at ``text[start:end]`` is not the attacker, or None if it may be.

    "territory" ("rebel-held", "regime-controlled", "IS-run"), "target" ("strikes on X",
    "shelling of X"), "speaker" ("X said", unless "X said it killed" or "X claimed
    responsibility"). Read on the text alone so the lead can apply it outside a parse.
    """
    if _TERRITORY_AFTER.match(text, end):
        return "territory"
    if _TARGET_OF_EVENT.search(text[max(0, start - 45) : start]):
        return "target"
    nxt = _TARGET_AFTER.match(text, end)
    if nxt is not None and nxt.group(1).lower() in _TARGET_NOUNS:
        return "target"  # "IS positions", "rebel targets", "the ISIS group's stronghold"
    after = text[end : end + 60]
    if _SPEAKER_AFTER.match(after) and not _SPEAKS_OF_ITSELF.match(after):
        return "speaker"
    return None


def victims_side(text: str, count_end: int | None, start: int) -> bool:
    """The mention stands right after the count, as the victims' own side: "kill 120 IS fighters"."""
    if count_end is None or start < count_end:
        return False
    between = text[count_end:start]
    if not _BEFORE_VICTIM_SIDE.match(between):
        return False
    return not any(w.lower() in _NOT_BETWEEN for w in between.split())


@cache
def _unnamed() -> tuple[str, re.Pattern[str]]:
    raw = json.loads(
        resources.files("warlog.data").joinpath("unnamed_attackers.json").read_text("utf-8")
    )
    forms = sorted(raw["surface_forms"], key=len, reverse=True)
    alt = "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in forms)
    return raw["actor_id"], re.compile(rf"\b(?:{alt})\b", re.I)


def unnamed_attackers(text: str) -> list[Mention]:
    """Attackers described but not named ("masked men", "an unknown armed group"), as mentions."""
    actor_id, pattern = _unnamed()
    return [Mention(m.start(), m.end(), m.group(0), actor_id) for m in pattern.finditer(text)]


def perpetrator_of(
    doc: Doc,
    trig: Token,
    victim_span: tuple[int, int],
    actors: ActorDictionary,
    count_end: int | None = None,
) -> ActorRef | None:
    best: tuple[float, ActorRef] | None = None
    vs, ve = victim_span
    subject = _subject_of(trig)
    text = doc_text(doc)
    mentions = doc_memo(
        doc, "perpetrators", lambda: [*actors.find_actors(text), *unnamed_attackers(text)]
    )
    for m in mentions:
        if vs <= m.start < ve or vs < m.end <= ve:
            continue  # the victims' own affiliation
        if victims_side(doc_text(doc), count_end, m.start):
            continue  # "Russia strikes kill 120 IS fighters": IS is who died
        if mention_role(doc_text(doc), m.start, m.end) is not None:
            continue  # the territory, the target or the speaker
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        before = doc_text(doc)[max(0, m.start - 30) : m.start].lower()
        after = doc_text(doc)[m.end : m.end + 15].lower()
        if _AFFILIATION_BEFORE.search(before):
            continue  # "fighting for the Takfiri ISIS group": whose side the victims were on
        if head.head.lower_ in _TARGET_NOUNS and head.head.i > head.i:
            continue  # "terrorist targets", "IS positions": what was hit
        agent = bool(re.search(r"\bby\s+(?:the\s+)?(?:\w+\s+)?$", before[-20:]))
        modifier = (
            head.dep_ in ("compound", "amod", "poss", "nmod") and head.head.lower_ in _EVENT_NOUNS
        )
        event_in_mention = bool(_EVENT_IN_MENTION.search(m.text))
        if m.start >= ve > vs and not (agent or modifier or event_in_mention):
            continue  # after the victims only "by X" and "X raids" name an attacker
        score = abs(head.i - trig.i)
        if agent:
            score -= 6
        if subject is not None and (subject in span or head in subject.subtree):
            score -= 8  # active subject of "killed" (or of the verb "killed" is conjoined with)
        if actors.actor(m.id).kind == "unknown":
            score += 3  # "terrorists", "gunmen": a label, not a group
        if modifier or event_in_mention:
            score -= 3  # "Russian raids", "Daesh attack"
        if re.search(r"\baccording\b", after):
            score += 8  # a source, not an attacker
        if _TARGET_BEFORE.search(before[-25:]):
            score += 8  # "strikes against IS", "raids on IS positions": the target
        if re.search(
            r"\b(?:clash(?:es)?|fighting|battles?|combat)\s+(?:with|against)\s+(?:the\s+)?$", before
        ):
            score -= 4  # "killed in clashes with Kurdish forces": the other side
        actor = actors.actor(m.id)
        ref = ActorRef(text=m.text, id=actor.id, name=actor.name, kind=actor.kind)
        if best is None or score < best[0]:
            best = (score, ref)
    return best[1] if best else None


def _subject_of(trig: Token) -> Token | None:
    """The active subject of the outcome verb, or of the verb it is conjoined with ("Army Frustrates ... Kills")."""
    for verb in (trig, trig.head if trig.dep_ == "conj" else None):
        if verb is None:
            continue
        for child in verb.children:
            if child.dep_ == "nsubj":
                return child
    return None


def event_type(text: str, near: int, lex: Lexicon, outcome: str = "killed") -> str:
    """The event family whose keyword stands nearest ``near`` (a char offset); more specific families win ties.

    A keyword inside a longer one of another family does not count ("bomb" in "barrel bomb").
    """
    hits = _event_hits(text, lex, outcome in ("killed", "wounded", "missing"))
    best: tuple[int, int, str] | None = None
    for start, end, rank, etype in hits:
        dist = min(abs(start - near), abs(end - near))
        key = (dist // 80, rank, etype)  # within ~80 characters, the more specific family wins
        if best is None or key < best:
            best = key
    return best[2] if best else "other"


_Hits = tuple[tuple[int, int, int, str], ...]
# (text, deaths) -> (lexicon, hits) for the last few sentences read: every claim of a sentence
# asks for the same hits. Few entries, so memory stays flat whatever the corpus.
_EVENT_HITS: dict[tuple[str, bool], tuple[Lexicon, _Hits]] = {}
_EVENT_HITS_SIZE = 32


def _event_hits(text: str, lex: Lexicon, deaths: bool) -> _Hits:
    """Event keywords of ``text``, minus those inside a longer one of another family."""
    known = _EVENT_HITS.get((text, deaths))
    if known is not None and known[0] is lex:
        return known[1]
    hits = _find_event_hits(text, lex, deaths)
    if len(_EVENT_HITS) >= _EVENT_HITS_SIZE:
        try:
            _EVENT_HITS.pop(next(iter(_EVENT_HITS)), None)  # the oldest
        except (StopIteration, RuntimeError):  # another thread changed it meanwhile
            _EVENT_HITS.clear()
    _EVENT_HITS[(text, deaths)] = (lex, hits)
    return hits


def _find_event_hits(text: str, lex: Lexicon, deaths: bool) -> _Hits:
    hits: list[tuple[int, int, int, str]] = []
    for rank, (etype, pattern) in enumerate(lex.event_keywords):
        if deaths and etype in _NOT_FOR_DEATHS:
            continue
        hits.extend((m.start(), m.end(), rank, etype) for m in pattern.finditer(text))
    return tuple(
        h
        for h in hits
        if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in hits)
    )


def place_text_of(doc: Doc, trig: Token) -> str | None:
    ents = [
        e for e in doc.ents if e.label_ in _PLACE_LABELS and not _adjectival(e) and not _origin(e)
    ]
    if not ents:
        return None
    ent = min(ents, key=lambda e: abs(e.root.i - trig.i) + (0 if _after_preposition(e) else 4))
    start = ent.start
    # Widen to the preposition and descriptors: "near the town of Mayadeen".
    for j in range(ent.start - 1, max(ent.start - 10, -1), -1):
        t = doc[j]
        if t.lower_ in _PLACE_PREPS and t.lower_ != "of":
            start = j
            break
        if t.is_punct or t.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "ADP", "NUM"):
            break
    return doc[start : ent.end].text


def _adjectival(ent: Span) -> bool:
    """ "Russian Federation strikes", "pro-Damascus", "Britain-based": a place word used as a modifier."""
    before = doc_text(ent.doc)[max(0, ent.start_char - 4) : ent.start_char].lower()
    after = doc_text(ent.doc)[ent.end_char : ent.end_char + 1]
    if (
        before.endswith("pro-")
        or after == "-"
        or ent.root.dep_ == "poss"
        or ent.text.endswith(("’s", "'s"))
    ):
        return True
    return ent.root.dep_ in ("compound", "amod") and ent.root.head.lower_ in _EVENT_HEADS


def _origin(ent: Span) -> bool:
    return is_origin(doc_text(ent.doc), ent.start_char)


def _after_preposition(ent: Span) -> bool:
    return any(t.lower_ in _PLACE_PREPS for t in ent.doc[max(0, ent.start - 5) : ent.start])


def date_text_of(doc: Doc, trig: Token) -> str | None:
    found = doc_memo(doc, "dates", lambda: find_date_expressions(doc_text(doc)))
    if not found:
        return None
    pos = trig.idx
    return min(found, key=lambda f: min(abs(f[0] - pos), abs(f[1] - pos)))[2]
