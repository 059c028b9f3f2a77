"""A staff member signs in through the city's identity provider in Chromium, then gives our second factor.

The provider is the stand-in on a loopback port (tests/oidc_provider/); CityHall is the live server.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cityhall.accounts.tests.helpers import current_totp_code
from tests.browser import DESKTOP, PHONE, axe_violations, screenshot
from tests.oidc_provider.fixtures import PASSWORD, browser_identity_provider, configure_city_sso

__all__ = ["browser_identity_provider"]  # a fixture, used by name
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city_sso(settings, browser_identity_provider):
    configure_city_sso(settings, browser_identity_provider)
    return browser_identity_provider


def test_staff_sign_in_with_the_city_provider_then_our_second_factor(phone, people, city_sso):
    phone.goto("/admin/")  # where the staff member was going
    expect(phone.get_by_role("heading", name="City staff")).to_be_visible()
    screenshot(phone, "sso-sign-in-phone")
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Sign in with Santa Monica ID").click()

    expect(phone.get_by_role("heading", name="City identity provider")).to_be_visible()
    phone.get_by_label("Username").fill("admin@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()

    # Back at CityHall: our own second factor is still asked for (CITYHALL_OIDC_TRUST_MFA is off).
    code_field = phone.get_by_label(re.compile("Authenticator code|Code", re.IGNORECASE))
    expect(code_field).to_be_visible()
    screenshot(phone, "sso-second-factor-phone")
    assert axe_violations(phone) == []
    code_field.fill(current_totp_code(people["admin"]))
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="City policy, catalog and requests")).to_be_visible()  # the admin


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_sign_in_page_with_the_city_button_is_accessible_in_both_languages(
    browser, live_server, city_sso, language
):
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale=language)
        page = context.new_page()
        page.goto("/accounts/login/")
        button = "Sign in with Santa Monica ID" if language == "en" else "Iniciar sesión con Santa Monica ID"
        expect(page.get_by_role("button", name=button)).to_be_visible()
        screenshot(page, f"sso-sign-in-{language}-{name}")
        assert axe_violations(page) == []
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_unknown_address_is_refused_with_a_clear_accessible_page(browser, live_server, people, city_sso, language):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale=language)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("section.sso button").click()
    page.get_by_label("Username").fill("stranger@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    heading = {"en": "No staff account for this sign-in", "es": "Ninguna cuenta de personal"}[language]
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.get_by_text("stranger@example.org")).to_be_visible()
    screenshot(page, f"sso-refused-{language}-phone")
    assert axe_violations(page) == []
    context.close()
