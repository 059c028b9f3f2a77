"""Address search in Chromium at phone size: typed with the keyboard through the suggestions; GPS → “near …”."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cityhall.geo import geocoding
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit
from tests.browser import axe_violations, screenshot

from .report_browser_helpers import offline_from_the_internet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_typed_address_is_chosen_with_the_keyboard_placed_and_shown_on_the_tracking_page(
    phone, santa_monica, service
):
    library = geocoding.locate(santa_monica, "2601 Main St")
    existing = submit(service("potholes"), at=(library.lat + 0.0002, library.lng))  # about 20 m away
    page = offline_from_the_internet(phone)
    page.goto("/report/potholes")
    address = page.get_by_role("combobox", name="Address or nearest corner")
    expect(address).to_have_attribute("aria-expanded", "false")
    address.focus()
    page.keyboard.type("2601 main")
    listbox = page.get_by_role("listbox", name="Suggested places")
    expect(listbox.get_by_role("option").first).to_have_text("2601 Main St")
    expect(address).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-address-announce]")).to_contain_text("suggestion")
    page.keyboard.press("ArrowDown")
    option = listbox.get_by_role("option").first
    expect(option).to_have_attribute("aria-selected", "true")
    expect(address).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    screenshot(page, "report-address-suggestions-phone")
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    expect(address).to_have_value("2601 Main St")
    expect(address).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[data-location-status]")).to_have_text("Location set: 2601 Main St.")
    expect(page.locator("[data-place-found]")).to_have_text("Found on the map: 2601 Main St · Ocean Park neighborhood")
    expect(page.locator(f"[data-candidate='{existing.public_id}']")).to_be_visible()  # the duplicate check ran
    page.get_by_label("Up to a car tire").check()
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report is in")
    created = ServiceRequest.objects.exclude(pk=existing.pk).get()
    assert created.address == "2601 Main St" and created.lat is not None and created.zone.name == "Ocean Park"
    expect(page.locator("[data-place-zone]")).to_have_text("Ocean Park neighborhood")
    screenshot(page, "report-confirmation-place-phone")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Track your request").click()
    page.wait_for_url(re.compile(rf"/requests/{created.public_id}"))
    place = page.locator("[data-place-shown]")
    expect(place.locator("[data-place-address]")).to_have_text("2601 Main St")
    expect(place.locator("[data-place-zone]")).to_have_text("Ocean Park neighborhood")
    expect(place.locator(".leaflet-container")).to_be_visible()  # the small map (tiles stay offline)
    screenshot(page, "track-place-phone")
    assert axe_violations(page) == []


def test_escape_closes_the_suggestions_and_an_unplaced_address_still_sends(phone, santa_monica):
    page = offline_from_the_internet(phone)
    page.goto("/report/potholes")
    address = page.get_by_role("combobox", name="Address or nearest corner")
    address.fill("tongva")
    expect(page.get_by_role("option").first).to_have_text(re.compile("^Tongva Park"))
    address.press("Escape")
    expect(address).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox", include_hidden=True)).to_be_hidden()


def test_use_my_location_says_which_address_it_is_near(browser, live_server, santa_monica):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": 34.0116, "longitude": -118.4916, "accuracy": 12},
        permissions=["geolocation"],
    )
    page = offline_from_the_internet(context.new_page())
    page.goto("/report/potholes")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("[data-location-status]")).to_contain_text(re.compile(r"(Near 1\d{3} Main St|At Main St &)"))
    page.get_by_label("Up to a car tire").check()
    screenshot(page, "report-gps-near-phone")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your report is in")
    created = ServiceRequest.objects.get()
    assert re.match(r"(near 1\d{3} Main St|Main St & )", created.address)
    shown = created.address.replace("near ", "Near ", 1)  # the page says “near” in the reader's language
    expect(page.locator("[data-place-address]")).to_have_text(shown)
    context.close()
