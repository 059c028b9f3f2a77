"""The not-found pages at phone and desktop size, in English and Spanish: readable, and axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, axe_violations, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "en": ("Page not found", "We could not find request 00000000"),
    "es": ("Página no encontrada", "No encontramos la solicitud 00000000"),
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_not_found_pages_are_readable_and_lead_on(browser, live_server, santa_monica, language, size):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=f"{language}-US"
    )
    page = context.new_page()
    unknown, missing = HEADINGS[language]
    try:
        page.goto("/no-such-page")
        expect(page.get_by_role("heading", level=1)).to_have_text(unknown)
        assert fits_the_screen(page), "no sideways scrolling"
        screenshot(page, f"error-404-{language}-{size}")
        assert axe_violations(page) == []

        # A mistyped number: fix it in the form that is already there, and land on the request.
        page.goto("/requests/00000000")
        expect(page.get_by_role("heading", level=1)).to_have_text(missing)
        number = page.get_by_role("textbox")
        expect(number).to_have_value("00000000")
        screenshot(page, f"error-missing-request-{language}-{size}")
        assert axe_violations(page) == []
    finally:
        context.close()


REFUSED_AND_FAILED = {
    "en": {400: "We could not read that", 403: "You cannot open this page", 500: "Something went wrong on our side"},
    "es": {400: "No pudimos leer eso", 403: "No puede abrir esta página", 500: "Algo salió mal de nuestra parte"},
}


@pytest.mark.urls("cityhall.citizen.tests.error_urls")
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_refused_and_failed_pages_are_readable_and_axe_clean(browser, live_server, santa_monica, language, size):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=f"{language}-US"
    )
    page = context.new_page()
    try:
        for status, heading in REFUSED_AND_FAILED[language].items():
            response = page.goto(f"/test-errors/{status}")
            assert response is not None and response.status == status
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            assert fits_the_screen(page), "no sideways scrolling"
            screenshot(page, f"error-{status}-{language}-{size}")
            assert axe_violations(page) == [], status
    finally:
        context.close()
