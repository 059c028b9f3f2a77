"""With the keyboard alone (no mouse, no clicks): the resident's application, the desk keying in a paper
one, and the public check of a document.

Each control is reached with Tab in the page's own order (`tests.browser.tab_to`), boxes are ticked with
Space, dates typed by their parts, and forms are sent with Enter.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cityhall.applications.models import Application, Status
from cityhall.documents.tests.memo_builders import memo_pdf
from tests.browser import DESKTOP, box, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_applies_and_signs_with_the_keyboard_alone(browser, live_server, digital_services, people):
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en")
    client = Client()
    client.force_login(people["resident"])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    keys = page.keyboard

    # A date is typed by its parts, in a field as big as the others (it was a thin 21-px strip).
    page.goto("/apply/block-party")
    tab_to(page, page.get_by_role("button", name="Start the application"))
    keys.press("Enter")
    date = page.get_by_label("Date of the party")
    tab_to(page, date)
    keys.type("07042027")
    expect(date).to_have_value("2027-07-04")
    assert box(date)["height"] == box(page.get_by_label("Name of the event"))["height"]

    page.goto("/my-applications")
    tab_to(page, page.get_by_role("link", name="Public records request"))
    keys.press("Enter")
    tab_to(page, page.get_by_role("button", name="Start the application"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public records request")

    tab_to(page, page.get_by_label("Describe the records you want"))
    keys.type("Minutes of the Pier Board meetings in 2025")
    tab_to(page, page.get_by_label("Electronic copies by email"))
    keys.press("Space")
    question = page.get_by_role("group", name="Are you asking for an organization or a news outlet?")
    tab_to(page, question.get_by_label("Yes"))
    keys.press("Space")
    tab_to(page, page.get_by_label("Name of the organization"))  # shown once "Yes" is chosen
    keys.type("Santa Monica Daily Press")
    tab_to(page, page.get_by_label("Email for the answer"))
    keys.type("rosa@example.com")
    tab_to(page, page.get_by_role("button", name="Continue to review"))
    keys.press("Enter")

    expect(page.get_by_text("Santa Monica Daily Press")).to_be_visible()
    tab_to(page, page.get_by_label("I agree to sign electronically"))
    keys.press("Space")
    tab_to(page, page.get_by_label("Type your full name as your signature"))
    keys.type("Rosa Resident")
    keys.press("Enter")  # Enter in the name field sends the signature form

    expect(page.locator(".fingerprint")).to_be_visible()
    application = Application.objects.get(applicant=people["resident"], service=digital_services["public-records"])
    assert application.status != Status.DRAFT
    assert application.signature.typed_name == "Rosa Resident"
    assert "Santa Monica Daily Press" in application.answers.values()
    context.close()


def test_the_desk_keys_in_a_paper_application_with_the_keyboard_alone(browser, live_server, digital_services, people):
    from cityhall.staff.tests.browser_helpers import sign_in

    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en")
    page = context.new_page()
    # Playwright turns on the interception of file choosers when the first listener comes, without
    # waiting for the browser: a listener added just before the key press raced it on a busy machine
    # (the native chooser opened instead, and no event came). One listener from the start wins that race.
    page.on("filechooser", lambda _chooser: None)
    keys = page.keyboard
    sign_in(page, people["agent"], live_server.url)
    scan = memo_pdf("Public records request, signed on paper by Marta Flores.")

    page.goto("/staff/paper/")
    service = page.get_by_label("Service applied for")
    tab_to(page, service)
    keys.type("Public records")  # a closed select picks the option its name starts with
    expect(service.locator("option:checked")).to_have_text("Public records request")
    tab_to(page, page.get_by_label("Applicant's name, as written on the form"))
    keys.type("Marta Flores")
    tab_to(page, page.get_by_label("Applicant's email, as written on the form"))
    keys.type("marta@example.org")
    tab_to(page, page.get_by_label("Scan of the signed paper form"))
    with page.expect_file_chooser() as chooser:
        keys.press("Space")  # a file input opens the chooser from the keyboard
    chooser.value.set_files({"name": "signed-form.pdf", "mimeType": "application/pdf", "buffer": scan})
    tab_to(page, page.get_by_role("button", name="Attach the scan and fill in the form"))
    keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Public records request")  # the resident's form
    application = Application.objects.get(applicant__email="marta@example.org")
    assert application.channel == "paper" and application.keyed_by == people["agent"]
    assert application.status == Status.DRAFT
    context.close()
