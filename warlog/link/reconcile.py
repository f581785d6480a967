"""Reconcile what the sources of one event say: low, best and high per outcome and victim group.

The rules follow UCDP GED and ACLED (they are written out for users in the README):

* One source per original claimant. Five outlets quoting the Observatory are one
  source (UCDP's source_original, not source_office); an outlet that attributes a
  figure to nobody is its own source. A source's figure is the one in its latest
  article (tolls are revised upwards); inside one article, its largest figure (the
  smaller ones are parts: "two died at once, another two of their wounds").
* Vague figures ("dozens") count only when no source gives a number.
* ``low``: the most conservative credible figure (ACLED); ``high``: the largest,
  flagged ``high_partisan`` when only partisan sources give it; ``best``: the figure
  of the most reliable, most specific source, never an average.
* ``conflict``: two credible sources' ranges ("at least 9", "4", "up to 6") cannot
  both be true, allowing 10% for rounding.
* A count with a nationality ("four of its servicemen", Russian) is a group of its
  own, not the event's total, when other claims count everyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from warlog.records import (
    OUTCOMES,
    Claim,
    Estimate,
    Report,
    Revision,
    SourceFigure,
    figure,
)

# A source below this confidence is listed but is not credible enough to set a figure.
CREDIBLE = 0.5
# Claimant kinds by reliability for ``best`` (smaller is better); partisan sources come last.
_RELIABILITY = {
    "monitor": 0,
    "UN/NGO": 0,
    "news agency": 1,
    "local": 2,
    "outlet": 2,
    "unknown": 3,
}
_PARTISAN_RANK = 5
GROUPS = ("total", "civilians", "combatants", "children", "women")


class _Row(NamedTuple):
    """One report's figure for one group: the claim's own count, or a part of it."""

    report: Report
    low: int | None
    high: int | None
    text: str

    @property
    def point(self) -> int:
        """The figure it stands behind: "at least 9" -> 9, "up to 6" -> 6."""
        return _point(self.low, self.high)


def reconcile(
    reports: Sequence[Report], nationalities: frozenset[str] = frozenset()
) -> tuple[tuple[Estimate, ...], tuple[Revision, ...]]:
    """Estimates per (outcome, group), in a stable order, and the total toll's revisions."""
    members: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    # The largest count of everyone (no nationality) per outcome: a smaller count with a
    # nationality inside the same event is a part of it, not a rival total.
    plain: dict[str, int] = defaultdict(int)
    for r in reports:
        if r.claim.victims.nationality is None and not r.claim.vague:
            plain[r.claim.outcome] = max(plain[r.claim.outcome], _value(r.claim))
    for r in reports:
        c = r.claim
        part_of_more = plain[c.outcome] > _value(c) * 1.1
        for group, low, high, text in _groups(c, part_of_more, nationalities):
            members[(c.outcome, group)].append(_Row(r, low, high, text))
    estimates = []
    for (o, g), rows in members.items():
        if g == "total":
            estimates.append(_total(o, rows))
        else:
            estimates.append(_estimate(o, g, rows))
    estimates.sort(key=lambda e: (_outcome_order(e.outcome), _group_order(e.group)))
    return tuple(estimates), _revisions(members.get(("killed", "total"), []))


def _value(c: Claim) -> int:
    return _largest(c.low, c.high)


def _largest(low: int | None, high: int | None) -> int:
    return max(v for v in (low, high, 0) if v is not None)


def _total(outcome: str, rows: list[_Row]) -> Estimate:
    """Everyone hit: when some sources count only civilians and others only combatants,
    they count different people, and the total adds the two groups."""
    kinds = {row.report.claim.victims.kind for row in rows}
    if not {"civilians", "combatants"} <= kinds:
        return _estimate(outcome, "total", rows)
    civ = _estimate(
        outcome, "civilians", [x for x in rows if x.report.claim.victims.kind == "civilians"]
    )
    com = _estimate(
        outcome, "combatants", [x for x in rows if x.report.claim.victims.kind == "combatants"]
    )
    rest = [x for x in rows if x.report.claim.victims.kind not in ("civilians", "combatants")]
    other = _estimate(outcome, "total", rest) if rest else None

    def add(a: int | None, b: int | None, c: int | None) -> int | None:
        parts = [v for v in (a, b) if v is not None]
        found = [v for v in (sum(parts) if parts else None, c) if v is not None]
        return max(found) if found else None

    return Estimate(
        outcome=outcome,
        group="total",
        low=add(civ.low, com.low, other.low if other else None),
        best=add(civ.best, com.best, other.best if other else None),
        high=add(civ.high, com.high, other.high if other else None),
        conflict=civ.conflict or com.conflict or bool(other and other.conflict),
        high_partisan=civ.high_partisan or com.high_partisan,
        low_claims=civ.low_claims + com.low_claims,
        best_claims=civ.best_claims + com.best_claims,
        high_claims=civ.high_claims + com.high_claims,
        sources=civ.sources + com.sources + (other.sources if other else ()),
    )


def source_of(r: Report) -> tuple[str, str, str | None, bool]:
    """(key, name, kind, partisan) of a report's original source."""
    cl = r.claim.claimant
    if cl is not None and (cl.id or cl.name):
        return (cl.id or cl.name or "", cl.name or cl.text, cl.kind, bool(cl.partisan))
    outlet = r.outlet or f"article {r.article_id}"
    return (f"outlet:{outlet}", outlet, "outlet", False)


def _groups(
    c: Claim, part_of_more: bool, nationalities: frozenset[str]
) -> list[tuple[str, int | None, int | None, str]]:
    out: list[tuple[str, int | None, int | None, str]] = []
    nat = c.victims.nationality
    if nat:
        out.append((f"nationality:{nat}", c.low, c.high, c.count_text))
    if not nat or not part_of_more:
        out.append(("total", c.low, c.high, c.count_text))
        if c.victims.kind in ("civilians", "combatants"):
            out.append((c.victims.kind, c.low, c.high, c.count_text))
    seen = {g for g, *_ in out}
    for p in c.parts:
        group = p.kind
        if p.kind == "nationality":
            adj = _nationality(p.victims or p.text, nationalities)
            group = f"nationality:{adj}" if adj else ""
        if (group in GROUPS[1:] or group.startswith("nationality:")) and group not in seen:
            seen.add(group)
            out.append((group, p.low, p.high, p.text))
    for group, n in (("children", c.children), ("women", c.women)):
        if n is not None and group not in seen:
            out.append((group, n, n, f"{n} {group}"))
    return out


def _nationality(words: str, nationalities: frozenset[str]) -> str | None:
    for w in words.replace("-", " ").split():
        w = w.strip(",.")
        if w in nationalities:
            return w[:-1] if w.endswith("s") and w[:-1] in nationalities else w
    return None


def _estimate(outcome: str, group: str, rows: list[_Row]) -> Estimate:
    by_source: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_source[source_of(row.report)[0]].append(row)
    figures = [_figure(rs) for rs in by_source.values()]
    precise = [f for f in figures if not f.vague and f.confidence >= CREDIBLE]
    credible = precise or [f for f in figures if f.confidence >= CREDIBLE] or figures
    low = min(_point(f.low, f.high) for f in credible)
    high = max(_top(f) for f in credible)
    best_f = min(credible, key=lambda f: (_rank(f), f.vague, _specificity(f), -f.confidence))
    givers = [f for f in credible if _top(f) == high]
    high_partisan = all(f.partisan for f in givers) and any(
        not f.partisan and _top(f) < high for f in credible
    )
    return Estimate(
        outcome=outcome,
        group=group,
        low=low,
        best=_point(best_f.low, best_f.high),
        high=high,
        conflict=_conflict([f for f in credible if not f.vague]),
        high_partisan=high_partisan,
        low_claims=tuple(f.claims[0] for f in credible if _point(f.low, f.high) == low),
        best_claims=best_f.claims[:1],
        high_claims=tuple(f.claims[0] for f in givers),
        sources=tuple(sorted(figures, key=lambda f: (_rank(f), f.name))),
    )


def _figure(rows: list[_Row]) -> SourceFigure:
    """One source's figure: its latest article's largest number (non-vague first)."""
    key, name, kind, partisan = source_of(rows[0].report)
    chosen = max(
        rows,
        key=lambda row: (
            _day(row.report),
            not row.report.claim.vague,
            _largest(row.low, row.high),
        ),
    )
    claims = [chosen.report.key, *sorted({row.report.key for row in rows} - {chosen.report.key})]
    return SourceFigure(
        source=key,
        name=name,
        kind=kind,
        partisan=partisan,
        low=chosen.low,
        high=chosen.high,
        count_text=chosen.text,
        vague=chosen.report.claim.vague,
        confidence=max(row.report.claim.confidence for row in rows),
        claims=tuple(claims),
        outlets=tuple(
            sorted({row.report.outlet or f"article {row.report.article_id}" for row in rows})
        ),
    )


def _day(r: Report) -> date:
    return r.published or date.min


def _point(low: int | None, high: int | None) -> int:
    """The figure a source stands behind: "at least 9" -> 9, "up to 6" -> 6."""
    return figure(low, high) or 0


def _top(f: SourceFigure) -> int:
    return f.high if f.high is not None else (f.low or 0)


def _rank(f: SourceFigure) -> int:
    return _PARTISAN_RANK if f.partisan else _RELIABILITY.get(f.kind or "unknown", 3)


def _specificity(f: SourceFigure) -> int:
    """Exact figures first, then floors ("at least 9"), then ceilings ("up to 6")."""
    if f.low is not None and f.low == f.high:
        return 0
    return 1 if f.low is not None else 2


def _conflict(figures: list[SourceFigure]) -> bool:
    """True when two sources' ranges cannot both hold, allowing 10% (and 1) for rounding.

    An article's own unattributed figure never disagrees with a source it quotes in the same
    article: "two died at once", then "another two of their wounds, the Observatory said" are
    sub-counts told apart only by the attribution, not a dispute. Two named sources quoted in
    one article still can disagree (Moscow's four against the Observatory's nine).
    """
    if len(figures) < 2:
        return False
    for f in figures:
        for g in figures:
            if f is g or f.low is None or g.high is None:
                continue
            if f.low > g.high * 1.1 + 1 and not _one_article(f, g):
                return True
    return False


def _one_article(f: SourceFigure, g: SourceFigure) -> bool:
    """Both figures come from one article, one of them the outlet's own words."""
    articles = {k.rsplit(":", 1)[0] for k in (*f.claims, *g.claims)}
    own = f.source.startswith("outlet:") or g.source.startswith("outlet:")
    return own and len(articles) == 1


def _revisions(rows: list[_Row]) -> tuple[Revision, ...]:
    """Each source's total article by article, kept whole when it changed over time."""
    by_source: dict[str, dict[str, _Row]] = defaultdict(dict)
    for row in rows:
        if row.report.claim.vague:
            continue
        per_article = by_source[source_of(row.report)[1]]
        cur = per_article.get(row.report.article_id)
        if cur is None or row.point > cur.point:
            per_article[row.report.article_id] = row
    out: list[Revision] = []
    for name, per_article in by_source.items():
        steps = sorted(
            per_article.values(), key=lambda row: (_day(row.report), row.report.article_id)
        )
        if len({row.point for row in steps}) > 1:
            out += [
                Revision(r.published, r.outlet, name, lo, hi, text, r.key)
                for r, lo, hi, text in steps
            ]
    return tuple(sorted(out, key=lambda v: (v.published or date.min, v.source, v.claim)))


def _outcome_order(o: str) -> int:
    return OUTCOMES.index(o) if o in OUTCOMES else len(OUTCOMES)


def _group_order(g: str) -> tuple[int, str]:
    return (GROUPS.index(g), "") if g in GROUPS else (len(GROUPS), g)
