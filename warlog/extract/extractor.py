"""The Extractor: every casualty claim in an article, and the article's lead incident.

``Extractor.extract(article)`` splits the cleaned text into sentences, parses
only those that can hold a claim, reads claims from each (:mod:`.claims`),
attributes them (:mod:`.attribution`), scopes them (one incident or a
cumulative tally), scores them, and picks the lead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Token

from warlog.clean.sentences import split_sentences
from warlog.extract import claims as rules
from warlog.extract.actors import ActorDictionary
from warlog.extract.attribution import attribute
from warlog.extract.confidence import confidence
from warlog.extract.lead import PERIOD, choose_lead
from warlog.extract.lexicon import Lexicon, lexicon
from warlog.extract.roles import own_forces
from warlog.extract.ruler import add_ruler
from warlog.nlp import doc_text, load_pipeline, parse_texts
from warlog.records import Article, ArticleClaims, Claim, Evidence, Sentence

_KEY = re.compile(r"\W+")
# Only the first sentences of a long article can carry its headline incident.
_HEADLINE_WINDOW = 400
_COUNTRY_ONLY = re.compile(
    r"^\s*(?:in|inside|across|throughout)?\s*(?:the\s+)?(?:Syria|Syrias|Syria's|Iraq|the country)\s*$",
    re.I,
)
_OF_THEM_PERFECT = re.compile(
    r"\b\d[\d,]*\s+of\s+them\s+(?:have|has)\s+(?:been|returned|died)|\bof\s+them\s+have\s+been\s+(?:killed|arrested)",
    re.I,
)
_PERFECT = re.compile(
    r"\b(?:have|has)\s+(?:now\s+|so\s+far\s+|already\s+)?(?:been\s+)?(?:killed|died|perished|lost)\b",
    re.I,
)


VERSION = "warlog.extract.v1"
# Sentences per parser call: larger batches save little more time and hold more memory
# (32: +6 MiB of peak RSS over one article at a time, 128: +58 MiB, bench_speed.py).
PARSE_BATCH = 32


class Extractor:
    """Holds the loaded models and dictionaries; create one per process and reuse it."""

    version = VERSION

    def __init__(self) -> None:
        self.nlp = load_pipeline(add_ruler)
        self.lex: Lexicon = lexicon()
        self.actors = ActorDictionary.load()

    def extract(self, article: Article) -> ArticleClaims:
        return next(self.extract_many([article]))

    def extract_many(
        self, articles: Iterable[Article], batch_size: int = 32
    ) -> Iterator[ArticleClaims]:
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, articles: list[Article]) -> Iterator[ArticleClaims]:
        plans = []
        texts: list[str] = []
        for art in articles:
            sents = split_sentences(art.text)
            cand = [
                i
                for i, s in enumerate(sents)
                if self.lex.candidate.search(s.text) and self.lex.has_count.search(s.text)
            ]
            plans.append((art, sents, cand))
            texts.extend(sents[i].text for i in cand)
        docs = parse_texts(self.nlp, texts, batch_size=PARSE_BATCH)
        for art, sents, cand in plans:
            parsed = {i: next(docs) for i in cand}
            yield self._article(art, sents, parsed)

    def _article(
        self, art: Article, sents: list[Sentence], parsed: dict[int, object]
    ) -> ArticleClaims:
        attributions = attribute(sents, self.actors)
        headline = _headline_sentences(art, sents)
        out: list[Claim] = []
        for i, doc in parsed.items():
            s = sents[i]
            low_text = s.text.lower()
            if any(cue in low_text for cue in self.lex.no_casualty) and not re.search(
                r"\d", s.text
            ):
                continue
            for found in rules.find(doc, self.lex, self.actors):  # type: ignore[arg-type]
                scope = _scope(found, doc, i in headline, self.lex)  # type: ignore[arg-type]
                claim = Claim(
                    article_id=art.id,
                    outcome=found.outcome,
                    low=found.count.low if found.count else None,
                    high=found.count.high if found.count else None,
                    count_text=found.count.text if found.count else "",
                    approx=found.count.approx if found.count else False,
                    vague=found.count.vague if found.count else True,
                    victims=own_forces(
                        found.victims, attributions[i].claimant, self.lex, self.actors
                    ),
                    perpetrator=found.perpetrator,
                    event_type=found.event_type,
                    place_text=found.place_text,
                    date_text=found.date_text,
                    scope=scope,
                    claimant=attributions[i].claimant,
                    evidence=Evidence(s.text, s.start, s.end),
                    confidence=0.0,
                    parts=found.parts,
                    children=found.children,
                    women=found.women,
                    in_headline=i in headline,
                    index=len(out),
                    attach=found.attach,
                    weak_trigger=found.weak_trigger,
                )
                out.append(claim)
        out = _drop_repeats(out)
        # Confidence reads the article's other claims too (a figure stated twice is corroborated).
        claims = tuple(
            replace(c, index=n, confidence=confidence(c, out)) for n, c in enumerate(out)
        )
        return ArticleClaims(article=art, claims=claims, lead=choose_lead(claims, art, self.actors))


def _headline_sentences(art: Article, sents: list[Sentence]) -> set[int]:
    """Sentences that hold the headline: the first paragraph, or where the title stands in the text."""
    if not sents:
        return set()
    if art.title:
        key = _KEY.sub(" ", art.title.lower()).strip()[:60]
        for i, s in enumerate(sents):
            if s.start > _HEADLINE_WINDOW:
                break
            if key and key in _KEY.sub(" ", s.text.lower()):
                return {i}
    return (
        {0}
        if sents[0].end <= _HEADLINE_WINDOW and "\n" in art.text[sents[0].end : sents[0].end + 2]
        else set()
    )


def _scope(found: rules.Found, doc: Doc, in_headline: bool, lex: Lexicon) -> str:
    """Incident or cumulative tally, from cues in the claim's own clause."""
    sentence = doc_text(doc)
    low = sentence.lower()
    cues = [*lex.cumulative_cue.finditer(low), *PERIOD.finditer(low)]
    for m in cues:
        tok = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if tok is None:
            continue
        # A cue in another clause ("... since Sunday, following the attacks which killed 129") does not count.
        if min(
            rules.path_between(doc, t.i, found.trigger_i, 3) for t in tok
        ) <= 3 and not _other_clause(tok.root, doc[found.trigger_i]):
            return "cumulative"
    generic_place = found.place_text is None or bool(_COUNTRY_ONLY.match(found.place_text or ""))
    no_event = found.event_type == "other"
    if (
        no_event
        and generic_place
        and found.perpetrator is None
        and (in_headline or _PERFECT.search(sentence))
    ):
        return "cumulative"
    if found.victims.text.lower() in ("them", "those", "of them") and _PERFECT.search(sentence):
        return "cumulative"
    if _OF_THEM_PERFECT.search(sentence):
        return "cumulative"
    return "incident"


def _clause_verb(tok: Token) -> Token | None:
    return next((t for t in [tok, *tok.ancestors] if t.pos_ in ("VERB", "AUX")), None)


def _other_clause(cue: Token, trigger: Token) -> bool:
    """ "The army has pushed in since Sunday, and an air strike on Tuesday killed 29":
    the cue belongs to a clause conjoined with the trigger's, not to the trigger's own."""
    a, b = _clause_verb(cue), _clause_verb(trigger)
    if a is None or b is None or a == b:
        return False
    return (a.dep_ == "conj" and a.head == b) or (b.dep_ == "conj" and b.head == a)


def _drop_repeats(claims: list[Claim]) -> list[Claim]:
    """The same sentence repeated (some feeds print the lead twice) yields one set of claims."""
    seen: set[tuple[str, str, int | None, int | None, str]] = set()
    out = []
    for c in claims:
        key = (c.evidence.sentence, c.outcome, c.low, c.high, c.count_text)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out
