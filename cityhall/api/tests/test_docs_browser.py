"""The docs page at /api/v1/docs works in a real browser under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
