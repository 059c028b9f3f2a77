"""The staff pages' frame and controls, measured where they are drawn: the triage decision's radios are targets
a tired clerk or a thumb can hit, and the site's header and the page share one column on a desk."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.staff.tests.browser_helpers import sign_in
from cityhall.staff.tests.helpers import UNROUTED, in_triage
from tests.browser import DESKTOP, PHONE, WIDE, axe_violations, beside_its_label, box, off_the_column, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECISION = {"en": "Decision", "es": "Decisión"}
NOT_ACTIONABLE = {"en": "Not actionable", "es": "No procede"}


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    settings.CITYHALL_MAP_TILES = ""  # nothing reaches the internet


@pytest.fixture
def page_at(browser, live_server):
    """A page at a size ("phone", "desktop") and in a language, closed after the test."""
    contexts = []

    def open_page(size: str, language: str):
        viewport = {"phone": PHONE, "desktop": DESKTOP, "wide": WIDE}[size]
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale=language)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_triage_decisions_are_rows_a_thumb_can_hit(page_at, live_server, people, service, size, language):
    page = page_at(size, language)
    waiting = in_triage(service(UNROUTED))
    sign_in(page, people["agent"], live_server.url)
    page.goto(f"/staff/triage/{waiting.public_id}/")
    radios = page.get_by_role("group", name=DECISION[language]).get_by_role("radio")
    expect(radios).to_have_count(4)
    for radio in radios.all():
        drawn, row = box(radio), box(page.locator(f"label[for='{radio.get_attribute('id')}']"))
        assert drawn["width"] >= 24 and drawn["height"] >= 24, drawn  # WCAG 2.5.8's smallest target
        assert row["height"] >= 44, row  # the whole label is the target: a thumb's row
        assert beside_its_label(radio)
    # A click on the far end of the row, away from the circle, chooses it.
    row = page.locator("label").filter(has=page.get_by_role("radio", name=NOT_ACTIONABLE[language]))
    row.click(position={"x": box(row)["width"] - 4, "y": box(row)["height"] / 2})
    expect(page.get_by_role("radio", name=NOT_ACTIONABLE[language])).to_be_checked()
    screenshot(page, f"staff-triage-decision-{size}-{language}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["phone", "desktop", "wide"])
def test_the_header_and_the_staff_page_share_one_column(page_at, live_server, people, service, size, language):
    page = page_at(size, language)
    waiting = in_triage(service(UNROUTED))
    sign_in(page, people["agent"], live_server.url)
    for url in ("/staff/", f"/staff/triage/{waiting.public_id}/"):
        page.goto(url)
        assert off_the_column(page) == []
        # The staff menu's words start on the header's edge too.
        assert round(box(page.locator(".staff-nav a").first)["x"]) == round(box(page.locator(".site-name"))["x"])
    screenshot(page, f"staff-frame-{size}-{language}")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("size", ["desktop", "wide"])  # a phone's column is narrower than a text field
def test_log_a_call_keeps_its_choices_and_lists_as_wide_as_its_text_fields(
    page_at, live_server, people, size, language
):
    page = page_at(size, language)
    sign_in(page, people["agent"], live_server.url)
    page.goto("/staff/new/")
    field = box(page.locator("#caller_address"))  # a text field of the same form
    rows = page.locator(".intake .choice")
    expect(rows).not_to_have_count(0)
    # On a desk no wider than the text fields, so a row's box and words are read at a glance, not 1,200 px apart.
    for control in [*rows.all(), page.locator("#caller_service"), page.locator("#caller_description")]:
        assert round(box(control)["width"]) <= round(field["width"]), box(control)
    screenshot(page, f"staff-log-a-call-{size}-{language}")
