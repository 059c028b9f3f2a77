"""The open-data catalog in a real browser: phone and desktop, English and Spanish, axe clean, keyboard usable."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from cityhall.citizen.tests.test_public_list_browser import tiles_from_a_stand_in
from cityhall.opendata.services import projection_rebuild
from cityhall.opendata.services.snapshots import snapshots_write
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, submit
from tests.browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    fits_the_screen,
    screenshot,
    scrolls_from_the_keyboard,
    words_split_across_lines,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"search": "Search the datasets", "find": "boundaries", "found": "Neighborhoods and zones",
           "requests": "311 service requests", "copy": "Copy", "copied": "Copied the API address.",
           "preview": "The first 2 rows of 311 service requests", "earlier": "Earlier copies",
           "checksum": "SHA-256 of the CSV file"},
    "es": {"search": "Buscar en los conjuntos de datos", "find": "límites", "found": "Barrios y zonas",
           "requests": "Solicitudes de servicio 311", "copy": "Copiar", "copied": "Se copió la dirección de la API.",
           "preview": "Las primeras 2 filas de Solicitudes de servicio 311", "earlier": "Copias anteriores",
           "checksum": "SHA-256 del archivo CSV"},
}  # fmt: skip


@pytest.fixture
def published(service):
    submit(service("potholes"), at=CITY_HALL, description="Deep hole by the curb")
    submit(service("graffiti-public-property"), at=OCEAN_PARK, description="Tag on the wall")
    projection_rebuild()
    snapshots_write(day=date(2026, 12, 4))


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_people_find_a_dataset_and_copy_its_api_address(browser, live_server, published, language, size):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=f"{language}-US",
        is_mobile=size == "phone", has_touch=size == "phone",
    )  # fmt: skip
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    words = WORDS[language]
    tiles_from_a_stand_in(page)

    page.goto("/data/")
    assert axe_violations(page) == []
    page.get_by_label(words["search"]).fill(words["find"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=words["found"])).to_be_visible()
    expect(page.get_by_role("link", name=words["requests"])).to_have_count(0)
    screenshot(page, f"opendata-search-{size}-{language}")

    page.goto("/data/r311-sreq/")
    expect(page.get_by_role("table", name=words["preview"])).to_be_visible()
    expect(page.locator("#od-map .leaflet-interactive")).to_have_count(2)  # the two points, drawn
    assert axe_violations(page) == []
    copy = page.get_by_role("button", name=words["copy"])
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text=words["copied"])).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/resource/r311-sreq.json"
    expect(page.get_by_role("heading", name=words["earlier"])).to_be_visible()
    page.get_by_text(words["checksum"]).focus()
    page.keyboard.press("Enter")  # a checksum opens from the keyboard
    expect(page.locator("details.checksum[open] code")).to_have_count(1)
    assert axe_violations(page) == []
    assert fits_the_screen(page)  # wide tables scroll inside
    # Each table is a region, named by its heading, that the keyboard scrolls to its last column (on a phone both
    # are wider than the screen; the first rows are wider than a desktop too). Column names never break in two.
    assert words_split_across_lines(page, ".od-table th code, .od-table thead th") == []
    regions = page.locator(".od-table-scroll")
    expect(regions).to_have_count(2)
    for region in regions.all():
        expect(region).to_have_role("region")
        expect(region).to_have_accessible_name(re.compile(r"\w"))
        if size == "phone":
            assert region.evaluate("region => region.scrollWidth > region.clientWidth")
        assert scrolls_from_the_keyboard(page, region)
        region.evaluate("region => { region.scrollLeft = region.scrollWidth; }")
        last = region.locator("thead th").last.evaluate("th => th.getBoundingClientRect().right")
        assert last <= region.evaluate("region => region.getBoundingClientRect().right") + 1, "the last column shows"
        region.evaluate("region => { region.scrollLeft = 0; }")
    screenshot(page, f"opendata-dataset-{size}-{language}")
    context.close()
