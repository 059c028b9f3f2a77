"""The report journey in Chromium at phone size: map, location, photo, duplicates, keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import jpeg_with_gps, submit
from tests.browser import axe_violations, screenshot

from .report_browser_helpers import big_photo, offline_from_the_internet, sign_in, tab_to
from .report_helpers import CITY_HALL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_reports_a_pothole_on_a_phone_with_the_map_and_a_photo(phone, santa_monica, tmp_path):
    page = offline_from_the_internet(phone)
    page.goto("/")
    screenshot(page, "report-home-phone")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Report a problem").first.click()
    page.get_by_label("Search categories").fill("pothole")
    page.locator("[data-results-list]").get_by_role("link", name="Potholes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Potholes")

    page.get_by_role("button", name="Show the map").click()
    expect(page.locator(".leaflet-container")).to_be_visible()
    # The pin is drawn from the files the page names (hashed once collected), not from a path Leaflet
    # guesses from its stylesheet, which under `make run` pointed at /report/marker-icon.png (a 404).
    pin = page.locator(".leaflet-marker-icon")
    expect(pin).to_have_attribute("src", page.locator('meta[name="map-pin"]').get_attribute("content"))
    page.wait_for_function("() => document.querySelector('.leaflet-marker-icon').naturalWidth > 0")
    page.locator("[data-map]").focus()
    page.keyboard.press("ArrowUp")  # the map moves, the pin stays in the middle: the place is chosen
    expect(page.locator("[data-location-status]")).to_contain_text("Location set: the pin is on the map.")
    expect(page.locator("[data-place-ok]")).to_be_visible()
    page.get_by_label("Up to a car tire").check()
    page.get_by_label("What is the problem?").fill("Deep hole in the crossing")
    page.get_by_label("Choose photos").set_input_files(str(big_photo(tmp_path)))
    expect(page.locator("[data-photo-status]")).to_contain_text("1 photo chosen")
    screenshot(page, "report-form-phone")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report is in")
    created = ServiceRequest.objects.get()
    assert page.url.endswith(f"/report/sent/{created.public_id}")
    assert created.lat is not None and created.language == "en"
    photo = created.attachments.get()
    assert max(photo.width, photo.height) <= 2048  # shrunk on the phone (the server keeps up to 2560)
    expect(page.locator("[data-public-id]")).to_have_text(created.public_id)
    assert f"token={created.tracking_token}" in page.get_by_role("link", name="Track your request").get_attribute(
        "href"
    )
    screenshot(page, "report-confirmation-phone")
    assert axe_violations(page) == []


def test_use_my_location_finds_a_duplicate_and_the_resident_adds_support(browser, live_server, service, people):
    existing = submit(service("potholes"), at=CITY_HALL, photos_in=[jpeg_with_gps()])
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 34.0116, "longitude": -118.4916, "accuracy": 12},
        permissions=["geolocation"],
    )
    page = offline_from_the_internet(context.new_page())
    sign_in(page, people["other_resident"], live_server)
    page.goto("/report/potholes")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("[data-location-status]")).to_contain_text("accurate to about 12 m")
    card = page.locator(f"[data-candidate='{existing.public_id}']")
    expect(page.get_by_role("heading", name="Is it one of these?")).to_be_visible()
    expect(card.locator("[data-supporters]")).to_have_count(0)  # no one else yet: no "0 other residents"
    expect(card.get_by_role("img")).to_be_visible()  # its photo
    screenshot(page, "report-duplicates-phone")
    assert axe_violations(page) == []
    card.get_by_role("button", name="This is it — add my support").click()
    page.wait_for_url(re.compile(rf"/requests/{existing.public_id}$"))
    expect(page.get_by_text("Thank you: your support is added")).to_be_visible()
    existing.refresh_from_db()
    assert existing.support_count == 1 and ServiceRequest.objects.count() == 1
    context.close()


def test_the_whole_report_works_with_the_keyboard_alone_and_without_the_map(desktop, santa_monica):
    page = offline_from_the_internet(desktop)
    page.goto("/")
    tab_to(page, "a.button--big")  # "Report a problem"
    page.keyboard.press("Enter")
    page.wait_for_url("**/report")
    tab_to(page, "#category-q")
    page.keyboard.type("streetlight")
    tab_to(page, "[data-results-list] a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/report/streetlights")
    expect(page.get_by_role("heading", level=1)).to_have_text("Streetlights")
    tab_to(page, "#id_address")
    page.keyboard.type("1685 Main St")
    tab_to(page, "[name=attr_PROBLEM]")
    page.keyboard.press("Space")  # the first choice: "Out"
    tab_to(page, "[data-send]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report is in")
    created = ServiceRequest.objects.get()
    assert created.address == "1685 Main St" and created.attributes["PROBLEM"] == "OUT"
    assert created.lat is not None  # the typed address was found on the map at submit


def test_tabbing_through_the_report_map_meets_no_leaflet_link_and_keeps_the_map_data_credit(desktop, santa_monica):
    page = offline_from_the_internet(desktop)
    page.goto("/report/potholes")
    tab_to(page, "[data-open-map]")
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-container")).to_be_visible()
    tab_to(page, "[data-map]")
    stops = []
    while page.evaluate("() => !!document.activeElement.closest('[data-map]')"):  # every stop inside the map
        stops.append(page.evaluate("() => `${document.activeElement.textContent} ${document.activeElement.href}`"))
        page.keyboard.press("Tab")
        assert len(stops) < 20, stops
    assert not [stop for stop in stops if "leaflet" in stop.lower()], stops
    assert len(stops) == 3, stops  # the map itself, zoom in, zoom out: nothing else to Tab through
    credit = page.locator(".leaflet-control-attribution")
    expect(credit).to_be_visible()
    expect(credit).to_have_text("© OpenStreetMap")  # the map data's attribution stays, alone


def test_errors_are_summarised_focused_and_linked_to_their_fields(phone, santa_monica):
    page = offline_from_the_internet(phone)
    page.goto("/report/potholes")
    page.get_by_role("button", name="Send report").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There are 2 problems with your report")
    summary.get_by_role("link", name=re.compile("Tell us where")).click()
    assert page.evaluate("location.hash") == "#id_address"
    expect(page.get_by_label("Address or nearest corner")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "report-errors-phone")
    assert axe_violations(page) == []
    assert ServiceRequest.objects.count() == 0
