"""Fixtures for tests that drive a real, headless Chromium (Debian's, through Playwright).

Every test here is marked ``browser``. Without Chromium or Playwright the tests skip, saying
why, unless WARLOG_REQUIRE_BROWSER=1 (set by .ci/run), where that is a failure: CI must not
pass by skipping the browser.

``page`` gives a fresh Chromium (new user-data dir) whose requests to anything but loopback
are aborted and recorded in ``page_log``; a test fails at teardown if any was made.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser.harness import (
    BOUNDARIES_DIR,
    CHROMIUM_FLAGS,
    PAGES_DIR,
    REQUIRE_ENV,
    STATIC_DIR,
    PageLog,
    StaticServer,
    browser_required,
    chromium_path,
    guard_network,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> None:
    if browser_required():
        pytest.fail(f"{reason}, and {REQUIRE_ENV}=1 says the browser tests must run")
    pytest.skip(f"{reason}: browser tests skipped (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    path = chromium_path()
    if path is None:
        _unavailable("no Chromium at $WARLOG_CHROMIUM, /usr/bin/chromium or on PATH")
    assert path is not None
    return path


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(chromium_executable: str, tmp_path: Path, page_log: PageLog) -> Iterator[Page]:
    """A Playwright page in a fresh headless Chromium, confined to loopback."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=chromium_executable,
            headless=True,
            args=list(CHROMIUM_FLAGS),
            viewport={"width": 1280, "height": 800},
            # A page must never wait on the outside world; fail fast instead of hanging.
            timeout=30_000,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(15_000)
            guard_network(page, page_log)
            yield page
        finally:
            context.close()
    assert not page_log.blocked_requests, "the page tried to reach beyond loopback: " + ", ".join(
        page_log.blocked_requests
    )


@pytest.fixture
def static_server() -> Iterator[StaticServer]:
    """warlog/web/static at /static/, the boundaries at /boundaries/, test pages at /test/."""
    mounts = {"/static/": STATIC_DIR, "/boundaries/": BOUNDARIES_DIR, "/test/": PAGES_DIR}
    with StaticServer(mounts) as server:
        yield server
