"""Plausibility flags of an event: questions for the analyst, never corrections.

Read from the event's public JSON (the one stored in ``events.data``, claims included), so a
stored ledger can be flagged again without re-linking (migration 7 does exactly that).

Two kinds of check:

* **intrinsic** ones (:func:`flags`), fixed when the event is built and stored with it (the
  ``events.flags`` column, so ``flagged=1`` is a SQL filter): an incident over a threshold, a
  figure that equals a year, civilians above the total, a tally-like phrase in an incident;
* **collection** ones (:func:`outside_country`), which depend on the store as a whole (its
  dominant country or the ``--focus-country`` the analyst gives) and are added when events are
  read.

Thresholds and phrases live in ``warlog/data/plausibility.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FLAG_CODES = (
    "large_incident",
    "figure_is_year",
    "civilians_above_total",
    "tally_phrase",
    "outside_country",
)


@dataclass(frozen=True, slots=True)
class Rules:
    incident_max_killed: int
    year_range: tuple[int, int]
    tally_phrases: tuple[re.Pattern[str], ...]


@cache
def rules() -> Rules:
    raw = json.loads(
        resources.files("warlog.data").joinpath("plausibility.json").read_text("utf-8")
    )
    lo, hi = raw["year_range"]
    return Rules(
        incident_max_killed=int(raw["incident_max_killed"]),
        year_range=(int(lo), int(hi)),
        tally_phrases=tuple(re.compile(p, re.IGNORECASE) for p in raw["tally_phrases"]),
    )


def flag(code: str, message: str) -> dict[str, str]:
    assert code in FLAG_CODES, code
    return {"code": code, "message": message}


def flags(ev: dict[str, Any]) -> list[dict[str, str]]:
    """The intrinsic flags of an event's public JSON (with its ``claims``, for the sentences)."""
    r = rules()
    out: list[dict[str, str]] = []
    totals = {x["outcome"]: x for x in ev.get("estimates", ()) if x.get("group") == "total"}
    killed = totals.get("killed")
    if (
        ev.get("kind") == "incident"
        and killed
        and (killed.get("best") or 0) > r.incident_max_killed
    ):
        out.append(
            flag(
                "large_incident",
                f"{killed['best']:,} killed in one incident (over {r.incident_max_killed:,}): "
                "often a cumulative toll read as an incident",
            )
        )
    years = _year_figures(ev, r.year_range)
    if years:
        out.append(
            flag(
                "figure_is_year",
                f"a figure equals a year ({', '.join(str(y) for y in years)}): "
                "probably a date read as a count",
            )
        )
    for x in ev.get("estimates", ()):
        total = totals.get(x["outcome"])
        if x.get("group") != "civilians" or not total:
            continue
        if (x.get("best") or 0) > (total.get("best") or 0) > 0:
            out.append(
                flag(
                    "civilians_above_total",
                    f"{x['outcome']}: {x['best']:,} civilians but {total['best']:,} in total",
                )
            )
    if ev.get("kind") == "incident":
        phrase = _tally_phrase(ev, killed, r.tally_phrases)
        if phrase:
            out.append(
                flag(
                    "tally_phrase",
                    f"its toll comes from a sentence with a cumulative phrase ({phrase!r})",
                )
            )
    return out


def outside_country(ev: dict[str, Any], country: str | None) -> dict[str, str] | None:
    """A flag when the event's place is in another country than the collection's."""
    place = ev.get("place") or {}
    where = place.get("country")
    if not country or not where or where.upper() == country.upper():
        return None
    return flag(
        "outside_country",
        f"placed in {where}, outside the collection's country ({country.upper()}): "
        "a place name may have matched abroad",
    )


def with_flags(ev: dict[str, Any], country: str | None) -> dict[str, Any]:
    """``ev`` with its full ``flags`` list (stored intrinsic ones plus the country check)."""
    found = list(ev.get("flags") or ())
    extra = outside_country(ev, country)
    if extra is not None:
        found.append(extra)
    ev["flags"] = found
    return ev


def codes(found: list[dict[str, str]]) -> str:
    """The stored form (``events.flags``): codes joined by commas, '' for none."""
    return ",".join(f["code"] for f in found)


def _year_figures(ev: dict[str, Any], years: tuple[int, int]) -> list[int]:
    """Figures written as a bare four-digit year ("2011", not "2,011" or "at least 2011")."""
    found: set[int] = set()
    for x in ev.get("estimates", ()):
        for s in x.get("sources", ()):
            text = (s.get("count_text") or "").strip().strip("()")
            if (
                re.fullmatch(r"\d{4}", text)
                and years[0] <= int(text) <= years[1]
                and int(text) in (s.get("low"), s.get("high"))
            ):
                found.add(int(text))
    return sorted(found)


def _tally_phrase(
    ev: dict[str, Any], killed: dict[str, Any] | None, phrases: tuple[re.Pattern[str], ...]
) -> str | None:
    """A cumulative phrase in the sentence of a claim that sets the killed figures."""
    if not killed:
        return None
    keys = {
        *killed.get("low_claims", ()),
        *killed.get("best_claims", ()),
        *killed.get("high_claims", ()),
    }
    for report in ev.get("claims", ()):
        if report.get("key") not in keys:
            continue
        sentence = ((report.get("claim") or {}).get("evidence") or {}).get("sentence") or ""
        for p in phrases:
            m = p.search(sentence)
            if m:
                return m.group(0)
    return None
