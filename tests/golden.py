"""The public JSON of warlog, collected on the seeds and a few FA-KES dev articles.

``collect`` runs the commands a user runs (``ingest``, ``extract --json``, ``events --json``,
``show --json``, ``export``) and the API's event list and detail, and returns each output as
text. ``tests/test_golden.py`` compares it with ``tests/fixtures/golden_public_json.json``,
written by ``scripts/make_golden.py`` from the code of the day the file was made: the file is
output of the code (a guard against unintended changes of a public interface), not an
evaluation file.

Only truly volatile parts are normalised: the temporary folder's path (``<tmp>``) and ISO
timestamps of the clock (``<time>``), neither of which the ledger's content depends on (on
today's code neither occurs in these outputs). The file keeps digests, not text (see
:func:`fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from warlog.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FAKES_DEV = ROOT.parent / "shared" / "eval" / "fakes" / "dev.jsonl"
GOLDEN = ROOT / "tests" / "fixtures" / "golden_public_json.json"
FAKES_ROWS = 12  # the first rows of FA-KES dev: enough for cross-outlet events, fast
FAKES_MAP = "text=text,title=title,outlet=outlet,id=id"
DIGESTED = ("show ", "api event ")
EXPORTS = ("jsonl", "geojson", "ucdp-csv", "acled-csv")

# A moment of the clock (ingested_at, updated_at): "2026-12-06T09:22:49.123456+00:00".
_CLOCK = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?")


def fakes_subset(workdir: Path) -> Path:
    path = workdir / "fakes_dev_head.jsonl"
    with FAKES_DEV.open(encoding="utf-8") as f:
        rows = [next(f) for _ in range(FAKES_ROWS)]
    # The gold labels are no input: only the fields an outlet's page would have.
    kept = [
        {k: v for k, v in json.loads(r).items() if k in ("id", "title", "text", "outlet")}
        for r in rows
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in kept), "utf-8")
    return path


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def normalise(text: str, workdir: Path) -> str:
    return _CLOCK.sub("<time>", text.replace(str(workdir), "<tmp>"))


def collect(workdir: Path, db_url: str) -> dict[str, list[str]]:
    """Every public output on the seeds and the FA-KES head, by name, as line digests."""
    fakes = fakes_subset(workdir)
    _run(["ingest", str(SEEDS), "--db", db_url])
    _run(["ingest", str(fakes), "--map", FAKES_MAP, "--db", db_url])
    out: dict[str, str] = {
        "extract seeds": _run(["extract", str(SEEDS), "--json"]),
        "extract fakes": _run(["extract", str(fakes), "--json"]),
        "events": _run(["events", "--json", "--db", db_url]),
    }
    ids = [json.loads(line)["id"] for line in out["events"].splitlines() if line.strip()]
    for event_id in ids:
        out[f"show {event_id}"] = _run(["show", event_id, "--json", "--db", db_url])
    for fmt in EXPORTS:
        out[f"export {fmt}"] = _run(["export", "--format", fmt, "--db", db_url])
    out.update(_api(db_url, ids))
    found = {k: normalise(v, workdir) for k, v in out.items()}
    return {k: fingerprint(k, v) for k, v in found.items()}


def fingerprint(name: str, text: str) -> list[str]:
    """Digests, never the text: the outputs quote the articles, which stay in ../shared.

    One digest per line, so that a failure names the first line that changed; one event's
    detail (``show``, the API) is also a line of ``export jsonl``, so one digest is enough.
    """
    lines = [text] if name.startswith(DIGESTED) else text.splitlines(keepends=True)
    return [hashlib.sha256(x.encode("utf-8")).hexdigest()[:16] for x in lines]


def _api(db_url: str, ids: list[str]) -> dict[str, str]:
    from fastapi.testclient import TestClient

    from warlog.api import create_app

    app = create_app(db_url, "golden-token")
    out: dict[str, str] = {}
    try:
        with TestClient(app) as client:
            out["api events"] = _body(client.get("/api/events", params={"limit": 500}))
            for event_id in ids:
                out[f"api event {event_id}"] = _body(client.get(f"/api/events/{event_id}"))
    finally:
        app.state.store.close()
    return out


def _body(response: Any) -> str:
    assert response.status_code == 200, response.text
    return response.text
