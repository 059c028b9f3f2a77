"""A Spanish-speaking resident on a phone finds the pothole form by typing "bache" and reads it in Spanish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, axe_violations, fits_the_screen, screenshot

from .report_browser_helpers import offline_from_the_internet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_searching_bache_in_spanish_reaches_the_pothole_form_in_spanish(browser, live_server, santa_monica):
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="es-MX", is_mobile=True, has_touch=True
    )
    page = offline_from_the_internet(context.new_page())
    page.goto("/report")
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Cuál es el problema?")
    expect(page.locator("summary", has_text="Calles y banquetas")).to_be_visible()
    # Typed with a capital and a stray accent, as a phone keyboard might: report.js still finds it.
    page.get_by_label("Buscar categorías").fill("Baché")
    results = page.locator("[data-results-list] a")
    expect(results).to_have_count(1)
    expect(results).to_have_text("Baches")
    screenshot(page, "report-search-bache-es-phone")
    assert axe_violations(page) == []
    results.click()

    expect(page).to_have_url(f"{live_server.url}/report/potholes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Baches")
    size = page.get_by_role("group", name="¿Qué tan grande es el bache?")
    for answer in [
        "Más chico que un plato",
        "Hasta del tamaño de una llanta de carro",
        "Más grande que una llanta de carro",
    ]:
        expect(size.get_by_label(answer)).to_be_visible()
    hazards = page.get_by_role("group", name="¿Está causando alguno de estos problemas?")
    expect(hazards.get_by_label("Peligro para ciclistas")).to_be_visible()
    assert "How big" not in page.content() and "Potholes" not in page.locator("main").inner_text()
    assert fits_the_screen(page), "no sideways scrolling"
    screenshot(page, "report-form-potholes-es-phone")
    assert axe_violations(page) == []
    context.close()
