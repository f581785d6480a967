"""Linking on the driver (``warlog batch`` below ``--driver-link-max``) is the library's linking."""

from __future__ import annotations

from pathlib import Path

import pytest

from warlog.batch import linkjoin
from warlog.link import Report, build_event, components, units_of
from warlog.link.decide import candidates, linked


@pytest.fixture(scope="module")
def seed_units() -> list:
    from conftest import SEEDS

    from warlog.clean.page import clean_page
    from warlog.extract import Extractor
    from warlog.ingest import Input, read
    from warlog.records import RawPage
    from warlog.resolve import Resolver
    from warlog.settings import IngestOptions

    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is absent")
    ex, rs = Extractor(), Resolver()
    reports, leads = [], {}
    for path in sorted(Path(SEEDS).glob("*.txt")):
        pages = [p for p in read(Input(str(path), path), IngestOptions()) if isinstance(p, RawPage)]
        for art in clean_page(pages[0]):
            res = rs.resolve(ex.extract(art))
            aid = f"{path.name[:3]}-{art.index}"
            reports += [Report(c, aid, art.outlet, art.published) for c in res.claims]
            if res.lead is not None:
                leads[aid] = res.lead.claims
    return units_of(reports, leads)


def test_driver_link_gives_the_library_events(seed_units: list) -> None:
    found, pairs = linkjoin.on_driver(seed_units)
    library = {build_event(c).id: sorted(u.key for u in c) for c in components(seed_units)}
    assert len(found) > 10
    assert {ev.id: sorted(u.key for u in us) for ev, us in found} == library
    assert [ev for ev, _ in found] == [build_event(us) for _, us in found]
    # Every unit in exactly one event, and the pairs counted are the linked candidates.
    assert sorted(u.key for _, us in found for u in us) == sorted(u.key for u in seed_units)
    reps = [u.rep for u in sorted(seed_units, key=lambda u: u.key)]
    assert pairs == sum(1 for i, j in candidates(reps) if linked(reps[i], reps[j])) > 0
