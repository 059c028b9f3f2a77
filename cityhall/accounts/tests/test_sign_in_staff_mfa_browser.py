"""A new staff member, in Chromium, is sent to set up a second factor before any staff page opens.

They sign in by emailed code, try the admin, are sent to enrol, add an authenticator app (the code
computed from the secret the page shows, by allauth's own TOTP arithmetic), and then get in.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cityhall.accounts.emails import mark_email_verified
from cityhall.accounts.models import Role, User
from cityhall.accounts.tests.helpers import code_from, totp_code
from tests.browser import DESKTOP, axe_violations, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newcomer(santa_monica):
    user = User.objects.create_user("new.agent@example.org", None, role=Role.AGENT, is_staff=True, is_superuser=True)
    mark_email_verified(user)
    return user


def sign_in_by_code(page, email: str) -> None:
    page.goto("/accounts/login/code/")
    page.locator("input[name=email]").fill(email)
    page.keyboard.press("Enter")
    code_field = page.locator("input[name=code]")
    code_field.wait_for()  # the email is sent by the time the page asking for its code is shown
    code_field.fill(code_from(mail.outbox[-1]))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("Sign out|Cerrar sesión"))).to_be_visible()


def test_a_new_staff_member_enrols_an_authenticator_app_before_the_admin_opens(phone, newcomer):
    sign_in_by_code(phone, newcomer.email)
    phone.goto("/admin/")
    expect(phone.get_by_text("City staff need a second factor")).to_be_visible()
    expect(phone).to_have_url(re.compile("/accounts/2fa/$"))
    screenshot(phone, "staff-enrol-phone")
    assert axe_violations(phone) == []

    phone.get_by_role("link", name="Set up an authenticator app").click()
    secret = phone.locator("#authenticator_secret").input_value()
    # No camera for the QR code: the keyboard reaches the secret and selects it, to copy it into the app.
    tab_to(phone, phone.get_by_label("Authenticator secret"))
    phone.keyboard.press("ControlOrMeta+a")
    selected = "field => field.value.slice(field.selectionStart, field.selectionEnd)"
    assert phone.get_by_label("Authenticator secret").evaluate(selected) == secret
    screenshot(phone, "staff-enrol-totp-phone")
    assert axe_violations(phone) == []
    phone.get_by_label("Authenticator code").fill(totp_code(secret))
    phone.get_by_role("button", name="Activate").click()
    expect(phone.get_by_role("heading", level=1)).not_to_have_text("Activate Authenticator App")

    phone.goto("/admin/")
    expect(phone.get_by_role("heading", name="City policy, catalog and requests")).to_be_visible()


def test_the_enrolment_pages_are_accessible_in_spanish(browser, live_server, newcomer):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="es")
    page = context.new_page()
    sign_in_by_code(page, newcomer.email)
    page.goto("/admin/")
    expect(page.get_by_text("El personal municipal necesita un segundo factor")).to_be_visible()
    screenshot(page, "staff-enrol-es-desktop")
    assert axe_violations(page) == []
    page.goto("/accounts/2fa/totp/activate/")
    expect(page.locator("#authenticator_secret")).to_be_visible()
    screenshot(page, "staff-enrol-totp-es-desktop")
    assert axe_violations(page) == []
    page.locator("input[name=code]").fill(totp_code(page.locator("#authenticator_secret").input_value()))
    page.locator("input[name=code]").press("Enter")
    expect(page.get_by_role("link", name="Continuar con su trabajo")).to_be_visible()
    screenshot(page, "staff-recovery-codes-continue-es-desktop")
    assert axe_violations(page) == []
    context.close()


def test_a_new_staff_members_first_sign_in_reaches_the_workspace_with_one_password_entry(phone, settings, santa_monica):
    """From the sign-in page to the triage queue: 7 actions (it took 10, with a second password prompt and
    no way on from the recovery codes, landing first on the residents' home page)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 costs seconds
    user = User.objects.create_user("new.clerk@example.org", "a long enough passphrase", role=Role.AGENT)
    mark_email_verified(user)
    phone.goto("/accounts/login/")
    phone.get_by_label("Email").fill(user.email)  # 1
    phone.get_by_label("Password").fill("a long enough passphrase")  # 2
    phone.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()  # 3
    expect(phone.get_by_text("City staff need a second factor")).to_be_visible()
    phone.get_by_role("link", name="Set up an authenticator app").click()  # 4
    expect(phone.locator("#authenticator_secret")).to_be_visible()  # no "Enter your password" on the way
    phone.get_by_label("Authenticator code").fill(totp_code(phone.locator("#authenticator_secret").input_value()))  # 5
    phone.get_by_role("button", name="Activate").click()  # 6
    expect(phone.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    screenshot(phone, "staff-recovery-codes-continue-phone")
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="Continue to your work").click()  # 7
    expect(phone.get_by_role("heading", level=1)).to_have_text("Triage")
    expect(phone).to_have_url(re.compile("/staff/triage/$"))
