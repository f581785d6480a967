"""Browser-test plumbing shared by tests/browser: Debian's Chromium, a loopback-only network,
a static file server and screenshots.

The fixtures in ``conftest.py`` are built on these; the dashboard tests can also import them
(``from browser.harness import StaticServer, save_screenshot``).
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Route

ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = ROOT / "warlog" / "web" / "static"
BOUNDARIES_DIR = ROOT / "warlog" / "data" / "boundaries"
PAGES_DIR = Path(__file__).resolve().parent / "pages"
ARTIFACTS_DIR = ROOT / "test-artifacts"

# Debian's chromium package; Playwright's own browser builds are never downloaded.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing that talks to Google on its own (updates, sync, field trials, QUIC
# probes): a test run must make no request beyond loopback. --no-sandbox because CI runs as root.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
REQUIRE_ENV = "WARLOG_REQUIRE_BROWSER"


def chromium_path() -> str | None:
    """The Chromium binary to drive: $WARLOG_CHROMIUM if set (and only it, so a wrong path is
    reported rather than silently replaced), else /usr/bin/chromium or chromium on PATH."""
    chosen = os.environ.get("WARLOG_CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


def browser_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def is_loopback(url: str) -> bool:
    """True for URLs that never leave the machine: loopback hosts and in-page schemes."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = (parts.hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class PageLog:
    """What a page did that a test may want to assert on."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def problems(self) -> list[str]:
        return [
            *(f"console error: {e}" for e in self.console_errors),
            *(f"uncaught exception: {e}" for e in self.page_errors),
            *(f"blocked non-loopback request: {u}" for u in self.blocked_requests),
            *(f"failed request: {u}" for u in self.failed_requests),
        ]

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the page misbehaved:\n" + "\n".join(problems)


def guard_network(page: Page, log: PageLog) -> None:
    """Abort (and record) every request the page makes to anything but loopback."""

    def handle(route: Route) -> None:
        url = route.request.url
        if is_loopback(url):
            route.continue_()
        else:
            log.blocked_requests.append(url)
            route.abort("blockedbyclient")

    page.context.route("**/*", handle)
    page.on("console", log.on_console)
    page.on("pageerror", log.on_page_error)
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.url in log.blocked_requests
            else log.failed_requests.append(f"{request.url}: {request.failure}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            log.failed_requests.append(f"{response.url}: HTTP {response.status}")
            if response.status >= 400
            else None
        ),
    )


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG under test-artifacts/ (gitignored; CI keeps it) and return its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = ARTIFACTS_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


class _Handler(SimpleHTTPRequestHandler):
    """Serves several folders under URL prefixes; quiet, and no directory listings."""

    extensions_map: Mapping[str, str] = {  # type: ignore[misc]
        **SimpleHTTPRequestHandler.extensions_map,
        ".geojson": "application/geo+json",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def __init__(self, *args: Any, mounts: Mapping[str, Path], **kwargs: Any) -> None:
        self.mounts = mounts
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                target = (folder / path[len(prefix) :]).resolve()
                if target.is_relative_to(folder.resolve()) and target.is_file():
                    return str(target)
        return str(ROOT / "nonexistent")  # 404, never a listing or a file outside the mounts

    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) serving folders under URL prefixes.

    >>> with StaticServer({"/static/": STATIC_DIR}) as server:
    ...     page.goto(server.url("/static/vendor/leaflet/leaflet.js"))
    """

    def __init__(self, mounts: Mapping[str, Path]) -> None:
        self.mounts = dict(mounts)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, mounts=self.mounts))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
