"""A polite HTTP client for feeds and pages (httpx).

Polite means: it says who it is (a User-Agent with a contact), asks for a feed only if it
changed (ETag, Last-Modified), sends one request at a time to a host with a minimum delay
between them (longer when robots.txt asks for a Crawl-delay), stays away from a host that
answered 429 or 503 with Retry-After until that time has passed, reads robots.txt before
fetching a page, and never waits or reads without bound: every request has a timeout and
a deadline, every body a size limit (decompressed), and redirects a count limit.

Failures are :class:`FetchError` with a ``kind`` the scheduler acts on.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from warlog import __version__
from warlog.settings import format_mb

log = logging.getLogger(__name__)

# robots.txt answers are kept this long; an unreachable robots.txt is asked again sooner.
ROBOTS_TTL = 24 * 3600.0
ROBOTS_RETRY = 3600.0
ROBOTS_MAX_BYTES = 512 * 1024
MAX_CRAWL_DELAY = 60.0
MAX_WAIT = 24 * 3600.0
_REDIRECTS = {301, 302, 303, 307, 308}


def user_agent(contact: str | None) -> str:
    """``warlog/0.1.0 (+contact)``: site owners can tell who is polling and reach them."""
    who = f"; +{contact}" if contact else ""
    return f"warlog/{__version__} (news feed watcher{who})"


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    def max_age(self) -> float | None:
        """Cache-Control max-age in seconds (``no-store``/``no-cache`` count as none)."""
        for part in self.headers.get("cache-control", "").split(","):
            name, _, value = part.strip().partition("=")
            if name.lower() == "max-age":
                try:
                    return float(max(0, int(value.strip().strip('"'))))
                except ValueError:
                    return None
        return None

    def retry_after(self, now: float) -> float | None:
        return retry_after(self.headers.get("retry-after"), now)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped at 24 h."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return min(max(0.0, when.timestamp() - now), MAX_WAIT)


class FetchError(Exception):
    """A request that gave no usable answer. ``kind``: timeout, too_large, redirects, network,
    robots (disallowed), deferred (the host asked us to wait; ``wait`` says how long)."""

    def __init__(self, kind: str, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.wait = wait


@dataclass(slots=True)
class _Host:
    lock: threading.Lock
    next_at: float = 0.0  # no request before this (minimum delay)
    blocked_until: float = 0.0  # Retry-After
    robots: Protego | None = None
    robots_state: str = "unknown"  # unknown | parsed | allow | unavailable
    robots_expires: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientOptions:
    contact: str | None = None
    timeout: float = 20.0  # seconds, per connect/read/write, and the whole request's deadline x3
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    min_delay: float = 2.0  # seconds between two requests to one host


class PoliteClient:
    def __init__(
        self,
        options: ClientOptions | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options or ClientOptions()
        self.user_agent = user_agent(self.options.contact)
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        t = self.options.timeout
        self._http = httpx.Client(
            timeout=httpx.Timeout(t),
            follow_redirects=False,  # followed by hand: each hop is checked and counted
            headers={"User-Agent": self.user_agent},
            trust_env=False,  # no proxy from the environment: we talk to the feeds' hosts only
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests -------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """GET ``url`` politely, following redirects up to the limit. 304 and errors are
        returned as responses; only failures to get any answer raise FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.options.max_redirects + 1):
            resp = self._one(current, headers, max_bytes or self.options.max_bytes)
            location = resp.headers.get("location")
            if resp.status not in _REDIRECTS or not location:
                return resp
            nxt = urljoin(current, location)
            if urlsplit(nxt).scheme not in ("http", "https"):
                raise FetchError("redirects", f"redirect to a non-HTTP address {nxt!r}")
            if urlsplit(nxt).netloc != urlsplit(current).netloc:
                headers = {}  # validators belong to the first host
            current = nxt
        raise FetchError(
            "redirects", f"more than {self.options.max_redirects} redirects (last to {current})"
        )

    def _host(self, url: str) -> _Host:
        key = _host_key(url)
        with self._hosts_lock:
            h = self._hosts.get(key)
            if h is None:
                h = self._hosts[key] = _Host(lock=threading.Lock())
            return h

    def blocked_for(self, url: str) -> float:
        """Seconds until ``url``'s host may be asked again after a Retry-After (0: now)."""
        return max(0.0, self._host(url).blocked_until - self._clock())

    def _one(self, url: str, headers: dict[str, str], limit: int) -> Response:
        host = self._host(url)
        with host.lock:  # one request at a time per host
            now = self._clock()
            if host.blocked_until > now:
                wait = host.blocked_until - now
                raise FetchError("deferred", f"host asked to wait {wait:.0f} s", wait=wait)
            if host.next_at > now:
                self._sleep(host.next_at - now)
            try:
                return self._send(url, headers, host, limit)
            finally:
                host.next_at = self._clock() + self._delay(host)

    def _delay(self, host: _Host) -> float:
        delay = self.options.min_delay
        if host.robots is not None:
            crawl = host.robots.crawl_delay(self.user_agent)
            if crawl:
                delay = max(delay, min(float(crawl), MAX_CRAWL_DELAY))
        return delay

    def _send(self, url: str, headers: dict[str, str], host: _Host, limit: int) -> Response:
        # A server that trickles bytes never trips the per-read timeout: bound the whole request.
        deadline = time.monotonic() + 3 * self.options.timeout
        try:
            with self._http.stream("GET", url, headers=headers) as r:
                declared = r.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(
                        "too_large",
                        f"body of {format_mb(int(declared))} announced; the limit is {format_mb(limit)}",
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in r.iter_bytes():  # decompressed: the limit holds for gzip bombs too
                    size += len(chunk)
                    if size > limit:
                        raise FetchError("too_large", f"body over the limit of {format_mb(limit)}")
                    if time.monotonic() > deadline:
                        raise FetchError("timeout", "the whole request took too long")
                    chunks.append(chunk)
                resp = Response(str(r.url), r.status_code, r.headers, b"".join(chunks))
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise FetchError("network", f"{type(exc).__name__}: {exc}") from exc
        if resp.status in (429, 503):
            wait = resp.retry_after(self._clock())
            if wait:
                host.blocked_until = self._clock() + wait
        return resp

    # --- robots.txt -----------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Does the site's robots.txt let us fetch this page? (Missing robots.txt: yes;
        unreachable or failing with 5xx: not now, as crawlers conventionally read it.)"""
        host = self._host(url)
        now = self._clock()
        if host.robots_state == "unknown" or host.robots_expires <= now:
            self._read_robots(url, host)
        if host.robots_state == "allow":
            return True
        if host.robots_state == "parsed" and host.robots is not None:
            return bool(host.robots.can_fetch(url, self.user_agent))
        return False

    def _read_robots(self, url: str, host: _Host) -> None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            resp = self.get(robots_url, max_bytes=min(self.options.max_bytes, ROBOTS_MAX_BYTES))
        except FetchError as exc:
            if exc.kind == "deferred":
                raise  # the host asked us to wait: ask again then, not in an hour
            log.info("robots.txt of %s unavailable (%s): no page fetched there", parts.netloc, exc)
            host.robots, host.robots_state = None, "unavailable"
            host.robots_expires = self._clock() + ROBOTS_RETRY
            return
        wait = resp.retry_after(self._clock()) if resp.status in (429, 503) else None
        if wait:
            raise FetchError("deferred", f"robots.txt: the host asked to wait {wait:.0f} s", wait)
        if resp.status == 200:
            text = resp.body.decode("utf-8", "replace")
            host.robots, host.robots_state = Protego.parse(text), "parsed"
            host.robots_expires = self._clock() + ROBOTS_TTL
        elif 400 <= resp.status < 500 and resp.status != 429:  # 429 says "later", not "none"
            host.robots, host.robots_state = None, "allow"
            host.robots_expires = self._clock() + ROBOTS_TTL
        else:
            host.robots, host.robots_state = None, "unavailable"
            host.robots_expires = self._clock() + ROBOTS_RETRY


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
