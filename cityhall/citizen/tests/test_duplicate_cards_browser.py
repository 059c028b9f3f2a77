"""Duplicate cards and the email asked once, in Chromium at phone size, in English and Spanish (issue 14)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from cityhall.requests.models import ServiceRequest, Support
from tests.browser import DESKTOP, PHONE, axe_violations, fits_the_screen, screenshot

from .report_browser_helpers import offline_from_the_internet
from .report_helpers import nearby_pothole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT_DOOR = {"latitude": 34.0116, "longitude": -118.4916, "accuracy": 12}
TYPED = "The hole is as wide as a car door and full of water"


def phone_in(browser, live_server, language, **options):
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True, locale=f"{language}-US", **options
    )
    return offline_from_the_internet(context.new_page())


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_card_opens_its_details_in_place_and_support_asks_the_email_once(browser, live_server, service, language):
    existing = nearby_pothole(service("potholes"))
    page = phone_in(browser, live_server, language, geolocation=NEXT_DOOR, permissions=["geolocation"])
    page.goto("/report/potholes")
    page.locator("#id_description").fill(TYPED)  # a half-filled report
    page.locator("[data-use-location]").click()

    card = page.locator(f"[data-candidate='{existing.public_id}']")
    with translation.override(language):  # the category as the page names it, in its language
        category = existing.service.name
    expect(card.locator("[data-category]")).to_have_text(category)
    expect(card.locator("[data-excerpt]")).to_contain_text("Deep hole in the crosswalk by the library steps")
    expect(card.locator("[data-place]")).to_have_text("1685 Main St")
    expect(card.locator("[data-age]")).to_be_visible()
    expect(card.get_by_role("img")).to_be_visible()
    expect(card).not_to_contain_text("Jane")
    expect(card).not_to_contain_text("jane.doe@example.org")

    # "See more" with the keyboard: the details open in place, the typed report is still there.
    more = card.locator("[data-more]")
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("open", "")
    expect(more.locator(".duplicate-description")).to_contain_text("It has been growing since 2026-11-02.")
    expect(more.locator(".duplicate-description")).not_to_contain_text("310-555-0199")
    assert page.url.endswith("/report/potholes")
    expect(page.locator("#id_description")).to_have_value(TYPED)
    more.scroll_into_view_if_needed()
    screenshot(page, f"duplicate-card-details-{language}-phone")
    assert fits_the_screen(page), "no sideways scrolling"
    assert axe_violations(page) == []

    # The email typed on the card is the one "About you" has: it is not asked for again.
    page.locator("[data-support-email]").fill("me@example.org")
    expect(page.locator("#id_email")).to_have_value("me@example.org")
    card.locator("button[formaction]").click()
    page.wait_for_url(re.compile(rf"/requests/{existing.public_id}$"))
    assert Support.objects.get(request=existing).email == "me@example.org"
    expect(page.locator("[data-updates='follower']")).to_contain_text("m•••@example.org")
    expect(page.locator("form[action='/notifications/follow']")).to_have_count(0)
    screenshot(page, f"duplicate-supported-track-{language}-phone")
    assert axe_violations(page) == []

    # Back to report something else: "About you" says where updates go instead of asking.
    page.goto("/report/potholes")
    expect(page.locator("[data-email-known]")).to_contain_text("me@example.org")
    expect(page.locator("#id_email")).to_be_hidden()
    page.locator("[data-use-location]").click()
    expect(page.locator("[data-support-email-known]")).to_contain_text("me@example.org")
    expect(page.locator("[data-support-email]")).to_have_count(0)
    expect(card.locator("[data-already]")).to_be_visible()  # supported already: no button to press again
    page.locator("#you-heading").scroll_into_view_if_needed()
    screenshot(page, f"duplicate-email-known-{language}-phone")
    assert axe_violations(page) == []
    page.context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_after_reporting_the_tracking_page_says_where_updates_go_and_offers_no_follow(
    browser, live_server, santa_monica, language
):
    page = phone_in(browser, live_server, language)
    page.goto("/report/potholes")
    page.locator("#id_address").fill("1685 Main St")
    page.locator("#id_attr_SIZE_1").check()
    page.locator("#id_email").fill("reporter@example.org")
    page.locator("[data-send]").click()
    page.locator("[data-tracking-link]").click()
    created = ServiceRequest.objects.get()
    page.wait_for_url(re.compile(rf"/requests/{created.public_id}"))
    expect(page.locator("[data-updates='reporter']")).to_contain_text("r•••@example.org")
    expect(page.locator("form[action='/notifications/follow']")).to_have_count(0)
    expect(page.locator("input[type=email]")).to_have_count(0)
    screenshot(page, f"track-reporter-updates-{language}-phone")
    assert axe_violations(page) == []
    page.context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_duplicate_cards_on_a_desktop_are_readable_and_accessible(browser, live_server, service, language):
    existing = nearby_pothole(service("potholes"))
    context = browser.new_context(
        viewport=DESKTOP,
        base_url=live_server.url,
        locale=f"{language}-US",
        geolocation=NEXT_DOOR,
        permissions=["geolocation"],
    )
    page = offline_from_the_internet(context.new_page())
    page.goto("/report/potholes")
    page.locator("[data-use-location]").click()
    card = page.locator(f"[data-candidate='{existing.public_id}']")
    card.locator("[data-more] summary").click()
    expect(card.locator(".duplicate-description")).to_be_visible()
    screenshot(page, f"duplicate-card-details-{language}-desktop")
    assert axe_violations(page) == []
    context.close()
