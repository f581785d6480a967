"""The watched feeds' state as JSON (``warlog feeds --json``, ``GET /api/feeds``).

Fields (a public interface: added, never renamed): ``url``, ``title``, ``state`` (``new``
never polled, ``ok``, ``backing off`` after failures, ``dead`` after repeated 404/410),
``last_poll`` and ``next_poll`` (ISO 8601 UTC; ``next_poll`` null for a dead feed),
``last_status`` (HTTP status, null when no answer came), ``last_outcome`` (what the last
poll did, in words), ``failures`` (consecutive), ``polls``, ``articles_found``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from warlog.store import Store
from warlog.store import feeds as feedstore


def _iso(t: float | None) -> str | None:
    return None if t is None else datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")


def state_of(row: feedstore.FeedRow) -> str:
    if row.dead:
        return "dead"
    if row.polls == 0:
        return "new"
    return "backing off" if row.failures else "ok"


def feed_json(row: feedstore.FeedRow) -> dict[str, Any]:
    return {
        "url": row.url,
        "title": row.title,
        "state": state_of(row),
        "last_poll": _iso(row.last_poll),
        "last_status": row.last_status,
        "last_outcome": row.last_outcome,
        "next_poll": None if row.dead else _iso(row.next_poll),
        "failures": row.failures,
        "polls": row.polls,
        "articles_found": row.articles_found,
    }


def feeds_json(store: Store) -> list[dict[str, Any]]:
    return [feed_json(r) for r in feedstore.feeds(store)]
