"""A local feed server for the watcher's tests: serves feeds, pages and robots.txt on
127.0.0.1 (an ephemeral port), changes them between polls, and records every request.

Pages are written in the style of the seeds (wire reports of strikes in Idlib), never
copied from anywhere.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

T0 = 1_700_000_000.0


class FakeClock:
    """Time that moves only when told to (or when the code under test sleeps)."""

    def __init__(self, start: float = T0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering
    stream: int = 0  # send this many bytes of filler without a Content-Length


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.post_statuses: list[int] = []  # answers to POSTs, in turn (then 200)
        self.active: dict[str, int] = {}
        self.max_active: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _hit(self, body: bytes = b"") -> None:
                with server._lock:
                    server.hits.append(
                        Hit(self.command, self.path, dict(self.headers.items()), body, time.time())
                    )

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                self._hit(body)
                with server._lock:
                    status = server.post_statuses.pop(0) if server.post_statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                self._hit()
                with server._lock:
                    route = server.routes.get(self.path)
                    server.active[self.path] = server.active.get(self.path, 0) + 1
                    server.max_active[self.path] = max(
                        server.max_active.get(self.path, 0), server.active[self.path]
                    )
                try:
                    self._answer(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server._lock:
                        server.active[self.path] -= 1

            def _answer(self, route: Route | None) -> None:
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                validators = {}
                if route.etag:
                    validators["ETag"] = route.etag
                if route.last_modified:
                    validators["Last-Modified"] = route.last_modified
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if route.status == 200 and (
                    (route.etag and inm == route.etag)
                    or (route.last_modified and not route.etag and ims == route.last_modified)
                ):
                    self.send_response(304)
                    for k, v in {**validators, **route.headers}.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for k, v in {**validators, **route.headers}.items():
                    self.send_header(k, v)
                if route.stream:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<p>" + b"x" * 65536 + b"</p>\n"
                    sent = 0
                    while sent < route.stream:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

        self._httpd = _Quiet(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, route: Route) -> None:
        with self._lock:
            self.routes[path] = route

    def count(self, path: str, method: str = "GET") -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.path == path and h.method == method)

    def requests(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up (a killed watcher, a timeout) is part of the tests


@contextmanager
def serving() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.close()


# --- content ---------------------------------------------------------------------------

TOWNS = ("Saraqeb", "Kafranbel", "Maarat al-Numan", "Jisr al-Shughur", "Khan Sheikhoun", "Sarmin")


@dataclass(frozen=True)
class Story:
    slug: str
    town: str
    killed: int
    day: str  # ISO publication date
    weekday: str = "Tuesday"
    outlet: str = "Levant Wire"

    @property
    def title(self) -> str:
        return f"Air strikes kill {self.killed} civilians in {self.town}"

    def paragraphs(self) -> list[str]:
        return [
            f"Government air strikes on the rebel-held town of {self.town} in Idlib province "
            f"killed at least {self.killed} civilians on {self.weekday}, the Syrian Observatory "
            "for Human Rights said.",
            "The monitor said the raids hit a market and a residential building near the town "
            "centre, and that dozens of people were wounded. Rescue workers were still searching "
            "the rubble late in the evening, a local council official told reporters.",
            f"Residents of {self.town} said warplanes circled over the area for more than an hour "
            "before the first strike, and that several families had fled towards the Turkish "
            "border in the days before the attack.",
        ]


def page_html(s: Story) -> bytes:
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in s.paragraphs())
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{html.escape(s.title)}</title>"
        f'<meta property="og:site_name" content="{html.escape(s.outlet)}">'
        f'<meta property="article:published_time" content="{s.day}T10:00:00Z">'
        "</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{html.escape(s.title)}</h1>{paras}</article>"
        "<footer>Copyright Levant Wire</footer></body></html>"
    ).encode()


def rss(server: FeedServer, stories: list[Story], title: str = "Levant Wire") -> bytes:
    """An RSS feed listing ``stories`` newest first; each entry's summary is its first
    paragraph (the fallback when the page cannot be had)."""
    items = []
    for s in sorted(stories, key=lambda s: s.day, reverse=True):
        when = format_datetime(datetime.fromisoformat(s.day).replace(hour=10, tzinfo=UTC))
        items.append(
            "<item>"
            f"<title>{html.escape(s.title)}</title>"
            f"<link>{server.url('/news/' + s.slug)}</link>"
            f"<guid>{s.slug}</guid>"
            f"<pubDate>{when}</pubDate>"
            f"<description>{html.escape(s.paragraphs()[0])}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>{server.base}/</link>"
        f"<description>News</description>{''.join(items)}</channel></rss>"
    ).encode()


def publish(server: FeedServer, path: str, stories: list[Story], **route: object) -> None:
    """Serve a feed of ``stories`` at ``path`` and each story's page."""
    for s in stories:
        server.set("/news/" + s.slug, Route(page_html(s)))
    body = rss(server, stories)
    server.set(
        path,
        Route(body, content_type="application/rss+xml", **route),  # type: ignore[arg-type]
    )
