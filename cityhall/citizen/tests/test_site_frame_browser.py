"""The footer's pages and the official banner in Chromium: both languages, phone and desktop, axe clean,
and the banner opens with the keyboard alone; on the wider pages the banner and header widen with the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, WIDE, axe_violations, fits_the_screen, off_the_column, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "en": {"/contact": "Contact the city", "/privacy": "Privacy notice", "/accessibility": "Accessibility"},
    "es": {"/contact": "Contactar a la ciudad", "/privacy": "Aviso de privacidad", "/accessibility": "Accesibilidad"},
}
HOW_YOU_KNOW = {"en": "Official websites use .gov", "es": "Los sitios web oficiales usan .gov"}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_footer_pages_are_reachable_readable_and_accessible(browser, live_server, santa_monica, language, size):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=f"{language}-US"
    )
    page = context.new_page()
    try:
        page.goto("/")
        # The official banner: Tab to it first thing, open it with Enter.
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_text(HOW_YOU_KNOW[language])).to_be_visible()
        screenshot(page, f"frame-home-banner-{language}-{size}")
        assert axe_violations(page) == []
        for path, heading in HEADINGS[language].items():
            page.locator(".site-footer").get_by_role("link", name=heading).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            assert page.url.endswith(path)
            assert fits_the_screen(page), "no sideways scrolling"
            screenshot(page, f"frame{path.replace('/', '-')}-{language}-{size}")
            assert axe_violations(page) == [], path
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop", "wide"])
def test_the_header_and_the_wider_pages_share_one_column(browser, live_server, settings, santa_monica, language, size):
    settings.CITYHALL_MAP_TILES = ""  # nothing reaches the internet
    viewport = {"phone": PHONE, "desktop": DESKTOP, "wide": WIDE}[size]
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale=f"{language}-US")
    page = context.new_page()
    try:
        # The public list with its map, and a dataset's page with its tables: each wider than the other pages.
        for name, path in (("list", "/requests"), ("dataset", "/data/r311-sreq/")):
            page.goto(path)
            assert off_the_column(page) == [], path
            screenshot(page, f"frame-{name}-{size}-{language}")
    finally:
        context.close()


def test_an_urgent_category_shows_call_911_before_the_form_on_a_phone(phone, santa_monica):
    phone.goto("/report/fire-hazards")
    notice = phone.locator("[data-emergency-notice]")
    expect(notice).to_contain_text("call 911 now")
    assert notice.bounding_box()["y"] < phone.viewport_size["height"], "seen without scrolling"
    screenshot(phone, "report-urgent-phone")
    assert axe_violations(phone) == []
