"""A device's readings on a 360-px phone: the chart shrinks to the column, in English and Spanish."""

from __future__ import annotations

import pytest

from cityhall.staff.tests.browser_helpers import sign_in
from tests.browser import PHONE, axe_violations, box, fits_the_screen, screenshot

from .test_staff_chart import raised_by_a_filling_bin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    settings.CITYHALL_MAP_TILES = ""  # nothing reaches the internet


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_device_chart_fits_a_phone(browser, live_server, people, bin_sender, language):
    raised = raised_by_a_filling_bin(bin_sender)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, is_mobile=True, locale=language)
    page = context.new_page()
    sign_in(page, people["staff"], live_server.url)
    page.goto(f"/staff/requests/{raised.public_id}/")
    chart, column = box(page.locator("svg.device-readings")), box(page.locator("main"))
    screenshot(page, f"device-chart-phone-{language}")
    # Drawn 360 px wide: it used to stand out of the column, past the screen's edge.
    assert chart["x"] + chart["width"] <= column["x"] + column["width"]
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    context.close()
