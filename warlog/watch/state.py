"""When to poll a feed next, from what its last poll gave: pure functions of the outcome.

- a good answer (200, or 304 Not Modified): after the interval, or later when the feed's
  ``Cache-Control: max-age`` says it will not change before (capped at 24 h);
- 429/503 with ``Retry-After``: exactly when the server asked (not counted as a failure);
- any other failure (5xx, timeout, network, too large, bad feed): exponential backoff from
  the interval, doubled per consecutive failure up to 24 h, with jitter (half fixed, half
  random) so that many watchers restarted together do not return together;
- 404 or 410 ``dead_after`` times in a row: the feed is dead and left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_BACKOFF = 24 * 3600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    interval: float = 900.0
    max_backoff: float = MAX_BACKOFF
    dead_after: int = 3  # consecutive 404/410 answers


@dataclass(frozen=True, slots=True)
class Next:
    """The state columns a poll's outcome sets."""

    next_poll: float
    failures: int
    gone: int
    dead: bool


def backoff(failures: int, schedule: Schedule, rng: Callable[[], float]) -> float:
    """Seconds to wait after ``failures`` consecutive failures (>= 1): in [d/2, d] with
    d = interval x 2^(failures-1), at most ``max_backoff``."""
    exp = min(failures - 1, 62)  # 2**62 seconds is past any cap; avoids float overflow
    d = min(schedule.max_backoff, schedule.interval * (2.0**exp))
    return d / 2 + rng() * d / 2


def after_success(now: float, schedule: Schedule, max_age: float | None) -> Next:
    wait = schedule.interval
    if max_age is not None:
        wait = max(wait, min(max_age, schedule.max_backoff))
    return Next(next_poll=now + wait, failures=0, gone=0, dead=False)


def after_retry_after(now: float, wait: float, failures: int, gone: int) -> Next:
    return Next(next_poll=now + min(wait, MAX_BACKOFF), failures=failures, gone=gone, dead=False)


def after_failure(
    now: float,
    schedule: Schedule,
    failures: int,
    gone: int,
    rng: Callable[[], float],
    *,
    status: int | None = None,
) -> Next:
    failures += 1
    gone = gone + 1 if status in (404, 410) else 0
    dead = gone >= schedule.dead_after
    return Next(
        next_poll=now + backoff(failures, schedule, rng), failures=failures, gone=gone, dead=dead
    )
