"""The public list and map, and My requests, in a real browser: filters, the map as an extra, axe in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.requests.tests.builders import OCEAN_PARK, submit

from .browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_tiles_from_the_internet(page):
    """Map tiles come from OpenStreetMap in production; tests never reach the internet."""
    page.route("**/*.tile.openstreetmap.org/**", lambda route: route.abort())


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
    no_tiles_from_the_internet(phone)
    phone.goto("/requests")
    expect(phone.get_by_role("heading", name="3 requests")).to_be_visible()
    expect(phone.locator(".leaflet-interactive")).to_have_count(3)  # one marker per request

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
    no_tiles_from_the_internet(page)
    page.goto("/requests")
    expect(page.locator(".leaflet-interactive")).to_have_count(3)
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
