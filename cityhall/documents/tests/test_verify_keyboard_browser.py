"""/verify with the keyboard alone: the number field is reached with Tab and the lookup sent with Enter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_looks_up_a_document_number_with_the_keyboard_alone(desktop, permit):
    desktop.goto("/verify")
    tab_to(desktop, desktop.get_by_label("A PDF to check"))
    tab_to(desktop, desktop.get_by_label("Document number"))
    desktop.keyboard.type(permit.number)
    desktop.keyboard.press("Enter")
    expect(desktop.get_by_role("status")).to_contain_text("The city issued and sealed this document")
