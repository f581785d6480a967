"""Alert rules over events, and where alerts go.

A rule is one line of conditions, all of which must hold (``killed>=10 near=Idlib km=30``):

- ``killed>=N`` / ``wounded>=N`` (also ``>``, ``=``, ``<=``, ``<``): the event's best figure;
- ``near=PLACE`` (a gazetteer name or ``LAT,LON``) with ``km=N`` (default 25);
- ``actor=WORDS``: a perpetrator or claimant whose id or name contains the words;
- ``conflict``: credible sources give figures that cannot all hold;
- ``revision``: a source raised its toll in a later article.

An alert names the event, the claims that triggered it and their sentences. It fires once
per event and rule, and again only when the event's figures change (the figures it fired
with are stored per rule and event).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import operator
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

import httpx

from warlog.codec import event_json
from warlog.errors import E, WarlogError
from warlog.records import DEFAULT_NEAR_KM
from warlog.store import Store
from warlog.store import feeds as feedstore

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Warlog-Signature"
_OPS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}
_FIGURES = ("killed", "wounded")


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str  # killed | wounded | near | actor | conflict | revision
    op: str = ""
    value: int = 0
    place: str = ""
    lat: float = 0.0
    lon: float = 0.0
    km: float = DEFAULT_NEAR_KM
    actor: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    text: str  # as written: the key alerts are recorded under
    conditions: tuple[Condition, ...]


def parse_rule(text: str, where: str = "--alert") -> Rule:
    """A rule from its text; a bad one is an E122 error naming it."""

    def bad(reason: str) -> WarlogError:
        return WarlogError(E.E122, rule=text, where=where, reason=reason)

    try:
        tokens = shlex.split(text, comments=True)
    except ValueError as exc:
        raise bad(str(exc)) from exc
    if not tokens:
        raise bad("it is empty")
    conds: list[Condition] = []
    km: float | None = None
    for tok in tokens:
        low = tok.lower()
        if low in ("conflict", "revision"):
            conds.append(Condition(low))
            continue
        figure = next((f for f in _FIGURES if low.startswith(f)), None)
        if figure:
            rest = low[len(figure) :]
            op = next((o for o in (">=", "<=", ">", "<", "=") if rest.startswith(o)), None)
            num = rest[len(op) :] if op else ""
            if op is None or not num.isdigit():
                raise bad(f"{tok!r}: write {figure}>=N (or >, =, <=, <)")
            conds.append(Condition(figure, op=op, value=int(num)))
            continue
        key, sep, value = tok.partition("=")
        key = key.lower()
        if not sep or not value:
            raise bad(
                f"unknown condition {tok!r}; use killed>=N, wounded>=N, near=PLACE km=N, "
                "actor=NAME, conflict or revision"
            )
        if key == "near":
            from warlog.resolve.gazetteer import locate

            lat, lon = locate(value)
            conds.append(Condition("near", place=value, lat=lat, lon=lon))
        elif key == "km":
            try:
                km = float(value)
            except ValueError:
                raise bad(f"km={value!r} is not a number") from None
            if km <= 0:
                raise bad("km must be positive")
        elif key == "actor":
            conds.append(Condition("actor", actor=value.lower()))
        else:
            raise bad(f"unknown condition {key!r}")
    if km is not None:
        if not any(c.kind == "near" for c in conds):
            raise bad("km= goes with near=PLACE")
        conds = [
            Condition("near", place=c.place, lat=c.lat, lon=c.lon, km=km) if c.kind == "near" else c
            for c in conds
        ]
    return Rule(text=" ".join(tokens), conditions=tuple(conds))


def read_rules(path: Path) -> list[Rule]:
    """One rule per line; blank lines and # comments are skipped."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise WarlogError(
            E.E102, path=str(path), reason=getattr(exc, "strerror", None) or str(exc)
        ) from exc
    rules = []
    for n, line in enumerate(lines, 1):
        if line.strip() and not line.strip().startswith("#"):
            rules.append(parse_rule(line, where=f"{path}:{n}"))
    return rules


# --- matching -------------------------------------------------------------------------


def _claims_by_key(event: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["key"]: c for c in event.get("claims") or []}


def _estimate(event: dict[str, Any], outcome: str) -> dict[str, Any] | None:
    return next(
        (
            e
            for e in event.get("estimates") or []
            if e["outcome"] == outcome and e["group"] == "total"
        ),
        None,
    )


def _raised(event: dict[str, Any]) -> list[str]:
    """Claims of every source whose figure went up from one article to a later one."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for r in event.get("revisions") or []:
        by_source.setdefault(r["source"], []).append(r)
    keys: list[str] = []
    for steps in by_source.values():

        def value(r: dict[str, Any]) -> int:
            return r["high"] if r["high"] is not None else (r["low"] or 0)

        for i in range(1, len(steps)):
            if value(steps[i]) > max(value(s) for s in steps[:i]):
                keys += [s["claim"] for s in steps[: i + 1] if s["claim"] not in keys]
    return keys


def _within(c: Condition, lat: float | None, lon: float | None) -> bool:
    from warlog.link.decide import haversine_km

    return lat is not None and lon is not None and haversine_km(c.lat, c.lon, lat, lon) <= c.km


def _condition_claims(c: Condition, event: dict[str, Any]) -> list[str] | None:
    """The claims that make ``c`` hold for ``event`` (None: it does not hold)."""
    claims = _claims_by_key(event)
    if c.kind in _FIGURES:
        est = _estimate(event, c.kind)
        best = (event.get(c.kind) or {}).get("best")
        if est is None or best is None or not _OPS[c.op](best, c.value):
            return None
        return list(dict.fromkeys(est.get("best_claims") or []))
    if c.kind == "near":
        place = event.get("place") or {}
        if not _within(c, place.get("lat"), place.get("lon")):
            return None
        near = [
            k
            for k, cl in claims.items()
            if _within(c, *(((cl["claim"].get("place") or {}).get(x)) for x in ("lat", "lon")))
        ]
        return near or list(claims)
    if c.kind == "actor":
        found = []
        for k, cl in claims.items():
            claim = cl["claim"]
            who = [claim.get("perpetrator") or {}, claim.get("claimant") or {}]
            words = " ".join(
                str(w.get(f) or "") for w in who for f in ("actor", "id", "name", "text")
            ).lower()
            if c.actor in words:
                found.append(k)
        return found or None
    if c.kind == "conflict":
        if not event.get("conflict"):
            return None
        keys: list[str] = []
        for est in event.get("estimates") or []:
            if est.get("conflict"):
                keys += est.get("low_claims") or []
                keys += est.get("high_claims") or []
        return list(dict.fromkeys(keys))
    if c.kind == "revision":
        return _raised(event) or None
    raise AssertionError(c.kind)


def match(rule: Rule, event: dict[str, Any]) -> list[str] | None:
    """The triggering claims when every condition of ``rule`` holds for ``event``, else None."""
    keys: list[str] = []
    for c in rule.conditions:
        found = _condition_claims(c, event)
        if found is None:
            return None
        keys += [k for k in found if k not in keys]
    return keys


def figures(event: dict[str, Any]) -> str:
    """What an alert is about: every estimate's figures and the revisions. A rule fires again
    for an event only when this changes."""
    est = [
        [e["outcome"], e["group"], e["low"], e["best"], e["high"], bool(e["conflict"])]
        for e in event.get("estimates") or []
    ]
    rev = [[r["source"], r["low"], r["high"], r["claim"]] for r in event.get("revisions") or []]
    return json.dumps({"estimates": est, "revisions": rev}, sort_keys=True)


def alert_json(
    rule: Rule, event: dict[str, Any], keys: Sequence[str], again: bool, at: float
) -> dict[str, Any]:
    claims = _claims_by_key(event)
    out = []
    for k in keys:
        cl = claims.get(k)
        if cl is None:
            continue
        claim = cl["claim"]
        out.append(
            {
                "key": k,
                "article_id": cl["article_id"],
                "outlet": cl.get("outlet"),
                "title": cl.get("title"),
                "published": cl.get("published"),
                "claimant": (claim.get("claimant") or {}).get("name"),
                "outcome": claim["outcome"],
                "low": claim["low"],
                "high": claim["high"],
                "count_text": claim["count_text"],
                "sentence": claim["evidence"]["sentence"],
            }
        )
    summary = {k: event.get(k) for k in (
        "id", "kind", "date", "place", "event_type", "perpetrator", "killed", "wounded",
        "conflict", "n_reports", "n_articles", "n_outlets", "outlets", "claimants",
    )}  # fmt: skip
    return {
        "rule": rule.text,
        "event_id": event["id"],
        "again": again,  # fired before for this event, with other figures
        "at": datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds"),
        "event": summary,
        "claims": out,
    }


# --- delivery -----------------------------------------------------------------------


class Sink(Protocol):
    def send(self, alert: dict[str, Any]) -> bool: ...


def _line(alert: dict[str, Any]) -> str:
    return json.dumps(alert, ensure_ascii=False, sort_keys=True)


@dataclass(slots=True)
class StreamSink:
    """JSON lines on a stream (stdout)."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)

    def send(self, alert: dict[str, Any]) -> bool:
        self.stream.write(_line(alert) + "\n")
        self.stream.flush()
        return True


@dataclass(slots=True)
class FileSink:
    """JSON lines appended to a file (opened per alert: rotating it needs no restart)."""

    path: Path

    def send(self, alert: dict[str, Any]) -> bool:
        try:
            with self.path.open("a", encoding="utf-8") as f:
                f.write(_line(alert) + "\n")
        except OSError as exc:
            log.error("cannot append the alert to %s: %s", self.path, exc)
            return False
        return True


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass(slots=True)
class WebhookSink:
    """POSTs each alert as JSON, signed with HMAC-SHA256 in ``X-Warlog-Signature`` when a
    secret is set; retried with backoff on network errors, 429 and 5xx."""

    url: str
    secret: str | None = None
    retries: int = 3
    timeout: float = 10.0
    sleep: Callable[[float], None] = time.sleep
    user_agent: str = "warlog"

    def send(self, alert: dict[str, Any]) -> bool:
        body = _line(alert).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": self.user_agent}
        if self.secret:
            headers[SIGNATURE_HEADER] = sign(self.secret, body)
        delay = 1.0
        with httpx.Client(timeout=self.timeout, trust_env=False) as client:
            for attempt in range(self.retries + 1):
                try:
                    r = client.post(self.url, content=body, headers=headers)
                    if r.status_code < 300:
                        return True
                    if r.status_code != 429 and r.status_code < 500:
                        log.error("webhook %s refused the alert: HTTP %s", self.url, r.status_code)
                        return False
                    why = f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    why = f"{type(exc).__name__}"
                if attempt < self.retries:
                    log.warning("webhook %s failed (%s); retrying in %.0f s", self.url, why, delay)
                    self.sleep(delay)
                    delay *= 2
        log.error("webhook %s: alert not delivered after %d tries", self.url, self.retries + 1)
        return False


def sink_for(target: str, secret: str | None, user_agent: str) -> Sink:
    """``-`` is stdout, an http(s) URL a webhook, anything else a file to append to."""
    if target == "-":
        return StreamSink()
    if target.startswith(("http://", "https://")):
        return WebhookSink(target, secret, user_agent=user_agent)
    return FileSink(Path(target))


class Alerter:
    """Checks the events that new articles touched against the rules and delivers alerts."""

    def __init__(
        self,
        store: Store,
        rules: Sequence[Rule],
        sinks: Sequence[Sink],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.rules = list(rules)
        self.sinks = list(sinks) or [StreamSink()]
        self.clock = clock

    def check(self, event_ids: Iterable[str]) -> list[dict[str, Any]]:
        ids = sorted(set(event_ids))
        if not self.rules or not ids:
            return []
        events = [event_json(e) for e in self.store.events(ids=ids)]
        fired = []
        for rule in self.rules:
            before = feedstore.alert_figures(self.store, rule.text, ids)
            for event in events:
                keys = match(rule, event)
                if keys is None:
                    continue
                figs = figures(event)
                if before.get(event["id"]) == figs:
                    continue  # fired already with these very figures
                now = self.clock()
                alert = alert_json(rule, event, keys, event["id"] in before, now)
                # Recorded once delivered everywhere: a failed delivery is tried again the
                # next time the event is checked rather than lost for good.
                if all([s.send(alert) for s in self.sinks]):
                    feedstore.record_alert(self.store, rule.text, event["id"], figs, now)
                fired.append(alert)
        return fired
