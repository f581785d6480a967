"""Linking time and memory for 10k, 30k and 100k synthetic claims (issue 5).

Synthetic incidents are spread over a period that grows with the number of
claims (a constant number of incidents per day, as a growing archive has), each
reported by one to five outlets with jittered days, places, counts and
claimants; a tenth of the claims are cumulative tallies. Each size is linked in
a child process pinned to one core: units, blocked pair decisions, union-find and
reconciliation (``warlog.link.link``), and, with ``--store``, the incremental
path that writes the ledger into SQLite in batches of 50 articles (one input
file's worth: ingestion links per file), arriving in random order.

    .venv/bin/python bench/bench_link.py [--sizes 10000,30000,100000] [--store] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import in_child, mib, pin_to_one_core

from warlog.records import ActorRef, Claim, ClaimantRef, EventDate, Evidence, Place, Report, Victims

TOWNS = [
    ("Aleppo", 36.20, 37.16, "Aleppo"), ("Al Bab", 36.37, 37.52, "Aleppo"),
    ("Idlib", 35.93, 36.63, "Idlib"), ("Saraqeb", 35.86, 36.80, "Idlib"),
    ("Homs", 34.73, 36.72, "Homs"), ("Palmyra", 34.56, 38.28, "Homs"),
    ("Douma", 33.57, 36.40, "Rif Dimashq"), ("Daraa", 32.62, 36.10, "Daraa"),
    ("Raqqa", 35.95, 39.01, "Raqqa"), ("Deir ez-Zor", 35.34, 40.14, "Deir Ezzor"),
    ("Al Mayadin", 35.02, 40.45, "Deir Ezzor"), ("Hama", 35.13, 36.75, "Hama"),
    ("Latakia", 35.52, 35.79, "Lattakia"), ("Hasakah", 36.50, 40.75, "Hasakeh"),
]  # fmt: skip
ACTORS = [("islamic_state", "Islamic State", "jihadist"), ("syrian_government", "Syrian government forces", "state"),
          ("russian_forces", "Russian armed forces", "state"), ("us_led_coalition", "US-led coalition", "coalition")]  # fmt: skip
CLAIMANTS = [("sohr", "Syrian Observatory for Human Rights", "monitor", False),
             ("syrian_state_media", "Syrian state media", "state media", True),
             ("russian_mod", "Russian Ministry of Defence", "military", True), (None, None, None, None)]  # fmt: skip
TYPES = ["air/drone strike", "shelling/artillery/missile", "armed clash", "car bomb"]
INCIDENTS_PER_DAY = 6
# Articles linked per transaction in the store path: ingestion links per input file.
BATCH = 50


def synth_reports(n_claims: int, seed: int = 7) -> tuple[list[Report], dict[str, tuple[int, ...]]]:
    rnd = random.Random(seed)
    start = date(2012, 1, 1)
    n_incidents = max(1, int(n_claims / 2.6))
    days = max(1, n_incidents // INCIDENTS_PER_DAY)
    reports: list[Report] = []
    leads: dict[str, tuple[int, ...]] = {}
    article = 0
    while len(reports) < n_claims:
        day = start + timedelta(days=rnd.randrange(days))
        town, lat, lon, admin1 = rnd.choice(TOWNS)
        # A village near the town: incidents of one day rarely share a place.
        lat, lon = lat + rnd.uniform(-0.25, 0.25), lon + rnd.uniform(-0.25, 0.25)
        actor = rnd.choice(ACTORS)
        etype = rnd.choice(TYPES)
        toll = rnd.randint(1, 60)
        tally = rnd.random() < 0.1
        for _ in range(rnd.randint(1, 5)):
            aid = f"a{article:08d}"
            article += 1
            claimant = rnd.choice(CLAIMANTS)
            c = Claim(
                article_id=aid,
                outcome="killed",
                low=toll + rnd.choice((0, 0, 0, 1, -1, 3)) if not tally else toll * 100,
                high=None,
                count_text=str(toll),
                approx=False,
                vague=False,
                victims=Victims("people", rnd.choice(("civilians", "combatants", "unknown"))),
                perpetrator=ActorRef(actor[1], actor[0], actor[1], actor[2]),
                event_type=etype,
                place_text=town,
                date_text="on Tuesday",
                scope="cumulative" if tally else "incident",
                claimant=ClaimantRef(
                    claimant[1], claimant[0], claimant[1], claimant[2], claimant[3]
                )
                if claimant[0]
                else None,
                evidence=Evidence("...", 0, 3),
                confidence=0.8,
                place=Place(
                    town,
                    town,
                    lat + rnd.uniform(-0.01, 0.01),
                    lon,
                    admin1,
                    None,
                    "SY",
                    "town",
                    "bench",
                ),
                date=EventDate("on Tuesday", day, day, "day"),
            )
            published = day + timedelta(days=rnd.randint(0, 2))
            reports.append(Report(c, aid, f"outlet {rnd.randrange(40)}", published))
            leads[aid] = (0,)
    return reports[:n_claims], leads


def _link_in_memory(n: int) -> dict[str, Any]:
    from warlog.link import link

    pin_to_one_core()
    reports, leads = synth_reports(n)
    t0 = time.perf_counter()
    events = link(reports, leads)
    secs = time.perf_counter() - t0
    return {
        "claims": n,
        "events": len(events),
        "seconds": round(secs, 2),
        "claims_per_s": round(n / secs),
        "peak_rss_mib": mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def _link_into_store(n: int) -> dict[str, Any]:
    """The incremental path: articles arrive in batches and join the stored ledger."""
    from sqlalchemy import insert

    from warlog.link.incremental import update_events
    from warlog.store import Store, schema

    pin_to_one_core()
    reports, leads = synth_reports(n)
    by_article: dict[str, list[Report]] = {}
    for r in reports:
        by_article.setdefault(r.article_id, []).append(r)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        _seed_articles(store, by_article, leads, insert, schema)
        ids = sorted(by_article)
        t0 = time.perf_counter()
        for i in range(0, len(ids), BATCH):
            with store.transaction() as tx:
                update_events(tx.links, ids[i : i + BATCH])
        secs = time.perf_counter() - t0
        events = store.count("events")
        store.close()
    return {
        "claims": n,
        "events": events,
        "seconds": round(secs, 2),
        "claims_per_s": round(n / secs),
        "peak_rss_mib": mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def _seed_articles(
    store: Any, by_article: dict[str, list[Report]], leads: Any, insert: Any, schema: Any
) -> None:
    """Articles and claims written straight into the tables, as ingestion would have left them."""
    from datetime import UTC, datetime

    from warlog.codec import claim_json, lead_json
    from warlog.records import Lead

    now = datetime.now(UTC)
    with store.transaction() as tx:
        tx.conn.execute(insert(schema.pages), [{"sha256": "0" * 64, "source": "bench", "url": None, "format": "text", "encoding": "utf-8", "fetched_at": None, "ingested_at": now, "size": 0, "body": b"", "run_id": None}])  # fmt: skip
        arts, claims, lds = [], [], []
        for n, (aid, rs) in enumerate(by_article.items()):
            r = rs[0]
            arts.append({"id": aid, "page_sha256": "0" * 64, "idx": n, "title": None, "text": "...",
                         "outlet": r.outlet, "outlet_how": None, "url": None, "published": r.published,
                         "published_how": "bench", "content_hash": aid, "duplicate_of": None,
                         "duplicate_how": None, "external_id": None, "source": "bench", "removed": "[]",
                         "minhash": None, "ingested_at": now})  # fmt: skip
            for c in rs:
                claims.append({"id": f"{aid}:{c.claim.index}", "article_id": aid, "idx": c.claim.index,
                               "outcome": c.claim.outcome, "low": c.claim.low, "high": c.claim.high,
                               "count_text": c.claim.count_text, "scope": c.claim.scope,
                               "event_type": c.claim.event_type, "victims_kind": c.claim.victims.kind,
                               "perpetrator_id": None, "claimant_id": None, "place_text": None,
                               "date_text": None, "evidence_start": 0, "evidence_end": 3,
                               "confidence": 0.8, "data": json.dumps(claim_json(c.claim)),
                               "extractor": "bench"})  # fmt: skip
            lead = Lead(leads[aid], None, None, None, None, None, None, None, None, None, None)
            lds.append({"article_id": aid, "killed": None, "wounded": None, "perpetrator_id": None,
                        "event_type": None, "data": json.dumps(lead_json(lead))})  # fmt: skip
        tx.conn.execute(insert(schema.articles), arts)
        tx.conn.execute(insert(schema.claims), claims)
        tx.conn.execute(insert(schema.leads), lds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,30000,100000")
    ap.add_argument("--store", action="store_true", help="Also time the incremental store path.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        row = {"path": "in memory", **in_child(_link_in_memory, n)}
        rows.append(row)
        if not args.json:
            print(row, flush=True)
        if args.store:
            row = {"path": "store (incremental)", **in_child(_link_into_store, n)}
            rows.append(row)
            if not args.json:
                print(row, flush=True)
    if args.json:
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
