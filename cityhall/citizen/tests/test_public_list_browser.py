"""The public list and map, and My requests, in a real browser: filters, the map as an extra, axe in both languages."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, put_in_status, submit
from cityhall.requests.workflow import STATUSES, Status
from tests.browser import axe_violations, fits_the_screen, screenshot

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
    # The two potholes share a spot: one numbered cluster, and the graffiti's own pin.
    expect(phone.locator(".map-cluster.leaflet-interactive")).to_have_accessible_name(
        "2 requests at one place: select to list them"
    )
    expect(phone.locator(".map-pin.leaflet-interactive")).to_have_count(1)
    expect(phone.locator("img.leaflet-tile-loaded").first).to_be_visible()  # the page's policy lets tiles in

    phone.get_by_label("Category").select_option(label="Graffiti - public property")
    phone.get_by_role("button", name="Show requests").click()
    expect(phone.get_by_role("heading", name="1 request", exact=True)).to_be_visible()
    expect(phone.get_by_role("link", name=f"#{graffiti.public_id}")).to_be_visible()
    expect(phone.get_by_role("link", name=f"#{potholes[0].public_id}")).to_have_count(0)
    expect(phone.locator(".map-pin.leaflet-interactive")).to_have_count(1)
    expect(phone.locator(".map-cluster.leaflet-interactive")).to_have_count(0)
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
    expect(page.locator(".leaflet-interactive")).to_have_count(2)  # the two potholes share a cluster
    assert markers_clear_of_the_zoom_buttons(page)
    if size == "spanish":
        expect(page.get_by_role("heading", level=1)).to_have_text("Solicitudes en la ciudad")
    assert fits_the_screen(page), "no sideways scrolling"
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


def spread_around_city_hall(service, count: int) -> list:
    """Requests a few hundred meters apart north of City Hall: far apart up close, one blob zoomed out."""
    return [
        submit(service("potholes"), at=(CITY_HALL[0] + 0.0025 * n, CITY_HALL[1] + 0.002 * (n % 3)))
        for n in range(count)
    ]


def colour_of(locator) -> str:
    return locator.evaluate("(node) => getComputedStyle(node).backgroundColor")


def test_the_public_map_on_a_desktop_clusters_open_requests_with_a_key_at_full_width(
    desktop, service, people, public_works
):
    tiles_from_a_stand_in(desktop)
    spread = spread_around_city_hall(service, 6)
    same_spot = [submit(service("graffiti-public-property"), at=OCEAN_PARK) for _ in range(3)]
    closed = put_in_status(spread[0], Status.CLOSED, department=public_works, assignee=None)
    desktop.goto("/requests")
    expect(desktop.get_by_role("heading", name="8 requests")).to_be_visible()  # open ones: not the closed one
    expect(desktop.get_by_label("Status")).to_have_value("open")
    expect(desktop.get_by_role("link", name=f"#{closed.public_id}")).to_have_count(0)

    # Full width: the map is not squeezed into the text column. (It shows once its script has run.)
    expect(desktop.locator("#requests-map[data-ready]")).to_be_visible()
    map_box = desktop.locator("#requests-map").bounding_box()
    assert map_box is not None and map_box["width"] > 900, map_box

    # Zoomed out to fit the city, the three at one spot are one cluster of 3 among the markers.
    clusters = desktop.locator(".map-cluster.leaflet-interactive")
    spot = desktop.get_by_role("button", name="3 requests at one place: select to list them")
    expect(spot).to_be_visible()
    shown = sum(int(text) for text in clusters.locator("[aria-hidden=true]").all_inner_texts())
    shown += desktop.locator(".map-pin.leaflet-interactive").count()
    assert shown == 8  # every open request is on the map once, the closed one is not

    # The key names each open status with its badge colour, and the pins use the same colours.
    key = desktop.get_by_role("group", name="Map key")
    expect(key).to_contain_text("In the department's queue")
    expect(key).not_to_contain_text("Closed")
    for item in key.locator("li[data-status]").all():
        circle = item.locator("circle")
        assert circle.get_attribute("fill") == item.get_attribute("data-colour")
    badge = desktop.locator(".requests-list .status-badge").first
    status = Status(badge.get_attribute("data-status"))
    assert badge.locator("circle").get_attribute("fill") == STATUSES[status].colour
    assert key.locator(f"li[data-status={status.value}]").get_attribute("data-colour") == STATUSES[status].colour
    screenshot(desktop, "list-map-desktop")
    assert axe_violations(desktop) == []

    # The keyboard reaches a cluster; Enter on one that shares a spot lists its requests, link focused.
    spot.focus()
    desktop.keyboard.press("Enter")
    popup = desktop.locator(".leaflet-popup")
    expect(popup.get_by_role("link")).to_have_count(3)
    expect(popup.get_by_role("link", name=f"#{same_spot[0].public_id}")).to_be_visible()
    expect(popup.get_by_role("link").first).to_be_focused()
    screenshot(desktop, "list-map-desktop-popup")

    # All requests, closed ones included, when the resident asks; the key then has Closed.
    desktop.get_by_label("Status").select_option("all")
    desktop.get_by_role("button", name="Show requests").click()
    expect(desktop.get_by_role("heading", name="9 requests")).to_be_visible()
    expect(key).to_contain_text("Closed")
