"""The dashboard an analyst reviews with, in headless Chromium on the seeds plus FA-KES dev
(../shared/eval/fakes/dev.jsonl), at 1400x900 and at 390x844 (a phone):

* it opens on Syria, the flagged events are marked and do not set the first view;
* an old event URL (its article quarantined, the event re-linked) reaches the event it became;
* a source card links to its sentence, and following the link shows the sentence;
* the keyboard reaches the list in a few Tab presses (the map is one stop, no marker is one);
* untrusted text is isolated (bidi), the page is no wider than the phone;
* axe-core (vendored, tests/browser/vendor) finds no serious or critical violation.

Screenshots are saved to a temporary folder (and test-artifacts/ through save_screenshot).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from api.helpers import SEEDS, TOKEN

from browser.harness import CHROMIUM_FLAGS, PageLog, guard_network, save_screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Slow as well: the store is the seeds plus 247 FA-KES articles through the whole pipeline.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEV = SEEDS.parent / "eval" / "fakes" / "dev.jsonl"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PORTS = range(18300, 18400)
SIZES = {"wide": (1400, 900), "phone": (390, 844)}
# An outlet with a right-to-left override: without isolation it flips the text after it.
RLO_OUTLET = "Evil\u202eTV"


def _free_port() -> socket.socket:
    for port in PORTS:
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", port))
            return sock
        except OSError:
            sock.close()
    raise RuntimeError("no free port in 18300-18399")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and FA-KES dev in one store, ingested as a user would (focus on Syria)."""
    from warlog.pipeline import ingest_paths
    from warlog.settings import IngestOptions
    from warlog.store import Store

    if not (SEEDS.is_dir() and DEV.exists()):
        pytest.skip("the shared seeds and FA-KES dev are needed beside the checkout")
    db = tmp_path_factory.mktemp("review") / "review.db"
    with Store(f"sqlite:///{db}") as st:
        report = ingest_paths(
            st, [str(SEEDS), str(DEV)], IngestOptions(focus_country="SY"), command="test"
        )
    assert not report.failed, report.problems
    return db


@pytest.fixture(scope="module")
def base(store: Path) -> Iterator[str]:
    """`warlog serve`'s app under uvicorn on a port of 18300-18399."""
    import uvicorn

    from warlog.api import create_app

    app = create_app(f"sqlite:///{store}", TOKEN)
    sock = _free_port()
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.store.close()


def get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as resp:
        return json.load(resp)


def send(base: str, path: str, method: str, body: bytes = b"", ctype: str = "") -> Any:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(base + path, data=body or None, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.load(resp)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(params=list(SIZES))
def view(
    request: pytest.FixtureRequest, chromium_executable: str, page_log: PageLog
) -> Iterator[tuple[str, Page]]:
    """A page at one of the two sizes. CSP is bypassed only so that the axe-core audit can be
    injected; the XSS suite (test_dashboard.py) runs with the policy in force."""
    from playwright.sync_api import sync_playwright

    width, height = SIZES[request.param]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_executable, headless=True, args=list(CHROMIUM_FLAGS)
        )
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        guard_network(page, page_log)
        try:
            yield request.param, page
        finally:
            context.close()
            browser.close()
    assert not page_log.blocked_requests, page_log.blocked_requests


def open_page(page: Page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"body[data-ready={ready}]", state="attached")


def shoot(page: Page, shots: Path, name: str) -> Path:
    path = shots / f"{name}.png"
    shutil.copyfile(save_screenshot(page, name, full_page=False), path)
    return path


def audit(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of WCAG 2 A/AA on the page as it is."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
            return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return list(result)


def test_dashboard_opens_on_syria_with_flagged_events_marked(
    view: tuple[str, Page], page_log: PageLog, base: str, shots: Path
) -> None:
    size, page = view
    flagged = get(base, "/api/events?flagged=1&limit=1000")["events"]
    assert any(f["code"] == "large_incident" for e in flagged for f in e["flags"])
    open_page(page, base + "/", "dashboard")
    page.wait_for_timeout(800)  # the fit's zoom animation
    # The first view is Syria's, not the world's: flagged events abroad do not widen it.
    bounds = json.loads(page.locator("#map").get_attribute("data-focus") or "null")
    (south, west), (north, east) = bounds
    assert 32 <= south < north <= 37.5 and 35 <= west < east <= 42.5, bounds
    # Flagged events are marked in the list (badge with the reason) ...
    open_page(page, base + "/?flagged=1&order=killed", "dashboard")
    rows = page.locator("li.event-row.flagged")
    assert rows.count() == min(50, len(flagged))
    assert rows.first.locator(".badge.flag").count() >= 1
    assert "check:" in rows.first.locator(".badge.flag").first.inner_text()
    shoot(page, shots, f"flagged-{size}")
    # The page is no wider than the screen, and the legend does not cover the map on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    if size == "phone":
        assert page.locator("#legend").get_attribute("open") is None
    open_page(page, base + "/", "dashboard")
    page.wait_for_timeout(800)
    # Unfiltered, the timeline leaves the flagged events out, and says so.
    assert "flagged event(s)" in page.locator("#timeline-note").inner_text()
    shoot(page, shots, f"dashboard-{size}")
    page_log.assert_clean()


def test_event_page_shows_flags_and_source_cards_link_to_sentences(
    view: tuple[str, Page], page_log: PageLog, base: str, shots: Path
) -> None:
    size, page = view
    events = get(base, "/api/events?flagged=1&order=sources&limit=1000")["events"]
    ev = next(e for e in events if e["n_claimants"] > 1 and e["flags"])
    open_page(page, base + f"/event/{ev['id']}", "event")
    banner = page.locator("#flags-banner")
    assert banner.is_visible()
    assert [li.get_attribute("data-code") for li in banner.locator("li").all()] == [
        f["code"] for f in ev["flags"]
    ]
    card = page.locator(".card").filter(has=page.locator("a.to-sentence")).first
    text = card.inner_text()
    for label in ("Outlet:", "Headline:", "Claimant:"):
        assert label in text
    link = card.locator("a.to-sentence")
    target = (link.get_attribute("href") or "#")[1:]
    link.click()
    mark = page.locator(f"mark#{target}")
    assert mark.count() == 1
    page.wait_for_timeout(300)
    assert mark.evaluate("m => m.classList.contains('current')")
    # The sentence is scrolled into view, inside its excerpt and on the page.
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] <= SIZES[size][1]
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    shoot(page, shots, f"event-flagged-{size}")
    page_log.assert_clean()


def test_an_old_event_url_reaches_the_event_it_became(
    view: tuple[str, Page], page_log: PageLog, base: str
) -> None:
    size, page = view
    multi = [
        e
        for e in get(base, "/api/events?order=sources&limit=1000")["events"]
        if e["n_articles"] > 1
    ]
    ev = multi[0 if size == "wide" else 1]
    claims = get(base, f"/api/events/{ev['id']}")["claims"]
    owner = min(r["article_id"] for r in claims)  # its unit gives the event its id
    send(base, f"/api/articles/{owner}/quarantine?reason=test", "POST")
    try:
        open_page(page, base + f"/event/{ev['id']}", "event")
        assert not page.url.endswith(ev["id"])
        new_id = page.url.rsplit("/", 1)[1]
        assert new_id in {e["id"] for e in get(base, "/api/events?limit=1000")["events"]}
        assert new_id in page.locator("#event .meta code").inner_text()
    finally:
        send(base, f"/api/articles/{owner}/quarantine", "DELETE")
    page_log.assert_clean()


def test_keyboard_reaches_the_list_in_a_few_tabs(
    view: tuple[str, Page], page_log: PageLog, base: str
) -> None:
    _, page = view
    open_page(page, base + "/", "dashboard")
    for presses in range(1, 9):  # noqa: B007 (read after the loop)
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#event-list')"):
            break
    else:
        raise AssertionError("8 Tab presses did not reach the event list")
    assert presses <= 7  # skip link, header links (the feeds view added one), filters
    assert page.evaluate("document.activeElement.classList.contains('event-link')")
    # The skip link is the first stop and leads straight to the list.
    open_page(page, base + "/", "dashboard")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#event-list')")
    # No marker or cluster is a Tab stop; the map container is one.
    stops = page.evaluate(
        "document.querySelectorAll('.leaflet-marker-icon[tabindex]:not([tabindex=\"-1\"])').length"
    )
    assert stops == 0
    # Enter on the focused map lists the events in view, as links, and moves there.
    page.focus("#map")
    page.keyboard.press("Enter")
    assert page.locator("#map-events li a").count() >= 1
    assert page.evaluate("!!document.activeElement.closest('#map-events')")
    # The date range can be typed: the from/to fields filter the list.
    page.fill("#f-since", "2015-01-01")
    page.fill("#f-until", "2015-01-31")
    page.locator("#f-until").press("Enter")
    page.wait_for_url(re.compile(r"since=2015-01-01&until=2015-01-31"))
    page_log.assert_clean()


def test_untrusted_text_is_isolated(view: tuple[str, Page], page_log: PageLog, base: str) -> None:
    size, page = view
    # One story per size: the second post of the same text would be a duplicate, with no event.
    day = {"wide": "Tuesday", "phone": "Wednesday"}[size]
    story = {
        "text": "Shelling kills 7 in Douma\n\nGovernment shelling killed seven civilians in Douma "
        f"on {day}, the White Helmets said.",
        "title": "Shelling kills 7 in Douma \u202eevil",
        "outlet": RLO_OUTLET,
        "published": "2018-02-21",
    }
    posted = send(
        base,
        "/api/articles?focus_country=SY",
        "POST",
        json.dumps(story).encode(),
        "application/json",
    )
    ev = posted["events"][0]["id"]
    open_page(page, base + f"/event/{ev}", "event")
    holders = page.locator("bdi", has_text="Evil")
    assert holders.count() >= 1
    assert holders.first.evaluate("b => getComputedStyle(b).unicodeBidi") == "isolate"
    # Nothing with the override sits outside a <bdi>.
    loose = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(n =>
            [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.includes('\\u202e'))
            && n.tagName !== 'BDI' && !n.closest('.article-text')).length"""
    )
    assert loose == 0
    page_log.assert_clean()


@pytest.mark.parametrize("path", ["/", "/event/{event}", "/docs"])
def test_accessibility_audit_finds_no_serious_violation(
    view: tuple[str, Page], page_log: PageLog, base: str, path: str, shots: Path
) -> None:
    size, page = view
    event = get(base, "/api/events?order=sources&limit=1")["events"][0]["id"]
    url = base + path.format(event=event)
    if path == "/docs":
        page.goto(url)
        page.wait_for_selector(".endpoint")
        assert page.locator("meta[name=viewport]").count() == 1
    else:
        open_page(page, url, "dashboard" if path == "/" else "event")
        page.wait_for_timeout(500)
    violations = audit(page)
    assert violations == [], violations
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    if path == "/docs":
        shoot(page, shots, f"docs-{size}")
    page_log.assert_clean()
