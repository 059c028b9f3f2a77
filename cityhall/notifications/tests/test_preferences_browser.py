"""The preferences page in a real browser: phone and desktop, keyboard only, axe; push.js's permission flow."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.catalogue.models import Zone
from tests.browser import axe_violations, screenshot

from ..models import AreaAlert, Preference, PushSubscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A stand-in for the browser's push machinery (Chromium headless has no push service to talk to): it
# records when permission is asked, and hands push.js a subscription as a real browser would.
FAKE_PUSH = """
window.__asked = 0;
Object.defineProperty(Notification, 'permission', {get: () => window.__asked ? 'granted' : 'default'});
Notification.requestPermission = () => { window.__asked += 1; return Promise.resolve('granted'); };
const subscription = {
  endpoint: 'https://push.example.net/send/device-1',
  toJSON() { return {endpoint: this.endpoint, keys: {p256dh: 'BFakeKey', auth: 'ZmFrZQ'}}; },
  unsubscribe() { return Promise.resolve(true); },
};
let subscribed = null;
const registration = {pushManager: {
  subscribe(options) {
    window.__key = options.applicationServerKey.length;
    subscribed = subscription;
    return Promise.resolve(subscription);
  },
  getSubscription() { return Promise.resolve(subscribed); },
}};
Object.defineProperty(navigator.serviceWorker, 'ready', {get: () => Promise.resolve(registration)});
navigator.serviceWorker.getRegistration = () => Promise.resolve(registration);
"""


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_resident_chooses_a_digest_and_watches_a_neighbourhood(request, size, people, live_server):
    from playwright.sync_api import expect

    page = request.getfixturevalue(size)
    resident = people["resident"]
    sign_in(page, live_server, resident)
    page.goto("/notifications/preferences")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, f"notifications-preferences-{size}")

    page.get_by_label("In one daily digest").first.check()
    page.get_by_label("Replies from city staff").uncheck()
    page.get_by_role("button", name="Save my choices").press("Enter")
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    preference = Preference.objects.get(user=resident)
    assert preference.delivery == "daily" and preference.muted == ["reply"]

    ocean_park = Zone.objects.get(name__icontains="Ocean Park")
    page.get_by_label("Neighborhood", exact=True).select_option(label=ocean_park.name)
    page.get_by_role("button", name="Watch this area").click()
    expect(page.get_by_text("You now watch this area.")).to_be_visible()
    expect(page.get_by_role("link", name="Atom feed of this area")).to_be_visible()
    assert AreaAlert.objects.get(user=resident).zone == ocean_park
    assert axe_violations(page) == []
    screenshot(page, f"notifications-preferences-saved-{size}")


def test_push_asks_permission_only_when_the_button_is_pressed(settings, phone, people, live_server):
    from playwright.sync_api import expect

    from ..management.commands.generate_vapid_keys import vapid_key_pair

    settings.CITYHALL_VAPID_PUBLIC_KEY, settings.CITYHALL_VAPID_PRIVATE_KEY = vapid_key_pair()
    settings.CITYHALL_VAPID_SUBJECT = "mailto:311@example.gov"
    phone.add_init_script(FAKE_PUSH)
    sign_in(phone, live_server, people["resident"])
    phone.goto("/notifications/preferences")
    button = phone.get_by_role("button", name="Turn on notifications on this device")
    expect(button).to_be_visible()
    assert phone.evaluate("window.__asked") == 0  # opening the page asks nothing

    button.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Notifications are on for this device.")).to_be_visible()
    assert phone.evaluate("window.__asked") == 1 and phone.evaluate("window.__key") == 65
    device = PushSubscription.objects.get()
    assert device.endpoint == "https://push.example.net/send/device-1" and device.user == people["resident"]
    expect(phone.get_by_role("button", name="Turn them off on this device")).to_be_visible()
    expect(button).to_be_hidden()
    assert axe_violations(phone) == []
    screenshot(phone, "notifications-push-on-phone")
