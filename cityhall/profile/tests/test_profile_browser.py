"""The profile and account deletion on a phone, in Chromium: readable, accessible, by keyboard, in Spanish too."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cityhall.accounts.models import SavedPlace, User
from cityhall.citizen.tests.report_browser_helpers import offline_from_the_internet
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import OCEAN_PARK, submit
from tests.browser import axe_violations, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user: User, live_server) -> None:
    """Start the browser with a signed-in session (the sign-in pages have their own browser tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def looks_right(page, name: str) -> None:
    screenshot(page, name)
    assert axe_violations(page) == []


def test_a_resident_claims_her_requests_saves_a_place_and_switches_to_spanish(phone, live_server, zelda, service):
    earlier = submit(service("potholes"), contact=Contact(email=zelda.work_email))
    sign_in(phone, zelda.user, live_server)

    phone.goto("/profile/")
    expect(phone.get_by_role("heading", name="Your city profile")).to_be_visible()
    expect(phone.get_by_text("We found 1 request made with your email or on this device")).to_be_visible()
    looks_right(phone, "profile-phone")

    phone.get_by_role("button", name="Add it to my profile").click()
    expect(phone.get_by_text("1 request added to your profile.")).to_be_visible()
    assert ServiceRequest.objects.get(pk=earlier.pk).reporter_id == zelda.user.pk

    phone.get_by_text("Add a place").click()
    phone.get_by_label("Which place").select_option("work")
    phone.get_by_label("Address").fill("Ocean Park Library")
    phone.get_by_text("Or give its latitude and longitude").click()  # a point as it is, the address naming it
    phone.get_by_label("Latitude").fill(str(OCEAN_PARK[0]))
    phone.get_by_label("Longitude").fill(str(OCEAN_PARK[1]))
    phone.keyboard.press("Enter")  # the keyboard alone saves it
    expect(phone.get_by_text("Place saved.")).to_be_visible()
    expect(phone.get_by_text("Ocean Park Library")).to_be_visible()

    phone.get_by_label("Language").select_option("es")
    phone.get_by_role("button", name="Save details").click()
    expect(phone.get_by_role("heading", name="Su perfil municipal")).to_be_visible()
    expect(phone.get_by_text("Sus datos se han guardado.")).to_be_visible()
    expect(phone.locator(".profile-places").get_by_text("Trabajo", exact=True)).to_be_visible()
    looks_right(phone, "profile-spanish-phone")


def test_the_profile_at_desktop_size(desktop, live_server, zelda):
    sign_in(desktop, zelda.user, live_server)
    desktop.goto("/profile/")
    desktop.get_by_text("Add a place").click()
    looks_right(desktop, "profile-desktop")


def test_a_resident_saves_home_by_its_address_on_a_phone_in_spanish_with_the_keyboard_alone(
    browser, live_server, zelda
):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, is_mobile=True, has_touch=True, locale="es-ES"
    )
    page = offline_from_the_internet(context.new_page())
    sign_in(page, zelda.user, live_server)
    keys = page.keyboard
    page.goto("/profile/")
    tab_to(page, page.get_by_text("Añadir un lugar"))
    keys.press("Enter")  # opens the form
    tab_to(page, page.get_by_label("Qué lugar"))  # "Casa" is already chosen
    tab_to(page, page.get_by_label("Dirección"))
    keys.type("1685 Main St")
    looks_right(page, "profile-place-by-address-spanish-phone")
    keys.press("Enter")
    expect(page.get_by_text("Lugar guardado.")).to_be_visible()
    expect(page.locator(".profile-places")).to_contain_text("Casa")
    expect(page.locator(".profile-places")).to_contain_text("1685 Main St")
    home = SavedPlace.objects.get(user=zelda.user)
    assert (home.kind, home.address) == ("home", "1685 Main St") and home.lat is not None
    context.close()


def test_a_resident_picks_a_place_on_the_map_with_the_arrow_keys(desktop, live_server, zelda):
    page = offline_from_the_internet(desktop)
    sign_in(page, zelda.user, live_server)
    page.goto("/profile/")
    page.get_by_text("Add a place").click()
    page.get_by_label("Which place").select_option("other")
    page.get_by_label("Name (for other places)").fill("Gym")
    tab_to(page, page.get_by_role("button", name="Pick the place on the map"))
    page.keyboard.press("Enter")
    map_ = page.get_by_role("application", name="Map: the pin marks the place to save")
    expect(map_).to_be_visible()
    tab_to(page, map_)
    page.keyboard.press("ArrowUp")  # the map moves, the pin stays in the middle: the place is chosen
    expect(page.get_by_role("status").filter(has_text="set by the pin")).to_be_visible()
    looks_right(page, "profile-place-on-the-map-desktop")
    page.get_by_role("button", name="Save place").click()
    expect(page.get_by_text("Place saved.")).to_be_visible()
    gym = SavedPlace.objects.get(user=zelda.user)
    assert (gym.label, gym.address) == ("Gym", "") and gym.lat is not None


def test_a_resident_deletes_her_account_by_typing_her_address(phone, live_server, zelda, service):
    mine = submit(service("potholes"), reporter=zelda.user)
    sign_in(phone, zelda.user, live_server)

    phone.goto("/profile/")
    phone.get_by_role("link", name="Delete my account").click()
    expect(phone.get_by_role("heading", name="Delete your account")).to_be_visible()
    looks_right(phone, "delete-account-phone")

    field = phone.get_by_label("Type your email address to confirm")
    field.fill("not-me@example.net")
    field.press("Enter")
    expect(phone.get_by_text("That is not the email address of this account.")).to_be_visible()
    looks_right(phone, "delete-account-wrong-address-phone")
    assert User.objects.filter(pk=zelda.user.pk).exists()

    phone.get_by_label("Type your email address to confirm").fill(zelda.email)
    phone.get_by_role("button", name="Delete my account for good").click()
    expect(phone.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    expect(phone.get_by_role("link", name="Sign in")).to_be_visible()
    looks_right(phone, "account-deleted-phone")

    assert not User.objects.filter(email=zelda.email).exists()
    assert ServiceRequest.objects.get(pk=mine.pk).reporter_email == ""
    phone.goto("/profile/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
