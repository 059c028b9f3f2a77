"""The profile and account deletion on a phone, in Chromium: readable, accessible, by keyboard, in Spanish too."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cityhall.accounts.models import User
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import OCEAN_PARK, submit
from tests.browser import axe_violations, screenshot

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
