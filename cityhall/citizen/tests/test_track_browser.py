"""The tracking page in a real browser on a phone: confirm and rate, reopen, live updates, by keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cityhall.citizen.tests.track_helpers import SECRET_NOTE, act, resolved_graffiti
from cityhall.requests.models import Feedback, ServiceRequest
from cityhall.requests.tests.builders import submit
from cityhall.requests.workflow import Action, Resolution
from tests.browser import axe_violations, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def graffiti(service, people):
    return resolved_graffiti(service("graffiti-public-property"), people["staff"])


def test_the_reporter_confirms_it_is_fixed_and_rates_it_with_the_keyboard(phone, graffiti):
    phone.goto(f"/requests/{graffiti.public_id}?token={graffiti.tracking_token}&fixed=yes")
    expect(phone.get_by_role("heading", name="Is it fixed?")).to_be_visible()
    expect(phone.get_by_text("Painted over.")).to_be_visible()
    assert SECRET_NOTE not in phone.content()
    screenshot(phone, "track-resolved-requester-phone")
    assert axe_violations(phone) == []

    confirm = phone.get_by_role("button", name="Yes, it's fixed")
    expect(confirm).to_be_focused()  # the email's "yes" link brought the reporter here
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Thank you for confirming. The request is now closed.")).to_be_visible()
    expect(phone.locator("[data-status-label]")).to_have_text("Closed")
    assert "token=" not in phone.url  # the token left the address; this browser remembers it

    expect(phone.locator("#feedback")).to_be_focused()  # the keyboard lands on "How did we do?"
    screenshot(phone, "track-confirmed-feedback-focused-phone")
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("5 – Very good")).to_be_focused()
    phone.keyboard.press("Space")
    phone.keyboard.press("ArrowDown")
    expect(phone.get_by_label("4 – Good")).to_be_checked()
    phone.keyboard.press("Tab")
    phone.keyboard.type("Quick work, thank you.")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Thank you for your feedback (4 out of 5).")).to_be_visible()
    screenshot(phone, "track-closed-after-feedback-phone")
    assert axe_violations(phone) == []
    feedback = Feedback.objects.get(request=graffiti)
    assert (feedback.rating, feedback.comment) == (4, "Quick work, thank you.")


def test_not_fixed_needs_a_reason_then_reopens_the_request(phone, graffiti):
    phone.goto(f"/requests/{graffiti.public_id}?token={graffiti.tracking_token}&fixed=no")
    reason = phone.get_by_label("What is still wrong?")
    expect(reason).to_be_focused()
    phone.keyboard.press("Tab")  # the photo field (optional)
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Reopen the request")).to_be_focused()
    phone.keyboard.press("Enter")

    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("Tell us what is still wrong")
    expect(summary).to_be_focused()
    screenshot(phone, "track-reopen-error-phone")
    assert axe_violations(phone) == []
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # the error's link leads to its field
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert ServiceRequest.objects.get(pk=graffiti.pk).status == "resolved"

    phone.keyboard.type("The tag is still on the wall.")
    phone.get_by_role("button", name="Reopen the request").press("Enter")
    expect(phone.get_by_text("The request is open again and back with the department.")).to_be_visible()
    expect(phone.locator("[data-status-label]")).to_have_text("In the department's queue")
    expect(phone.get_by_text("The tag is still on the wall.")).to_be_visible()
    # Feedback waits until the request is closed: nobody is asked "How did we do?" straight after a reopen.
    expect(phone.get_by_role("heading", name="How did we do?")).to_have_count(0)
    screenshot(phone, "track-reopened-phone")
    assert ServiceRequest.objects.get(pk=graffiti.pk).status == "routed"


def test_the_page_follows_staff_changes_without_a_reload(phone, service, people):
    request = submit(service("graffiti-public-property"), description="Tag on the pier sign")
    phone.goto(f"/requests/{request.public_id}")
    expect(phone.locator("[data-status-label]")).to_have_text("In the department's queue")
    phone.evaluate("window.__sameDocument = true")

    act(request, Action.START, people["staff"], public_note="A crew is on the way.")

    expect(phone.locator("[data-status-label]")).to_have_text("In progress", timeout=2000)
    expect(phone.get_by_text("A crew is on the way.")).to_be_visible()
    expect(phone.get_by_role("status").filter(has_text="This page was updated")).to_have_count(1)
    assert phone.evaluate("window.__sameDocument === true"), "the page was not reloaded"


def test_the_is_it_fixed_panel_appears_live_for_the_reporter(phone, service, people):
    request = submit(service("potholes"))
    phone.goto(f"/requests/{request.public_id}?token={request.tracking_token}")
    expect(phone.get_by_role("heading", name="Is it fixed?")).to_have_count(0)
    act(
        request,
        Action.RESOLVE,
        people["agent"],
        resolution=Resolution.NO_ACTION,
        reason="Not a pothole: a utility cover.",
    )
    expect(phone.get_by_role("heading", name="Is it fixed?")).to_be_visible(timeout=2000)
    expect(phone.get_by_text("Not a pothole: a utility cover.")).to_be_visible()


@pytest.fixture
def spanish(browser, live_server):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="es-ES", is_mobile=True
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop", "spanish"])
def test_the_tracking_page_reads_well_and_passes_axe(request, size, graffiti):
    page = request.getfixturevalue(size)
    page.goto(f"/requests/{graffiti.public_id}?token={graffiti.tracking_token}")
    if size == "spanish":
        expect(page.get_by_role("heading", name="¿Está arreglado?")).to_be_visible()
        expect(page.locator("[data-status-label]")).to_have_text("Resuelta")
        page.get_by_text("No, no está arreglado").click()
    else:
        page.get_by_text("No, it's not fixed").click()
    assert fits_the_screen(page), "no sideways scrolling"
    screenshot(page, f"track-requester-{size}")
    assert axe_violations(page) == []
    page.goto(f"/requests/{graffiti.public_id}?fixed=yes")  # a new visitor without the token: the public page
    page.context.clear_cookies()
    page.reload()
    expect(page.get_by_role("button", name=re.compile("fixed|arreglado"))).to_have_count(0)
    screenshot(page, f"track-public-{size}")
    assert axe_violations(page) == []
