"""Score the extractor's ``lead`` against FA-KES gold annotations.

FA-KES (Abu Salem et al., 2019) annotates each article's main incident: the
date, governorate, actor class, cause of death and the numbers of civilians,
non-civilians, children and women killed. We score what warlog says the
article's lead incident is, field by field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warlog.clean.page import clean_page
from warlog.extract import Extractor
from warlog.extract.actors import ActorDictionary
from warlog.extract.lexicon import lexicon
from warlog.records import Article, ArticleClaims, Claim, PageFormat, RawPage
from warlog.resolve import Resolver
from warlog.resolve.gazetteer import fakes_governorate


@dataclass(frozen=True, slots=True)
class GoldIncident:
    date: str | None
    governorate: str | None
    actor: str
    cause: str
    civilians: int
    noncivilians: int
    children: int
    women: int

    @property
    def toll(self) -> int:
        return self.civilians + self.noncivilians


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    outlet: str | None
    title: str | None
    text: str
    gold: GoldIncident


@dataclass(frozen=True, slots=True)
class Prediction:
    toll: int
    civilians: int
    children: int
    women: int
    actor: str
    cause: str
    governorate: str | None = None
    date: str | None = None


@dataclass(slots=True)
class FieldScore:
    name: str
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(slots=True)
class Report:
    n: int = 0
    fields: dict[str, FieldScore] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    # (lead claim, its figure equals the gold toll): the labelled set for calibration
    samples: list[tuple[Claim, bool]] = field(default_factory=list)
    # every article's claims, by article id (confidence features read an article's claims)
    claims_of: dict[str, tuple[Claim, ...]] = field(default_factory=dict)

    def add(self, name: str, ok: bool) -> None:
        f = self.fields.setdefault(name, FieldScore(name))
        f.total += 1
        f.correct += int(ok)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.n,
            "fields": {
                k: {"accuracy": round(v.accuracy, 4), "correct": v.correct, "total": v.total}
                for k, v in self.fields.items()
            },
        }


def read_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            g = r["gold"]
            yield Row(
                id=r["id"],
                outlet=r.get("outlet"),
                title=r.get("title"),
                text=r["text"],
                gold=GoldIncident(
                    date=g.get("date"),
                    governorate=g.get("governorate"),
                    actor=g.get("actor") or "unknown",
                    cause=g.get("cause_of_death") or "unknown",
                    civilians=int(g.get("killed_civilians") or 0),
                    noncivilians=int(g.get("killed_noncivilians") or 0),
                    children=int(g.get("killed_children") or 0),
                    women=int(g.get("killed_women") or 0),
                ),
            )


def article_of(path: Path, id: str, text: str, title: str | None, outlet: str | None) -> Article:
    """A dataset row cleaned as ``warlog ingest`` would clean it (the gold scorers share this)."""
    page = RawPage(
        body=json.dumps({"id": id, "text": text}).encode(),
        text=text,
        format=PageFormat.JSONL,
        source=f"{path}:{id}",
        title=title,
        external_id=id,
        outlet=outlet,
    )
    return clean_page(page)[0]


def predict(
    result: ArticleClaims, actors: ActorDictionary, resolver: Resolver | None = None
) -> Prediction:
    lead = result.lead
    fakes_cause = lexicon().fakes_cause
    if lead is None:
        # No casualty claim: still say where the article is, as FA-KES annotates every article.
        place = resolver.article_place(result.article.text) if resolver else None
        gov = fakes_governorate(place.admin1) if place and place.country == "SY" else None
        return Prediction(0, 0, 0, 0, "unknown", "unknown", governorate=gov)
    actor = "unknown"
    if lead.perpetrator is not None and lead.perpetrator.id:
        actor = actors.actor(lead.perpetrator.id).fakes_class
    civilians = lead.killed_civilians
    if civilians is None and lead.killed_combatants is None:
        # FA-KES annotators count unspecified "people" as civilians; warlog keeps them "unknown".
        civilians = lead.killed
    return Prediction(
        governorate=fakes_governorate(lead.place.admin1)
        if lead.place and lead.place.country == "SY"
        else None,
        date=lead.date.start.isoformat() if lead.date and lead.date.start else None,
        toll=lead.killed or 0,
        civilians=civilians or 0,
        children=lead.killed_children or 0,
        women=lead.killed_women or 0,
        actor=actor,
        cause=fakes_cause.get(lead.event_type or "other", "unknown"),
    )


def evaluate(
    path: Path,
    extractor: Extractor | None = None,
    resolver: Resolver | None = None,
    keep_errors: bool = True,
) -> Report:
    extractor = extractor or Extractor()
    resolver = resolver or Resolver(focus="SY")  # FA-KES is a collection about Syria
    actors = ActorDictionary.load()
    rows = list(read_rows(path))
    articles = [article_of(path, r.id, r.text, r.title, r.outlet) for r in rows]
    report = Report()
    for row, raw in zip(rows, extractor.extract_many(articles), strict=True):
        result = resolver.resolve(raw)
        report.claims_of[result.article.id] = result.claims
        p = predict(result, actors, resolver)
        g = row.gold
        report.n += 1
        checks = {
            "toll": p.toll == g.toll,
            "civilians": p.civilians == g.civilians,
            "children": p.children == g.children,
            "women": p.women == g.women,
            "actor": p.actor == g.actor,
            "cause": p.cause == g.cause,
            "governorate": p.governorate == g.governorate,
            "date": p.date == g.date,
        }
        for name, ok in checks.items():
            report.add(name, ok)
        if result.lead is not None and result.lead.claims:
            main = result.claims[result.lead.claims[0]]
            report.samples.append((main, checks["toll"]))
        if keep_errors and not all(checks.values()):
            report.errors.append(
                {
                    "id": row.id,
                    "title": row.title,
                    "gold": g,
                    "pred": p,
                    "wrong": [k for k, v in checks.items() if not v],
                }
            )
    return report
