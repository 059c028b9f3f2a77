"""A resident adds a passkey and signs in with it alone, in Chromium with a virtual authenticator.

Chromium's DevTools WebAuthn domain stands in for a phone's or laptop's built-in authenticator
(resident keys, user verification). WebAuthn needs a secure context: the live server is
http://localhost, which browsers treat as one; the server-side check is told to accept plain HTTP
in these tests only (MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cityhall.accounts.tests.test_sign_in_staff_mfa_browser import sign_in_by_code
from tests.browser import PHONE, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _webauthn_over_plain_http_on_localhost(settings, live_server):
    assert live_server.url.startswith("http://localhost:")  # a secure context for the browser
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True


def add_virtual_authenticator(page) -> tuple:
    """A platform authenticator with resident keys and user verification, as on a phone or laptop."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    added = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return devtools, added["authenticatorId"]


def test_a_resident_adds_a_passkey_then_signs_in_with_it_alone(desktop, people):
    devtools, authenticator_id = add_virtual_authenticator(desktop)
    sign_in_by_code(desktop, "resident@example.org")

    desktop.goto("/accounts/2fa/")
    desktop.get_by_role("link", name="Add a security key").click()
    desktop.get_by_label("Name of this key").fill("My laptop")
    desktop.get_by_label("Use it to sign in without a password").check()
    screenshot(desktop, "passkey-add-desktop")
    assert axe_violations(desktop) == []
    desktop.get_by_role("button", name="Add").click()
    expect(desktop).not_to_have_url(re.compile("/webauthn/add/"))
    (credential,) = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert credential["isResidentCredential"]  # a passkey: it can name the account by itself
    desktop.goto("/accounts/2fa/")
    desktop.get_by_role("link", name="Manage your security keys").click()
    expect(desktop.get_by_role("cell", name="My laptop")).to_be_visible()  # the list of keys, to rename or remove
    screenshot(desktop, "passkey-list-desktop")
    assert axe_violations(desktop) == []

    desktop.get_by_role("button", name="Sign out").click()
    expect(desktop.get_by_role("link", name="Sign in")).to_be_visible()
    desktop.goto("/accounts/login/")
    desktop.get_by_role("button", name="Sign in with a passkey").click()  # no email, no password
    expect(desktop.get_by_text("Signed in as resident@example.org")).to_be_visible()
    expect(desktop.get_by_role("button", name="Sign out")).to_be_visible()


def test_adding_a_passkey_on_a_phone_in_spanish_is_accessible(browser, live_server, people):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="es", is_mobile=True, has_touch=True)
    page = context.new_page()
    add_virtual_authenticator(page)
    sign_in_by_code(page, "resident@example.org")
    page.goto("/accounts/2fa/webauthn/add/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "passkey-add-es-phone")
    assert axe_violations(page) == []
    context.close()
