"""allauth's forms in the site's style, measured where they are drawn: a checkbox sits right before its
label's words, as the site's other checkboxes do, and the whole row takes the click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, axe_violations, beside_its_label, box, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEEP_SIGNED_IN = {"en": "Keep me signed in on this device", "es": "Mantener la sesión iniciada en este dispositivo"}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_sign_in_checkbox_sits_beside_its_label(browser, live_server, people, size, language):
    context = browser.new_context(
        viewport=PHONE if size == "phone" else DESKTOP, base_url=live_server.url, locale=language
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    keep = page.get_by_role("checkbox", name=KEEP_SIGNED_IN[language])
    assert beside_its_label(keep)
    drawn = box(keep)
    assert drawn["width"] >= 24 and drawn["height"] >= 24, drawn
    row = page.locator("label").filter(has=keep)
    row.click(position={"x": box(row)["width"] - 4, "y": box(row)["height"] / 2})  # the row's far end
    expect(keep).to_be_checked()
    screenshot(page, f"sign-in-form-{size}-{language}")
    assert axe_violations(page) == []
    context.close()
