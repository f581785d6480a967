"""Smoke test of the offline front-end foundation: the vendored Leaflet draws the packaged
boundaries in a real Chromium, with no console errors and nothing fetched beyond loopback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browser.harness import PageLog, StaticServer, is_loopback, save_screenshot

if TYPE_CHECKING:  # imported lazily so that a machine without Playwright skips, not errors
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SYRIAN_GOVERNORATES = 14


def test_leaflet_draws_the_syrian_governorates_offline(
    page: Page, page_log: PageLog, static_server: StaticServer
) -> None:
    page.goto(static_server.url("/test/boundaries.html"))
    page.wait_for_function("window.boundariesReady !== undefined")
    ready = page.evaluate("window.boundariesReady")
    assert "error" not in ready, ready
    assert ready["countries"] > 200
    assert ready["layers"] == ready["admin1"]

    # Leaflet's SVG renderer gives each feature a <path>; a culled one has an empty "d".
    drawn = page.eval_on_selector_all(
        "path.admin1-SY", "paths => paths.filter(p => (p.getAttribute('d') || '').length > 20)"
    )
    # 14 governorates plus Natural Earth's UNDOF zone on the Golan.
    assert len(drawn) == SYRIAN_GOVERNORATES + 1
    assert page.locator("svg path").count() > SYRIAN_GOVERNORATES

    # Hovering a governorate shows its name: the features kept their properties.
    box = page.locator("path.admin1-SY").first.bounding_box()
    assert box is not None and box["width"] > 5

    shot = save_screenshot(page, "boundaries-syria", full_page=False)
    assert shot.stat().st_size > 10_000
    page_log.assert_clean()


def test_requests_beyond_loopback_are_blocked(
    page: Page, page_log: PageLog, static_server: StaticServer
) -> None:
    """The guard itself: a page that reaches out gets an error, and the attempt is recorded."""
    page.goto(static_server.url("/test/boundaries.html"))
    outcome = page.evaluate(
        "fetch('http://192.0.2.1/tile.png').then(() => 'fetched', e => 'blocked: ' + e.name)"
    )
    assert outcome == "blocked: TypeError"
    assert page_log.blocked_requests == ["http://192.0.2.1/tile.png"]
    # Consumed here so the fixture's teardown check does not fail this deliberate attempt.
    page_log.blocked_requests.clear()


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/x", True),
        ("http://127.8.0.1/x", True),
        ("http://localhost/x", True),
        ("http://[::1]:80/x", True),
        ("data:text/plain,hi", True),
        ("https://unpkg.com/leaflet", False),
        ("http://10.0.0.1/x", False),
        ("http://127.0.0.1.example.com/x", False),
    ],
)
def test_is_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback
