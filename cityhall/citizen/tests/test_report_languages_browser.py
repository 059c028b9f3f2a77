"""Every page of the report flow in English and Spanish, at phone and desktop size: axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, axe_violations, fits_the_screen, screenshot

from .report_browser_helpers import offline_from_the_internet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "en": ["Report a problem", "What is the problem?", "Potholes", "Thank you: your report is in", "You are offline"],
    "es": [
        "Reportar un problema",
        "¿Cuál es el problema?",
        "Baches",
        "Gracias: recibimos su reporte",
        "No tiene conexión",
    ],
}


# The error summary's line for the unanswered question: it names the question.
UNANSWERED = {
    "en": "How big is the pothole? This field is required.",
    "es": "¿Qué tan grande es el bache? Este campo es obligatorio.",
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_each_report_page_is_accessible_in_each_language(browser, live_server, santa_monica, language, size):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=f"{language}-US"
    )
    page = offline_from_the_internet(context.new_page())
    home, choose, form, thanks, offline = HEADINGS[language]

    def check(name: str, heading: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert page.evaluate("document.documentElement.lang") == language
        assert fits_the_screen(page), "no sideways scrolling"
        screenshot(page, f"report-{name}-{language}-{size}")
        assert axe_violations(page) == [], name

    page.goto("/")
    check("home", home)
    page.goto("/report?q=pothole")
    check("categories", choose)
    page.goto("/report/potholes")
    page.locator("[data-send]").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("[data-error-summary]").get_by_role("link", name=UNANSWERED[language])).to_be_visible()
    check("form-errors", form)
    page.locator("#id_address").fill("1685 Main St")
    page.locator("#id_attr_SIZE_1").check()
    page.locator("[data-send]").click()
    check("confirmation", thanks)
    page.goto("/offline")
    check("offline", offline)
    context.close()


def test_the_browser_language_is_followed_and_the_switch_is_remembered(browser, live_server, santa_monica):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="es-MX")
    page = offline_from_the_internet(context.new_page())
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reportar un problema")
    page.locator(".site-header").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a problem")
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is the problem?")  # still English
    page.locator(".site-header").get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Cuál es el problema?")
    assert page.url.endswith("/report")  # back on the same page
    context.close()
