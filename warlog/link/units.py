"""Inside one article: which of its claims are about the same incident.

An article usually tells one story and then gives background: "35 killed near
Mayadeen on Wednesday, including at least nine Russians ... Moscow said four of
its servicemen were killed ... On Tuesday 26 died in the Homs desert ...". The
claims are grouped into *article incidents* (units): the lead's claims first,
then each other claim joins the first unit whose day and place it fits, or
opens its own. Units, not single claims, are what linking compares across
articles, so a background incident never drags the article's main event into
another one. Every cumulative claim is a unit of its own (a tally).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from warlog.link.decide import haversine_km
from warlog.link.weights import LINKER_V1
from warlog.records import EventDate, Place, Report, precision_rank

# Towns further apart than this are different incidents inside one article.
SAME_STORY_KM = LINKER_V1.same_story_km


@dataclass(frozen=True, slots=True)
class Unit:
    """Claims of one article about one incident (or one tally), and a summary for linking."""

    key: str  # "<article id>/<n>"
    kind: str  # incident | tally
    reports: tuple[Report, ...]
    rep: Report  # the main claim, carrying the unit's place and date


def rank(p: Place | None) -> int:
    """Smaller is more precise (a town beats a province beats a country; no place is last)."""
    return 9 if p is None else precision_rank(p.precision)


def shift(d: date, days: int) -> date:
    """``d`` moved by ``days``, stopping at the calendar's ends (0001-01-01, 9999-12-31)
    instead of raising OverflowError on a dataset date at the edge."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


def window_of(d: EventDate | None) -> tuple[date, date] | None:
    if d is None or d.start is None or d.cumulative_start:
        return None
    end = d.end or d.start
    if d.precision == "week" and d.start == end:
        # "this week" is resolved to the publication day; the week before it is meant.
        return (shift(end, -6), end)
    return (d.start, end)


def dates_fit(a: EventDate | None, b: EventDate | None) -> bool:
    wa, wb = window_of(a), window_of(b)
    if wa is None or wb is None:
        return True
    return shift(wa[0], -1) <= wb[1] and shift(wb[0], -1) <= wa[1]


def places_fit(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.country != b.country:
        return False
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return False
    if a.precision == b.precision == "town":
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= SAME_STORY_KM
    return True


def article_units(reports: Sequence[Report], lead: Sequence[int] = ()) -> list[Unit]:
    """Group one article's reports into units (lead claims first, then in text order)."""
    if not reports:
        return []
    aid = reports[0].article_id
    by_index = {r.claim.index: r for r in reports}
    order = [by_index[i] for i in lead if i in by_index]
    order += [r for r in sorted(reports, key=lambda r: r.claim.index) if r not in order]
    groups: list[list[Report]] = []
    tallies: list[Report] = []
    for r in order:
        if r.claim.scope == "cumulative":
            tallies.append(r)
            continue
        for g in groups:
            if dates_fit(_date(g), r.claim.date) and places_fit(_place(g), r.claim.place):
                g.append(r)
                break
        else:
            groups.append([r])
    units = [Unit(f"{aid}/{n}", "incident", tuple(g), _summary(g)) for n, g in enumerate(groups)]
    units += [
        Unit(f"{aid}/t{r.claim.index}", "tally", (r,), r)
        for r in sorted(tallies, key=lambda r: r.claim.index)
    ]
    return units


def _date(group: list[Report]) -> EventDate | None:
    """The unit's day: the first member (the lead comes first) whose date resolves."""
    return next((r.claim.date for r in group if window_of(r.claim.date) is not None), None)


def _place(group: list[Report]) -> Place | None:
    """The most precise place a member names, the earliest on ties."""
    placed = [r.claim.place for r in group if r.claim.place is not None]
    return min(placed, key=rank) if placed else None


def _summary(group: list[Report]) -> Report:
    """The main claim (the lead's, when the unit holds it) with the unit's place and date:
    its own when it has them, as other outlets' leads will, else its companions'."""
    main = group[0]
    place = main.claim.place or _place(group)
    date = main.claim.date if window_of(main.claim.date) is not None else _date(group)
    return replace(main, claim=replace(main.claim, place=place, date=date))
