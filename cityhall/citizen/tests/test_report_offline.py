"""Reporting without a signal: the app shell opens offline, the report waits on the phone, then it is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cityhall.requests.models import ServiceRequest
from tests.browser import axe_violations, screenshot

from .report_browser_helpers import big_photo, offline_from_the_internet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_made_offline_waits_on_the_phone_with_its_photo_and_is_sent_when_back_online(
    phone, santa_monica, tmp_path
):
    page = offline_from_the_internet(phone, service_worker=True)
    page.goto("/report/potholes")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the worker, which keeps this page for later
    expect(page.get_by_role("heading", level=1)).to_have_text("Potholes")

    page.context.set_offline(True)
    page.goto("/")  # the app shell opens with no signal
    expect(page.get_by_role("link", name="Report a problem").first).to_be_visible()
    page.goto("/report/potholes")
    expect(page.locator("[data-offline-banner]")).to_contain_text("You are offline")
    page.get_by_label("Describe the place").fill("Corner of 4th and Broadway")
    page.get_by_label("Larger than a car tire").check()
    page.get_by_label("Choose photos").set_input_files(str(big_photo(tmp_path)))
    expect(page.locator("[data-photo-status]")).to_contain_text("1 photo chosen")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Saved on this phone: waiting to send")).to_be_visible()
    expect(page.locator("[data-offline-banner]")).to_contain_text("Reports waiting to send: 1")
    screenshot(page, "report-offline-queued-phone")
    assert axe_violations(page) == []
    assert ServiceRequest.objects.count() == 0

    page.context.set_offline(False)
    banner = page.locator("[data-offline-banner]")
    expect(banner).to_contain_text("Your report was sent")
    created = ServiceRequest.objects.get()
    expect(banner.get_by_role("link")).to_have_text(created.public_id)
    expect(page.get_by_role("heading", name="Your report was sent")).to_be_visible()
    expect(page.get_by_role("link", name="See its number and tracking link")).to_have_attribute(
        "href", f"{page.url.split('/report/')[0]}/report/sent/{created.public_id}"
    )
    assert created.location_description == "Corner of 4th and Broadway"
    assert created.attributes == {"SIZE": "L"} and created.attachments.count() == 1
    screenshot(page, "report-offline-sent-phone")


def test_the_offline_shell_is_the_public_app_and_leaves_the_person_s_session_alone(phone, live_server, people):
    from .report_browser_helpers import sign_in

    page = offline_from_the_internet(phone, service_worker=True)
    sign_in(page, people["resident"], live_server)
    page.goto("/report")
    installed = "navigator.serviceWorker.ready.then(() => true)"
    # Bounded: a worker whose install fails is never ready, and the page would wait for it forever.
    refused = "new Promise((resolve) => setTimeout(() => resolve(false), 15000))"
    assert page.evaluate(f"Promise.race([{installed}, {refused}])"), "the worker installed its shell"
    kept = page.evaluate(
        """async () => {
            const name = (await caches.keys()).find((key) => key.startsWith("cityhall-shell-"));
            const response = await (await caches.open(name)).match("/report");
            return response.text();
        }"""
    )
    assert "Report a problem" in kept or "What is the problem" in kept  # the report page itself
    assert "Sign out" not in kept and people["resident"].email not in kept  # no one's own page
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # still signed in
