"""The staff Data page in a real browser: reached from the staff menu, axe clean on a phone and a
desktop in both languages, an internal export chosen and sent with the keyboard alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cityhall.opendata.models import DataExport
from cityhall.opendata.services import projection_rebuild
from cityhall.requests import services
from cityhall.requests.tests.builders import CITY_HALL, submit
from cityhall.staff.tests.browser_helpers import sign_in
from tests.browser import DESKTOP, PHONE, axe_violations, screenshot, values_under_their_labels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"menu": "Data", "format": "Format", "export": "Export 311 service requests"},
    "es": {"menu": "Datos", "format": "Formato", "export": "Exportar Solicitudes de servicio 311"},
}


@pytest.fixture
def reported(service):
    contact = services.Contact(name="Rosa Reporter", email="rosa.reporter@example.org", phone="310-555-0147")
    submit(service("potholes"), at=CITY_HALL, contact=contact, description="Deep hole by the curb")
    projection_rebuild()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_supervisor_exports_the_requests_with_the_keyboard(browser, live_server, people, reported, language, size):
    viewport = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, locale=f"{language}-US",
        is_mobile=size == "phone", has_touch=size == "phone", accept_downloads=True,
    )  # fmt: skip
    page = context.new_page()
    words = WORDS[language]
    sign_in(page, people["supervisor"], live_server.url)

    page.goto("/staff/")
    page.get_by_role("link", name=words["menu"], exact=True).click()
    expect(page.get_by_role("heading", level=1, name=words["menu"])).to_be_visible()
    assert axe_violations(page) == []
    # The viewport's width, not innerWidth: an emulated phone widens its layout viewport to fit what overflows.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], "no sideways scrolling"
    assert values_under_their_labels(page) == [], "a wrapped value stays beside its column's name"
    screenshot(page, f"staff-data-{size}-{language}")

    page.get_by_label(words["format"]).first.select_option("csv")
    page.get_by_role("button", name=words["export"]).focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [row["reporter_email"] for row in rows] == ["rosa.reporter@example.org"]
    assert DataExport.objects.get().user == people["supervisor"]
    context.close()
