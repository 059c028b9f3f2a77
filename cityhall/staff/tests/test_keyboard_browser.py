"""The 311 desk's day with the keyboard alone (no mouse, no clicks): sign in with a code and the
authenticator app, triage a new request (a refused decision first), go straight to the decision on the next
one, then log a phone call.

Each control is reached with Tab in the page's own order (`tests.browser.tab_to`), radios are moved with
the arrow keys, and forms are sent with Enter.
"""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from cityhall.accounts.tests.helpers import code_from, current_totp_code
from cityhall.requests.models import ServiceRequest
from cityhall.staff.tests.helpers import UNROUTED, in_triage
from tests.browser import DESKTOP, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_name(page) -> str:
    """The accessible name of the element with the focus, as a screen reader would announce it."""
    return page.evaluate("() => document.activeElement.ariaLabel || document.activeElement.innerText").strip()


def skip_to_the_decision(page) -> None:
    """From the top of a triage page to its first decision control in four keys: the second skip link leads past
    the header, the request's facts, its map and the nearby requests (some 28 presses of Tab)."""
    page.keyboard.press("Tab")
    assert focused_name(page) == "Skip to the main content"
    page.keyboard.press("Tab")
    assert focused_name(page) == "Skip to the decision"
    page.keyboard.press("Enter")
    expect(page.get_by_role("form", name="Decide")).to_be_focused()  # a screen reader announces where it landed
    page.keyboard.press("Tab")
    expect(page.get_by_label("Category")).to_be_focused()


def test_the_desk_signs_in_triages_and_logs_a_call_with_the_keyboard_alone(
    browser, live_server, settings, people, service
):
    settings.CITYHALL_MAP_TILES = ""  # nothing reaches the internet
    waiting = in_triage(service(UNROUTED), description="Old sofa left on the sidewalk")
    following = in_triage(service(UNROUTED), description="Shopping cart in the alley")
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en")
    page = context.new_page()
    keys = page.keyboard

    page.goto("/accounts/login/code/")
    tab_to(page, page.get_by_label("Email"))
    keys.type(people["agent"].email)
    keys.press("Enter")
    code = page.get_by_label("Code")
    expect(code).to_be_visible()
    tab_to(page, code)
    keys.type(code_from(mail.outbox[-1]))
    keys.press("Enter")
    second_factor = page.get_by_label("Code", exact=True)  # the authenticator app's code (allauth's field)
    expect(second_factor).to_be_visible()
    tab_to(page, second_factor)
    keys.type(current_totp_code(people["agent"]))
    keys.press("Enter")
    expect(page.get_by_role("link", name="Log a call")).to_be_visible()

    page.goto("/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage")
    tab_to(page, page.get_by_role("link", name=f"#{waiting.public_id}"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Triage #{waiting.public_id}")
    skip_to_the_decision(page)
    tab_to(page, page.get_by_role("radio", name="Route to a department"))
    keys.press("ArrowDown")  # the arrow keys move the choice along the group
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    expect(page.get_by_role("radio", name="Not actionable")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Apply decision"))
    keys.press("Enter")  # no reason given: refused

    # The keyboard starts again at what to mend, not at the top of the page behind both menus.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Reason: Give a reason.")
    screenshot(page, "staff-triage-refused-keyboard-desktop")
    keys.press("Tab")
    assert focused_name(page) == "Reason: Give a reason."
    keys.press("Enter")  # the line leads to its field
    reason = page.get_by_label("Reason (needed when not actionable)")
    expect(reason).to_be_focused()
    keys.type("Private property: the owner has been told.")
    keys.press("Enter")
    expect(page.get_by_text(f"Request {waiting.public_id} is triaged.")).to_be_visible()
    assert ServiceRequest.objects.get(pk=waiting.pk).resolution == "no_action"

    # The next request opens at the top, its notice and heading read first; the decision is four keys away.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Triage #{following.public_id}")
    skip_to_the_decision(page)

    tab_to(page, page.get_by_role("link", name="Log a call"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a request for a caller")
    tab_to(page, page.get_by_role("radio", name="Phone call"))
    keys.press("Space")
    tab_to(page, page.get_by_label("Category"))
    keys.type(service("potholes").name)  # a closed select picks the option its name starts with
    tab_to(page, page.get_by_label("How big is the pothole?"))
    keys.press("ArrowDown")
    tab_to(page, page.get_by_label("What is the problem?"))
    keys.type("Deep pothole by the bus stop, says the caller.")
    tab_to(page, page.get_by_label("Address"))
    keys.type("1685 Main St")
    tab_to(page, page.get_by_label("Phone", exact=True))
    keys.type("310-555-0142")
    tab_to(page, page.get_by_role("button", name="Log the request"))
    keys.press("Enter")

    logged = page.get_by_role("status").filter(has_text="is logged")
    expect(logged).to_be_visible()
    created = ServiceRequest.objects.exclude(pk__in=[waiting.pk, following.pk]).get()
    expect(logged).to_contain_text(f"Request {created.public_id} is logged.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(created.public_id)
    expect(page.get_by_text("Deep pothole by the bus stop, says the caller.")).to_be_visible()
    expect(page.get_by_text("1685 Main St")).to_be_visible()
    assert (created.channel, created.address) == ("phone", "1685 Main St")
    context.close()
