"""Typed records that travel between pipeline stages.

Each stage is a function from one record type to the next:
``RawPage -> Article -> list[Claim] -> ... -> Event``. Records are frozen so a
stage can never change what an earlier stage produced behind its back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class PageFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    WARC = "warc"
    FEED = "feed"
    JSONL = "jsonl"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class RawPage:
    """One page as it was collected, before any cleaning.

    ``body`` keeps the exact bytes so that cleaning can be re-run later with
    better rules; ``text`` is the decoded form the cleaners read.
    """

    body: bytes
    text: str
    format: PageFormat
    source: str  # file path (and record locator, e.g. "dev.jsonl:12") it came from
    url: str | None = None
    fetched_at: datetime | None = None  # when the crawler fetched it (WARC-Date), not our clock
    encoding: str = "utf-8"
    # Metadata a container already gives (HTML <meta>, feed entry, dataset columns).
    title: str | None = None
    published: date | None = None
    published_how: str | None = None
    outlet: str | None = None
    outlet_how: str | None = None
    external_id: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the unit every later stage reads.

    ``text`` is final: evidence spans in later stages are character offsets
    into it, so it is stored as is and never re-cleaned in place.
    """

    id: str
    page_sha256: str
    index: int  # position of this article inside its page (glued pages hold several)
    title: str | None
    text: str
    outlet: str | None
    outlet_how: str | None
    url: str | None
    published: date | None
    published_how: str  # e.g. "dateline 'Published November 20th, 2015'" or "not found: ..."
    source: str
    external_id: str | None = None
    removed: tuple[str, ...] = field(default=())  # debris kinds cleaning removed, for audit
    # Set by near-duplicate detection: the article this one is a copy of, and how it was found.
    duplicate_of: str | None = None
    duplicate_how: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hash of the text with whitespace and case folded, so trivial reflows match."""
    norm = " ".join(text.lower().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def article_id(page_sha256: str, index: int) -> str:
    """Stable id: the same page always yields the same article ids."""
    return hashlib.sha1(f"{page_sha256}:{index}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Problem:
    """A user-facing problem with one input (never raised: reported and skipped)."""

    source: str
    message: str
    line: int | None = None
    fatal: bool = True  # False: a warning, the input was still ingested
    # SHA-256 of a record that failed unexpectedly: remembered so a re-run skips it.
    key: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


# --- places and dates (resolve stage) -----------------------------------------------

# Place precision, finest first, like UCDP's where_prec: the one ranking of every stage.
PLACE_PRECISIONS = ("town", "district", "province", "region", "country")
_PRECISION_RANK = {p: i for i, p in enumerate(PLACE_PRECISIONS)}
# Areas rather than points: linking compares them by area, not by distance.
COARSE_PRECISIONS = frozenset({"province", "region", "country"})


def precision_rank(precision: str | None) -> int:
    """0 for a town up to 4 for a country; 5 for anything else. Smaller is more precise."""
    return _PRECISION_RANK.get(precision or "", len(PLACE_PRECISIONS))


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place, the record the rest of warlog stores."""

    text: str
    name: str
    lat: float
    lon: float
    admin1: str | None
    admin2: str | None
    country: str
    precision: str  # one of PLACE_PRECISIONS, like UCDP's where_prec
    source: str

    @property
    def precision_rank(self) -> int:
        return precision_rank(self.precision)


@dataclass(frozen=True, slots=True)
class EventDate:
    """A date expression and the calendar window it stands for."""

    text: str  # the words, e.g. "late on Thursday"
    start: date | None  # None when it cannot be resolved (e.g. no publication date)
    end: date | None  # == start for one day; a window otherwise
    precision: str  # "day", "week", "month", "year" (or "unknown" for unrecognised words)
    cumulative_start: bool = False  # "since March 2019": start of a tally window ending at pub

    @property
    def resolved(self) -> bool:
        return self.start is not None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article's cleaned text, with its offsets."""

    text: str
    start: int  # offsets into the article text
    end: int


# --- claims (extraction stage) ----------------------------------------------------

OUTCOMES = ("killed", "wounded", "arrested", "kidnapped", "missing")
VICTIM_KINDS = ("civilians", "combatants", "mixed", "unknown")
SCOPES = ("incident", "cumulative")


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence a claim was read from, as offsets into the article's cleaned text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Part:
    """A stated part of a count: "including at least nine Russians", "five children"."""

    low: int | None
    high: int | None
    text: str
    victims: str
    kind: str  # children | women | nationality | affiliation | civilians | combatants | other


@dataclass(frozen=True, slots=True)
class Victims:
    text: str
    kind: str  # one of VICTIM_KINDS
    affiliation: str | None = None  # "pro-government forces", "Islamic State"
    nationality: str | None = None  # "Russian"


@dataclass(frozen=True, slots=True)
class ActorRef:
    """A perpetrator: the words and the canonical actor they name."""

    text: str
    id: str | None
    name: str | None
    kind: str | None


@dataclass(frozen=True, slots=True)
class ClaimantRef:
    """Who the article says reports the claim; ``chain`` keeps relays (Syromolotov, via TASS)."""

    text: str
    id: str | None
    name: str | None
    kind: str | None
    partisan: bool | None
    chain: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement that people were killed, wounded, arrested, kidnapped or are missing."""

    article_id: str
    outcome: str  # one of OUTCOMES
    low: int | None
    high: int | None
    count_text: str
    approx: bool
    vague: bool
    victims: Victims
    perpetrator: ActorRef | None
    event_type: str
    place_text: str | None
    date_text: str | None
    scope: str  # one of SCOPES
    claimant: ClaimantRef | None
    evidence: Evidence
    confidence: float
    parts: tuple[Part, ...] = ()
    children: int | None = None
    women: int | None = None
    in_headline: bool = False
    index: int = 0  # position among the article's claims
    attach: str = "parse"  # how the count was tied to its outcome word: parse | order | vague
    weak_trigger: bool = False  # the outcome word was an ambiguous one ("claimed", "left")
    # Set by the resolve stage: coordinates of the incident's place, calendar days of its date.
    place: Place | None = None
    date: EventDate | None = None

    @property
    def figure(self) -> int | None:
        """The figure the claim stands behind (see :func:`figure`)."""
        return figure(self.low, self.high)


def figure(low: int | None, high: int | None) -> int | None:
    """The figure a count stands behind: its low bound, else its high one ("at least 9" -> 9,
    "up to 6" -> 6); None for a count without a figure ("several")."""
    return low if low is not None else high


@dataclass(frozen=True, slots=True)
class Lead:
    """The article's main (headline) incident and its totals."""

    claims: tuple[int, ...]  # indices into the article's claims
    killed: int | None
    killed_civilians: int | None
    killed_combatants: int | None
    killed_children: int | None
    killed_women: int | None
    wounded: int | None
    perpetrator: ActorRef | None
    event_type: str | None
    place_text: str | None
    date_text: str | None
    scope: str = "incident"  # "cumulative" when the headline states a tally, not an incident
    place: Place | None = None
    date: EventDate | None = None


@dataclass(frozen=True, slots=True)
class ArticleClaims:
    article: Article
    claims: tuple[Claim, ...]
    lead: Lead | None


# --- events (link stage) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Report:
    """A claim with the facts about its article that linking and reconciliation need."""

    claim: Claim
    article_id: str
    outlet: str | None
    published: date | None
    copy_of: str | None = None  # the article this one copies (wire copies), if any
    title: str | None = None

    @property
    def key(self) -> str:
        return f"{self.article_id}:{self.claim.index}"

    @property
    def day(self) -> date | None:
        """The incident's day for linking; a tally's is the day it was stated ("as of")."""
        if self.claim.scope == "cumulative":
            return self.published
        d = self.claim.date
        if d is not None and d.start is not None and not d.cumulative_start:
            return d.start
        return self.published


@dataclass(frozen=True, slots=True)
class ArticleReports:
    """An article's reports and its lead's claim indices, as linking reads them."""

    article_id: str
    reports: tuple[Report, ...]
    lead: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SourceFigure:
    """What one original source says about one outcome and victim group of an event.

    Five outlets quoting the Observatory are one source; ``outlets`` lists who carried it.
    """

    source: str  # claimant id, claimant name, or "outlet:<name>" when the outlet speaks itself
    name: str
    kind: str | None  # claimant kind: monitor, government, ... ("outlet" for unattributed)
    partisan: bool
    low: int | None
    high: int | None
    count_text: str
    vague: bool
    confidence: float
    claims: tuple[str, ...]  # claim keys "<article id>:<index>", the chosen one first
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Estimate:
    """Reconciled figures for one outcome and victim group of an event (see README rules)."""

    outcome: str
    group: str  # total | civilians | combatants | children | women | nationality:<Adj>
    low: int | None
    best: int | None
    high: int | None
    conflict: bool
    high_partisan: bool  # only partisan sources give the high figure
    low_claims: tuple[str, ...]
    best_claims: tuple[str, ...]
    high_claims: tuple[str, ...]
    sources: tuple[SourceFigure, ...]


@dataclass(frozen=True, slots=True)
class Revision:
    """A step in a toll over time: what a source said in a later article."""

    published: date | None
    outlet: str | None
    source: str
    low: int | None
    high: int | None
    count_text: str
    claim: str


@dataclass(frozen=True, slots=True)
class Flag:
    """A plausibility question about an event, for the analyst (never a correction)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Event:
    """One incident (or one cumulative tally) and every report of it.

    ``flags`` is None for an event just built (its intrinsic flags are computed when it is
    written); an event read from a store carries the stored ones plus the collection's
    (``outside_country``). ``merged_from`` is the old id an event was asked for by.
    """

    id: str
    kind: str  # incident | tally
    date: EventDate | None
    place: Place | None
    event_type: str | None
    perpetrator: ActorRef | None
    estimates: tuple[Estimate, ...]
    reports: tuple[Report, ...]
    revisions: tuple[Revision, ...] = ()
    flags: tuple[Flag, ...] | None = None
    merged_from: str | None = None

    def estimate(self, outcome: str = "killed", group: str = "total") -> Estimate | None:
        return next((e for e in self.estimates if e.outcome == outcome and e.group == group), None)

    @property
    def conflict(self) -> bool:
        return any(e.conflict for e in self.estimates)

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({r.outlet or f"article {r.article_id}" for r in self.reports}))

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(sorted({r.article_id for r in self.reports}))

    @property
    def claimants(self) -> tuple[str, ...]:
        return tuple(
            sorted({s.name for e in self.estimates for s in e.sources if s.kind != "outlet"})
        )


# --- reading the ledger -------------------------------------------------------------

DEFAULT_NEAR_KM = 25.0  # the radius of "near a place" when none is given


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to read: the one filter of the list, the export, the statistics, the CLI
    and the Python API (the HTTP API's ``EventFilters`` dependency builds one).

    ``near`` is (lat, lon, km); ``actor`` matches the perpetrator only, ``claimant`` and
    ``outlet`` who said it; ``flagged`` keeps events with a plausibility flag, the country
    check against ``focus_country`` (default: the country of most incidents) included.
    """

    since: date | None = None
    until: date | None = None
    near: tuple[float, float, float] | None = None
    actor: str | None = None
    claimant: str | None = None
    outlet: str | None = None
    event_type: str | None = None
    kind: str | None = None  # incident | tally
    conflicting: bool = False
    flagged: bool = False
    focus_country: str | None = None
