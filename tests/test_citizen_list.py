"""The public list and map, and My requests, in a real browser: filters, the map as an extra, axe in both languages."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from cityhall.requests.tests.builders import OCEAN_PARK, submit

from .browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tiles_from_a_stand_in(page):
    """Map tiles come from OpenStreetMap in production; here one plain tile answers for all of them."""
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), "#e8eef4").save(tile, "PNG")
    host = urlsplit(settings.CITYHALL_MAP_TILES).netloc
    page.route(f"https://{host}/**", lambda route: route.fulfill(body=tile.getvalue(), content_type="image/png"))


def markers_clear_of_the_zoom_buttons(page) -> bool:
    """No marker is drawn under Leaflet's + and − buttons, where it could not be tapped."""
    return page.evaluate(
        """() => {
          const buttons = document.querySelector(".leaflet-control-zoom").getBoundingClientRect();
          return [...document.querySelectorAll(".leaflet-interactive")].every((marker) => {
            const box = marker.getBoundingClientRect();
            return box.right <= buttons.left || box.left >= buttons.right
              || box.bottom <= buttons.top || box.top >= buttons.bottom;
          });
        }"""
    )


@pytest.fixture
def city(service, people):
    potholes = [submit(service("potholes"), description=f"Pothole {n}") for n in range(2)]
    graffiti = submit(service("graffiti-public-property"), at=OCEAN_PARK, description="Tag in Ocean Park")
    return potholes, graffiti


@pytest.fixture
def spanish(browser, live_server):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="es-ES", is_mobile=True
    )
    yield context.new_page()
    context.close()


def test_a_resident_filters_the_list_on_a_phone_and_sees_the_map(phone, city):
    potholes, graffiti = city
    tiles_from_a_stand_in(phone)
    phone.goto("/requests")
    expect(phone.get_by_role("heading", name="3 requests")).to_be_visible()
    expect(phone.locator(".leaflet-interactive")).to_have_count(3)  # one marker per request
    expect(phone.locator("img.leaflet-tile-loaded").first).to_be_visible()  # the page's policy lets tiles in

    phone.get_by_label("Category").select_option(label="Graffiti - public property")
    phone.get_by_role("button", name="Show requests").click()
    expect(phone.get_by_role("heading", name="1 request", exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name=f"#{graffiti.public_id}")).to_be_visible()
    expect(phone.get_by_role("link", name=f"#{potholes[0].public_id}")).to_have_count(0)
    expect(phone.locator(".leaflet-interactive")).to_have_count(1)
    screenshot(phone, "list-filtered-phone")
    assert axe_violations(phone) == []

    phone.get_by_role("link", name=f"#{graffiti.public_id}").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Request {graffiti.public_id}")


def test_the_list_works_without_javascript(browser, live_server, city):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/requests?status=open")
    expect(page.locator(".requests-list__item")).to_have_count(3)
    expect(page.locator("#requests-map")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop", "spanish"])
def test_the_list_and_my_requests_read_well_and_pass_axe(request, size, city):
    page = request.getfixturevalue(size)
    tiles_from_a_stand_in(page)
    page.goto("/requests")
    expect(page.locator(".leaflet-interactive")).to_have_count(3)
    assert markers_clear_of_the_zoom_buttons(page)
    if size == "spanish":
        expect(page.get_by_role("heading", level=1)).to_have_text("Solicitudes en la ciudad")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    screenshot(page, f"list-{size}")
    assert axe_violations(page) == []

    potholes, _graffiti = city
    page.goto(f"/requests/{potholes[0].public_id}?token={potholes[0].tracking_token}")
    page.goto("/my-requests")
    expect(page.get_by_role("link", name=f"#{potholes[0].public_id}")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{potholes[1].public_id}")).to_have_count(0)
    if size == "spanish":
        expect(page.get_by_role("heading", level=1)).to_have_text("Mis solicitudes")
    screenshot(page, f"my-requests-{size}")
    assert axe_violations(page) == []
