"""Django's admin passes axe (WCAG 2.2 AA) and fits a phone: the index, a change list with filters, a request
with its inline events, a partner key's date-time, and a webhook's two-box pickers, as the city's admin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cityhall.core import clock
from cityhall.partners.models import ApiKey, WebhookSubscription
from cityhall.requests.tests.builders import submit
from cityhall.staff.tests.browser_helpers import sign_in
from tests.browser import axe_violations, fits_the_screen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_admin_pages_are_accessible_and_fit_the_screen(request, live_server, people, service, screen):
    filed = submit(service("potholes"))
    key = ApiKey(name="Hauler", scopes=["read"])
    key.issue()
    key.save()
    hook = WebhookSubscription.objects.create(
        key=key, url="https://hauler.example.org/hooks", event_types=["request.created"], created_at=clock.now()
    )
    page = request.getfixturevalue(screen)
    sign_in(page, people["admin"], live_server.url)

    pages = {
        "index": "/admin/",
        "requests": "/admin/requests/servicerequest/",
        "request": f"/admin/requests/servicerequest/{filed.pk}/change/",
        "key": f"/admin/partners/apikey/{key.pk}/change/",
        "webhook": f"/admin/partners/webhooksubscription/{hook.pk}/change/",
    }
    for name, address in pages.items():
        page.goto(address)
        expect(page.locator("#content h1")).to_be_visible()
        screenshot(page, f"admin-{name}-{screen}")
        assert axe_violations(page) == [], name
        assert fits_the_screen(page), name

        if name == "key":  # the revocation's date and time, each box named
            expect(page.get_by_label("Date:")).to_be_visible()
            expect(page.get_by_label("Time:")).to_be_visible()
        if name == "webhook":  # the picker's filter box is named by its help
            available = page.get_by_role("textbox", name=re.compile("filter down the list of available services"))
            available.fill("pothole")
            expect(page.locator("#id_services_from option:visible")).not_to_have_count(0)
