"""Browser fixtures: Playwright for Python driving Debian's Chromium, headless, against the live server.

`make test` finds (or installs) Chromium and passes its path in CITYHALL_CHROMIUM; Playwright never
downloads a browser. Screenshots go to var/test-artifacts/screenshots/ (CI keeps them) — look at them.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's guard against ORM calls
# from async code would otherwise refuse the test's own database setup.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDE = {"width": 1600, "height": 900}  # wider than the widest page column: its edges are the column's, not the screen's


def chromium_path() -> str:
    found = os.environ.get("CITYHALL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("No Chromium: run the tests with `make test`, which installs Debian's chromium package.")
    return found


# How long an expectation waits for the page to get there. Playwright's 5 s is short for a 2-core CI
# machine running two test workers, each with a browser and a live server: waiting longer never
# makes a passing test slower, only a failing one.
EXPECT_TIMEOUT_MS = 15_000


# Tests never reach the internet: every host but this machine resolves to nothing, so a map
# tile or font a page asks for from outside fails at once (a test that wants one routes it itself).
CHROMIUM_ARGS = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class _RequestsInFlight:
    """The live server's WSGI app, counting the requests it is still answering (streams included)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self.idle:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _ClosingResult(result, self._done)

    def _done(self) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait_until_idle(self, seconds: float) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count == 0, timeout=seconds)


class _ClosingResult:
    """A response body that reports when the server has closed it (sent, or the client went away)."""

    def __init__(self, result: Any, done: Any) -> None:
        self.result, self.done = result, done

    def __iter__(self) -> Any:
        return iter(self.result)

    def close(self) -> None:
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


@pytest.fixture(autouse=True)
def _live_server_idle_before_the_flush(request: Any, monkeypatch: Any) -> Iterator[None]:
    """A closed browser leaves requests in flight on the live server: a page load, a refresh, a live
    stream that polls the events until its next heartbeat. On PostgreSQL such a query and the test's
    closing flush (TRUNCATE) lock tables in opposite orders: a deadlock that fails the teardown.
    So every stream is told to stop and every request answered before the database is flushed."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Set up after the database and the server, so this runs before the database is flushed.
    request.getfixturevalue("transactional_db")
    server = request.getfixturevalue("live_server").thread.httpd
    if not isinstance(server.get_app(), _RequestsInFlight):  # the server lives for the whole session
        server.set_app(_RequestsInFlight(server.get_app()))
    yield
    from cityhall.live import views

    monkeypatch.setattr(views, "WSGI_STREAM_SECONDS", 0)  # each stream stops at its next poll
    server.get_app().wait_until_idle(seconds=10)


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in a 360-px-wide phone viewport, its base URL the live server."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    yield context.new_page()
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artifact; returns its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now, one line each (empty when clean)."""
    from axe_playwright_python.sync_playwright import Axe

    # A form posted by Enter reloads the page: its new text can be found before its stylesheet has
    # loaded, and axe would then judge unstyled links (every header link "too small to touch").
    page.wait_for_load_state("load")
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
    results = Axe().run(page, options=options)
    return [
        f"{item['id']} ({item['impact']}): {item['help']} — {[node['target'] for node in item['nodes']]}"
        for item in results.response["violations"]
    ]


def fits_the_screen(page: Any) -> bool:
    """No sideways scrolling: the page is no wider than the layout viewport. Not `innerWidth`, which an
    emulated phone widens to fit whatever overflows."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def tab_to(page: Any, target: Any, *, limit: int = 60) -> None:
    """Press Tab, as a keyboard user does, until `target` (a locator) has the focus; fails if it never does.

    Proves the control is reachable by the keyboard alone, in the page's own focus order.
    """
    for _press in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached in {limit} presses of Tab")


def values_under_their_labels(page: Any) -> list[str]:
    """The lines of a phone's table cards that wrap back under their column's name (`.cell-label`), one entry
    each (empty when every value keeps its own column). Cells whose names are hidden (a desktop) are skipped."""
    return list(
        page.eval_on_selector_all(
            "td > .cell-label",
            """labels => labels.flatMap(label => {
                if (!label.getClientRects().length) return [];
                const cell = label.parentNode, edge = label.getBoundingClientRect().right;
                const value = document.createRange();
                value.setStartAfter(label);
                value.setEnd(cell, cell.childNodes.length);
                return [...value.getClientRects()]
                    .filter(line => line.width > 0 && line.left < edge)
                    .map(line => `${cell.textContent.trim().slice(0, 60)}: a line at ${Math.round(line.left)}px`);
            })""",
        )
    )


def words_split_across_lines(page: Any, selector: str) -> list[str]:
    """The words in the elements `selector` finds that a line break cuts in two ("Catego|ría"), one entry each
    (empty when lines break only between words)."""
    return list(
        page.eval_on_selector_all(
            selector,
            r"""elements => elements.flatMap(element => {
                const split = [], texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
                for (let text = texts.nextNode(); text; text = texts.nextNode()) {
                    for (const word of text.data.matchAll(/\S+/g)) {
                        const range = document.createRange();
                        range.setStart(text, word.index);
                        range.setEnd(text, word.index + word[0].length);
                        const lines = new Set([...range.getClientRects()].map(line => Math.round(line.top)));
                        if (lines.size > 1) split.push(word[0]);
                    }
                }
                return split;
            })""",
        )
    )


def scrolls_from_the_keyboard(page: Any, region: Any) -> bool:
    """Whether a keyboard user can reach all of a scrolling region (a locator): it takes the focus from Tab, and
    when its content is wider than it, the arrow key scrolls it sideways. A region that fits passes."""
    if region.get_attribute("tabindex") != "0":
        return False
    region.focus()
    reachable = region.evaluate("region => region === document.activeElement")
    if reachable and region.evaluate("region => region.scrollWidth > region.clientWidth"):
        region.evaluate("region => { region.scrollLeft = 0; }")
        page.keyboard.press("ArrowRight")
        reachable = region.evaluate("region => new Promise(done => setTimeout(() => done(region.scrollLeft > 0), 300))")
    region.evaluate("region => { region.scrollLeft = 0; region.blur(); }")  # as it was, for a screenshot
    return bool(reachable)


def box(locator: Any) -> dict[str, float]:
    """Where an element is drawn (CSS px): x, y, width, height; fails if it is not drawn."""
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not drawn"
    return dict(found)


def off_the_column(page: Any) -> list[str]:
    """The parts of the site's frame not in the page's column: the official banner, the header's bar or its menu
    drawn at another x or width than <main>, or the menu's first link not starting on the city's name's edge."""
    column = box(page.locator("main"))
    edges = (round(column["x"]), round(column["width"]))
    off = [
        part
        for part in (".gov-banner details", ".site-header__bar", ".site-nav")
        if (round(box(page.locator(part))["x"]), round(box(page.locator(part))["width"])) != edges
    ]
    if round(box(page.locator(".site-nav a").first)["x"]) != round(box(page.locator(".site-name"))["x"]):
        off.append(".site-nav a")
    return off


def label_words(control: Any) -> dict[str, float]:
    """Where the words of a form control's label are drawn (all their lines): the box of its text, not of the
    label, which may wrap the control itself."""
    return dict(
        control.evaluate(
            """control => {
                const label = control.labels[0];
                const text = [...label.childNodes].filter(node => node.nodeType === Node.TEXT_NODE && node.data.trim());
                const words = document.createRange();
                words.setStartBefore(text[0]);
                words.setEndAfter(text[text.length - 1]);
                const drawn = words.getBoundingClientRect();
                return {x: drawn.x, y: drawn.y, width: drawn.width, height: drawn.height};
            }"""
        )
    )


def beside_its_label(control: Any, *, within: float = 16) -> bool:
    """Whether a checkbox or radio is drawn just before the words of its label: at most `within` px to their
    left, its middle between their top and bottom (level with them, however many lines they take)."""
    drawn, words = box(control), label_words(control)
    gap = words["x"] - (drawn["x"] + drawn["width"])
    middle = drawn["y"] + drawn["height"] / 2
    return 0 <= gap <= within and words["y"] <= middle <= words["y"] + words["height"]


def focus_ring_contrast(page: Any) -> float:
    """How well the focused element's ring stands out (WCAG contrast ratio, 1 to 21): its outline's colour against
    the background it is drawn on, the nearest one of its ancestors (the page's white if none); 0 with no outline."""
    return float(
        page.evaluate(
            """() => {
                const focused = document.activeElement, ring = getComputedStyle(focused);
                if (ring.outlineStyle === "none" || parseFloat(ring.outlineWidth) < 2) return 0;
                const luminance = colour => {
                    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(value => {
                        const c = value / 255;
                        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
                    });
                    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
                };
                let behind = "rgb(255, 255, 255)";
                for (let node = focused.parentElement; node; node = node.parentElement) {
                    const background = getComputedStyle(node).backgroundColor;
                    if (background === "rgba(0, 0, 0, 0)" || background === "transparent") continue;
                    behind = background;
                    break;
                }
                const [light, dark] = [luminance(ring.outlineColor), luminance(behind)].sort((a, b) => b - a);
                return (light + 0.05) / (dark + 0.05);
            }"""
        )
    )
