"""A resident signs in with a one-time code on a phone, in Chromium: readable, accessible, by keyboard too."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.browser import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_signs_in_by_code_on_a_phone(phone, people):
    phone.goto("/")
    phone.get_by_role("link", name="Sign in").click()
    screenshot(phone, "sign-in-phone")
    assert axe_violations(phone) == []
    phone.get_by_role("link", name=re.compile("code", re.IGNORECASE)).first.click()
    phone.get_by_label("Email").fill("resident@example.org")
    phone.keyboard.press("Enter")  # the keyboard alone submits the form
    phone.get_by_label("Code").wait_for()
    screenshot(phone, "sign-in-code-phone")
    assert axe_violations(phone) == []
    code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    phone.get_by_label("Code").fill(code)
    phone.keyboard.press("Enter")
    phone.get_by_text("Signed in as resident@example.org").wait_for()
    assert phone.get_by_role("button", name="Sign out").is_visible()
