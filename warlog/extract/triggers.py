"""Outcome words of a parsed sentence: "killed", "wounded", "taken hostage", and the verbs
that kill only with people as their object ("eliminated 20 terrorists", "lost 13 of its
fighters"). ``claims.find`` attaches counts to these."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from warlog.extract.found import Trigger
from warlog.extract.lexicon import Lexicon, lexicon

_SYN = lexicon().syntax
_NOT_KILLED_WOUNDS = _SYN["not_killed_wounds"]
_BE = _SYN["be"]

_NON_TRIGGER_NEXT = {
    "claimed": {"responsibility", "that", "to"},
    "claim": {"responsibility", "to", "that"},
    "claims": {"responsibility", "that"},
    "left": {"the", "for", "behind"},
    "leave": {"the", "for"},
    "fell": {"to", "into", "under", "on", "in", "silent"},
}


def triggers(doc: Doc, lex: Lexicon) -> list[Trigger]:
    out: list[Trigger] = []
    losses: list[Trigger] = []  # after the outcome words, as they have always come
    for t in doc:
        w = t.lower_
        outcome = lex.trigger_outcome.get(w)
        if outcome is None:
            if w in LOSE and _loses_people(t, lex):
                losses.append(Trigger(t, "killed", False))
            continue
        nxt = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
        if nxt in _NON_TRIGGER_NEXT.get(w, ()):
            continue
        if (
            w in _NOT_KILLED_WOUNDS
            and t.head.lower_ in {"of", "from"}
            and t.head.head.lower_ in {"died", "succumbed", "die"}
        ):
            continue
        if (
            outcome == "missing"
            and t.pos_ == "VERB"
            and not any(
                x.lower_
                in _BE
                | {
                    "remain",
                    "remained",
                    "remains",
                    "reported",
                    "listed",
                    "declared",
                    "went",
                    "gone",
                }
                for x in [*t.children, t.head]
            )
        ):
            continue  # "missing the target", not "are missing"
        if w in {"fall", "fell", "fallen"} and not any(
            x.lower_ in {"martyrs", "dead", "victim", "victims"} for x in t.subtree
        ):
            continue
        if w in {"shot"} and nxt == "down":
            continue
        if w in _DESTROY_VERBS and not _acts_on_people(t, lex):
            continue
        out.append(Trigger(t, outcome, w in lex.weak_triggers))
    out += losses
    return out + _phrase_triggers(doc, lex, {tr.token.i for tr in out})


# Military verbs that kill only when people are their object ("eliminated 20 terrorists",
# "eliminating scores of terrorists"; not "destroyed two tanks").
_DESTROY_VERBS = frozenset(
    {"destroyed", "eliminated", "eliminate", "eliminating", "eliminates", "liquidated",
     "neutralised", "neutralized"}
)  # fmt: skip
LOSE = frozenset({"lost", "lose", "loses", "losing"})


def _people_objects(t: Token) -> list[Token]:
    """The verb's objects and what their "of" names ("scores of terrorists", "13 of its fighters")."""
    objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
    for o in list(objs):
        objs += [
            g
            for p in o.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.children
            if g.dep_ == "pobj"
        ]
    return objs


def _acts_on_people(t: Token, lex: Lexicon) -> bool:
    return any(lex.is_person(x.lower_) for x in [*t.children, *_people_objects(t)])


def _loses_people(t: Token, lex: Lexicon) -> bool:
    """ "ISIL lost 13 of its fighters", "the army lost 20 soldiers": a side's own dead."""
    if t.lower_ not in LOSE or t.pos_ != "VERB":
        return False
    objects = _people_objects(t)
    return any(lex.is_person(x.lower_) for x in objects) and any(
        g.like_num for x in objects for g in x.subtree
    )


def _phrase_triggers(doc: Doc, lex: Lexicon, taken: set[int]) -> list[Trigger]:
    """Outcomes stated by a phrase of ordinary words: "lost their lives", "cost the lives of",
    "taken into custody". The phrase's first word stands for it: the victims hang on the verb
    ("five civilians lost their lives"), not on the noun that is an outcome word alone."""
    words = [t.lower_ for t in doc]
    out: list[Trigger] = []
    for phrase, outcome in lex.phrases:
        parts = phrase.split()
        n = len(parts)
        for i in range(len(words) - n + 1):
            if words[i : i + n] == parts and i not in taken:
                out.append(Trigger(doc[i], outcome, False))
                taken.add(i)
    return out
