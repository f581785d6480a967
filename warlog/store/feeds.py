"""The store side of ``warlog watch``: feed state, handled entries, fired alerts.

Every statement of the watcher lives here (the store is the only place with SQL).
Times are POSIX seconds. A feed is *claimed* by one watcher at a time with a
conditional UPDATE (a lease): on PostgreSQL a second watcher's UPDATE waits for
the first one's row lock and then finds the lease taken, on SQLite writers are
serialised anyway, so two watchers on one store never fetch the same feed at once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from warlog.store import Store, Writer, schema

_F = schema.watch_feeds.c
_E = schema.watch_entries.c
_A = schema.watch_alerts.c


@dataclass(frozen=True, slots=True)
class FeedRow:
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    next_poll: float
    last_poll: float | None
    last_status: int | None
    last_outcome: str | None
    failures: int
    gone: int
    dead: bool
    polls: int
    articles_found: int
    added_at: float


def _row(m: Any) -> FeedRow:
    return FeedRow(
        url=m["url"],
        title=m["title"],
        etag=m["etag"],
        last_modified=m["last_modified"],
        next_poll=m["next_poll"],
        last_poll=m["last_poll"],
        last_status=m["last_status"],
        last_outcome=m["last_outcome"],
        failures=m["failures"],
        gone=m["gone"],
        dead=bool(m["dead"]),
        polls=m["polls"],
        articles_found=m["articles_found"],
        added_at=m["added_at"],
    )


def add_feeds(store: Store, urls: Sequence[str], now: float) -> int:
    """Register feeds (due at once); feeds already known keep their state. Returns how many were new."""
    added = 0
    with store.transaction() as tx:
        known = set(tx.conn.execute(select(_F.url).where(_F.url.in_(list(urls)))).scalars())
        for url in dict.fromkeys(urls):
            if url in known:
                continue
            tx.conn.execute(
                insert(schema.watch_feeds).values(
                    url=url, added_at=now, next_poll=now, failures=0, gone=0, dead=0,
                    polls=0, articles_found=0,
                )
            )  # fmt: skip
            added += 1
    return added


def feeds(store: Store, urls: Sequence[str] | None = None) -> list[FeedRow]:
    q = select(schema.watch_feeds).order_by(_F.added_at, _F.url)
    if urls is not None:
        q = q.where(_F.url.in_(list(urls)))
    with store.engine.connect() as conn:
        return [_row(r._mapping) for r in conn.execute(q)]


def feed(store: Store, url: str) -> FeedRow | None:
    found = feeds(store, [url])
    return found[0] if found else None


def next_due(store: Store, urls: Sequence[str] | None = None) -> float | None:
    """When the earliest live feed is next due (None when every feed is dead)."""
    q = select(func.min(_F.next_poll)).where(_F.dead == 0)
    if urls is not None:
        q = q.where(_F.url.in_(list(urls)))
    with store.engine.connect() as conn:
        return conn.execute(q).scalar_one_or_none()


def claim_due(
    store: Store, owner: str, now: float, lease: float, urls: Sequence[str] | None = None
) -> list[FeedRow]:
    """Take the lease on every due, live, unleased feed (of ``urls`` when given), earliest first."""
    free = or_(_F.lease_until.is_(None), _F.lease_until < now, _F.lease_owner == owner)
    due = and_(_F.dead == 0, _F.next_poll <= now, free)
    q = select(_F.url).where(due).order_by(_F.next_poll, _F.url)
    if urls is not None:
        q = q.where(_F.url.in_(list(urls)))
    claimed: list[str] = []
    with store.engine.connect() as conn:
        candidates = list(conn.execute(q).scalars())
    for url in candidates:
        # One short transaction per feed: the UPDATE re-checks the lease under the row lock.
        with store.transaction() as tx:
            res = tx.conn.execute(
                update(schema.watch_feeds)
                .where(_F.url == url, due)
                .values(lease_owner=owner, lease_until=now + lease)
            )
            if res.rowcount == 1:
                claimed.append(url)
    rows = {r.url: r for r in feeds(store, claimed)} if claimed else {}
    return [rows[u] for u in claimed]


def renew(tx: Writer, url: str, owner: str, until: float) -> None:
    """Extend our lease on a feed, inside the caller's transaction."""
    tx.conn.execute(
        update(schema.watch_feeds)
        .where(_F.url == url, _F.lease_owner == owner)
        .values(lease_until=until)
    )


def finish_poll(store: Store, url: str, owner: str, **values: Any) -> None:
    """Write a poll's outcome (the columns in ``values``) and release the lease."""
    with store.transaction() as tx:
        tx.conn.execute(
            update(schema.watch_feeds)
            .where(_F.url == url, or_(_F.lease_owner == owner, _F.lease_owner.is_(None)))
            .values(**values, polls=_F.polls + 1, lease_owner=None, lease_until=None)
        )


def release(store: Store, url: str, owner: str) -> None:
    with store.transaction() as tx:
        tx.conn.execute(
            update(schema.watch_feeds)
            .where(_F.url == url, _F.lease_owner == owner)
            .values(lease_owner=None, lease_until=None)
        )


def add_found(tx: Writer, url: str, n: int) -> None:
    tx.conn.execute(
        update(schema.watch_feeds).where(_F.url == url).values(articles_found=_F.articles_found + n)
    )


def entries_seen(store: Store, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    with store.engine.connect() as conn:
        return set(conn.execute(select(_E.key).where(_E.key.in_(list(keys)))).scalars())


def mark_entry(
    tx: Writer,
    key: str,
    feed_url: str,
    link: str | None,
    outcome: str,
    article_ids: Sequence[str],
    now: float,
) -> None:
    """Record an entry as handled, inside the transaction that stored its articles."""
    if tx.conn.execute(select(_E.key).where(_E.key == key)).first() is not None:
        return
    tx.conn.execute(
        insert(schema.watch_entries).values(
            key=key,
            feed_url=feed_url,
            link=link,
            outcome=outcome,
            article_ids=json.dumps(list(article_ids)),
            seen_at=now,
        )
    )


def entries(store: Store) -> list[dict[str, Any]]:
    q = select(schema.watch_entries).order_by(_E.key)
    with store.engine.connect() as conn:
        return [{**r._mapping, "article_ids": json.loads(r.article_ids)} for r in conn.execute(q)]


def alert_figures(store: Store, rule: str, event_ids: Sequence[str]) -> dict[str, str]:
    """Event id -> the figures ``rule`` last fired with for it."""
    if not event_ids:
        return {}
    q = select(_A.event_id, _A.figures).where(_A.rule == rule, _A.event_id.in_(list(event_ids)))
    with store.engine.connect() as conn:
        return {r.event_id: r.figures for r in conn.execute(q)}


def record_alert(store: Store, rule: str, event_id: str, figures: str, now: float) -> None:
    with store.transaction() as tx:
        found = tx.conn.execute(
            select(_A.figures).where(_A.rule == rule, _A.event_id == event_id)
        ).first()
        if found is None:
            tx.conn.execute(
                insert(schema.watch_alerts).values(
                    rule=rule, event_id=event_id, figures=figures, fired_at=now
                )
            )
        else:
            tx.conn.execute(
                update(schema.watch_alerts)
                .where(_A.rule == rule, _A.event_id == event_id)
                .values(figures=figures, fired_at=now)
            )
