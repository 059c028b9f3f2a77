"""The docs page at /api/v1/docs works in a real browser under the site's Content-Security-Policy, and passes
axe (WCAG 2.2 AA) at every step of trying an operation out with a partner's key, on a desktop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.api.tests.conftest import make_key
from tests.browser import axe_violations, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_every_operation_and_the_policy_blocks_nothing(desktop, santa_monica):
    refused: list[str] = []
    desktop.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    desktop.goto("/api/v1/docs")
    expect(desktop.locator(".opblock")).to_have_count(16)
    expect(desktop.locator(".opblock-summary-path").first).to_contain_text("/api/v1/")
    assert refused == []


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_partner_tries_an_operation_out_on_an_accessible_page(request, santa_monica, screen):
    page = request.getfixturevalue(screen)
    key = make_key("Reader", "read")
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock")).to_have_count(16)
    screenshot(page, f"api-docs-{screen}")
    assert axe_violations(page) == []
    assert fits_the_screen(page)

    page.get_by_role("button", name="Authorize").first.click()
    page.get_by_role("dialog").locator("input").fill(key)
    screenshot(page, f"api-docs-authorize-{screen}")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Apply credentials").click()
    page.get_by_role("dialog").get_by_role("button", name="Close").first.click()  # the dialog's icon

    page.get_by_role("button", name="GET /api/v1/requests List public requests", exact=False).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_label("status").select_option("submitted")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(page.locator(".request-url")).to_contain_text("status=submitted")
    screenshot(page, f"api-docs-tried-{screen}")
    assert axe_violations(page) == []
    assert fits_the_screen(page)
