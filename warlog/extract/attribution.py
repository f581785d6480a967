"""Who says so: the claimant of each sentence, with relays and carried-over speakers.

Attribution is read from the sentence text around a speech verb ("X said",
"according to X", "X told AFP", "quoted by X"). A pronoun speaker ("he said",
"it added") and a quote that runs over several sentences inherit the last
named speaker; a news agency named only as the addressee ("told AFP") is a
relay, not the claimant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from warlog.extract.actors import ActorDictionary, Mention
from warlog.records import ClaimantRef, Sentence

_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|announced|announces|claimed|claims|stated|added|adds|"
    r"quoted|cited|confirmed|confirms|accused|accuses|estimated|estimates|documented|documents|counted|"
    r"recorded|acknowledged|acknowledges|admitted|posted|published|wrote|tweeted|noted|explained|warned|"
    r"insisted|according\s+to|alleged|alleges|showed|shows|quoting|citing|monitor(?:ing)?\s+(?:group\s+)?said)\b",
    re.I,
)
_RELAY = re.compile(
    r"\b(?:told|tells|quoted\s+by|cited\s+by|quoting|citing|reported\s+by|via|in\s+an\s+interview\s+with)\s+$",
    re.I,
)
_PRONOUN_SPEAKER = re.compile(
    r"\b(?:he|she|it|they|the\s+(?:monitor|group|ngo|observatory|ministry|source|official|spokesman|agency|report|statement|britain-based\s+\w+))\s+(?:\w+\s+)?(?:said|says|added|told|stated|explained|noted|reported|reports)\b",
    re.I,
)
# A sentence that goes on with the previous one's speaker: "It said", "He added that", "The
# monitor said". Only a pronoun or a definite description carries the source back: a sentence
# opening with a newly named speaker is about its own figures (measured on the claim gold, the
# wider rule cost three points of claimant accuracy).
_SPEAKER_FIRST = re.compile(
    r"^\W{0,3}(?:it|he|she|they|the\s+(?:monitor|observatory|group|ngo|ministry|agency|source|"
    r"official|spokesman|statement|report|army|military))\s+(?:also\s+)?(?:said|says|added|adds|"
    r"reported|reports|told|stated|confirmed|noted)\b",
    re.I,
)
_OPEN_QUOTES = '"“'
_CLOSE_QUOTES = '"”'
_AGENCIES = frozenset({"afp", "reuters", "ap", "other_news_media"})


@dataclass(frozen=True, slots=True)
class Attribution:
    claimant: ClaimantRef | None
    explicit: bool  # named in this sentence (not carried over)


def attribute(sentences: list[Sentence], actors: ActorDictionary) -> list[Attribution]:
    """The claimant behind each sentence, in order."""
    out: list[Attribution] = []
    last: ClaimantRef | None = None
    open_quote_from: int | None = None
    for i, s in enumerate(sentences):
        own = _explicit(s.text, actors)
        if own is None and open_quote_from is None and _opens_quote(s.text):
            # A quote that opens here may be attributed where it closes, a sentence or two on.
            for j in range(i + 1, min(i + 4, len(sentences))):
                if _closes_quote(sentences[j].text):
                    own = _explicit(sentences[j].text, actors)
                    break
        if (
            own is not None
            and own.id in _AGENCIES
            and last is not None
            and _PRONOUN_SPEAKER.search(s.text)
            and re.search(
                r"\b(?:told|to|quoted\s+by|cited\s+by)\s+(?:the\s+)?" + re.escape(own.text), s.text
            )
        ):
            # '"Forty militants were killed," he told AFP': the speaker is the last one named; AFP relays.
            own = replace(last, chain=tuple(dict.fromkeys((*last.chain, own.name or own.text))))
            out.append(Attribution(own, False))
        elif own is not None:
            out.append(Attribution(own, True))
            last = own
        elif (
            last is not None
            and (
                _PRONOUN_SPEAKER.search(s.text)
                or open_quote_from is not None
                or _whole_quote(s.text)
            )
        ) or (last is not None and _SPEECH.search(s.text) is None and _continues_speaker(s.text)):
            out.append(Attribution(last, False))
        else:
            out.append(Attribution(None, False))
        if _opens_quote(s.text):
            open_quote_from = i
        if _closes_quote(s.text):
            open_quote_from = None
    # "Air strikes killed 12 civilians. The Observatory said the dead included ...", "... It
    # said three more died": the source named (or carried) at the start of the next sentence
    # speaks for a sentence that names none.
    for i in range(len(out) - 1):
        nxt = out[i + 1].claimant
        if (
            out[i].claimant is None
            and nxt is not None
            and _SPEAKER_FIRST.match(sentences[i + 1].text)
            and _SPEECH.search(sentences[i].text) is None  # an unnamed speaker of its own
        ):
            out[i] = Attribution(nxt, False)
    return out


def _whole_quote(text: str) -> bool:
    """A sentence that is all quotation carries on the speaker just named."""
    t = text.strip()
    return len(t) > 2 and t[0] in '"“' and t.rstrip(".").endswith(('"', "”", '."', ".”"))


def _opens_quote(text: str) -> bool:
    return sum(text.count(q) for q in _OPEN_QUOTES if q != '"') > sum(
        text.count(q) for q in "”"
    ) or (text.count('"') % 2 == 1 and text.lstrip().startswith('"'))


def _closes_quote(text: str) -> bool:
    return ("”" in text and "“" not in text) or (
        text.count('"') % 2 == 1 and not text.lstrip().startswith('"')
    )


def _continues_speaker(text: str) -> bool:
    """Reported speech continuing the last speaker: "He added that ...", "The monitor said ..."."""
    return bool(
        re.match(r"^\s*(?:He|She|It|They)\s+(?:also\s+)?(?:added|said|says|reported|noted)\b", text)
    )


def _explicit(text: str, actors: ActorDictionary) -> ClaimantRef | None:
    """The claimant named in ``text`` next to a speech verb, with any relay as its chain."""
    speech = list(_SPEECH.finditer(text))
    if not speech:
        return _credited(text, actors)
    mentions = actors.find_claimants(text)
    if not mentions:
        return None
    relays: list[Mention] = []
    sources: list[Mention] = []
    for m in mentions:
        if actors.claimant(m.id).kind == "armed group" and not _speaks(text, m):
            continue  # "killed 120 ISIS fighters ... it said": IS is the victim, not the source
        if _ACTS_AFTER.match(text, m.end) and not _speaks(text, m):
            continue  # "The army killed 40 militants, a source said": the subject acted, the source speaks
        before = text[max(0, m.start - 40) : m.start]
        if _RELAY.search(before) and m.id in _AGENCIES | {
            "tass",
            "ria_novosti",
            "interfax",
            "syrian_state_media",
            "russian_state_media",
        }:
            relays.append(m)
        else:
            sources.append(m)
    pool = sources or relays
    if not pool:
        return None
    # The source nearest a speech verb speaks; specific sources beat generic ones.
    best = min(pool, key=lambda m: (_distance(m, speech), -(m.end - m.start)))
    claimant = actors.claimant(best.id)
    chain = tuple(dict.fromkeys(actors.claimant(r.id).name for r in relays if r is not best))
    return ClaimantRef(
        text=best.text,
        id=claimant.id,
        name=claimant.name,
        kind=claimant.kind,
        partisan=claimant.partisan,
        chain=chain,
    )


# A headline's source after its last words, in wire style ("... kill 20 jihadists: monitor"),
# where scraped feeds have often lost the colon: "... in Syria's Hama State media AFP". Only a
# capitalised credit or one after a colon or a dash counts, never after a full stop: "wounded
# three activists" names victims, not a source.
_CREDITS = (
    r"(?:a\s+)?(?:Monitor|NGO|Monitoring\s+group|Observatory|Activists|"
    r"State\s+(?:media|TV|television|news\s+agency)|Rights\s+group|Officials?|Reports?|Sources|"
    r"Medics|Witnesses)"
)
_AGENCY_TAIL = r"(?:\s+(?:AFP|AP|Reuters|dpa|AA|Xinhua))?\s*$"
_CREDIT = (
    re.compile(r"[:–—]\s*(?P<credit>(?i:" + _CREDITS + r"|[\w'’ -]{2,40}?))" + _AGENCY_TAIL),
    re.compile(r"\s(?P<credit>" + _CREDITS + ")" + _AGENCY_TAIL),  # capitalised only
)
_UNNAMED_MONITOR = frozenset({"monitor", "ngo", "a monitor"})


def _credited(text: str, actors: ActorDictionary) -> ClaimantRef | None:
    """The source a headline names after its last words, if any."""
    tail = text.rstrip()[-60:]
    m = _CREDIT[0].search(tail) or _CREDIT[1].search(tail)
    if m is None:
        return None
    credit = m.group("credit")
    if credit.lower() in _UNNAMED_MONITOR:
        claimant_id = "unnamed_monitor"
    else:
        found = actors.find_claimants(credit)
        if not found:
            return None
        claimant_id = found[0].id
    claimant = actors.claimant(claimant_id)
    return ClaimantRef(
        text=credit,
        id=claimant.id,
        name=claimant.name,
        kind=claimant.kind,
        partisan=claimant.partisan,
        chain=(),
    )


def _distance(m: Mention, speech: list[re.Match[str]]) -> int:
    return min(min(abs(m.start - v.end()), abs(v.start() - m.end)) for v in speech)


_ACTS_AFTER = re.compile(
    r"\W{0,3}(?:[\w-]+\s+){0,2}?(?:killed|kill|kills|killing|shelled|shells|bombed|bombs|struck|"
    r"strikes|attacked|attacks|executed|executes|shot|stormed|ambushed|pounded|targeted|raided)\b",
    re.I,
)
# The words between the group and the verb continue its name ("IS group said"); an article
# opens a new subject: "captured by Kurdish forces a monitor said" (a stripped comma).
_SPEAKS_AFTER = re.compile(
    r"^\W{0,3}(?:(?!(?:a|an|the)\b)\w+\W+){0,2}?(?:said|says|say|claimed|claims|announced|reported|stated|added|posted|published|denied|accused)\b",
    re.I,
)


def _speaks(text: str, m: Mention) -> bool:
    """An armed group is the source only as the subject of a speech verb, or after "according to"."""
    return bool(_SPEAKS_AFTER.match(text[m.end : m.end + 40])) or bool(
        re.search(r"according\s+to\s+(?:the\s+)?$", text[max(0, m.start - 20) : m.start], re.I)
    )
