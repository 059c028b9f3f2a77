"""Web push: VAPID-signed, encrypted messages to a push service on loopback; devices come and go."""

from __future__ import annotations

import base64
import json
import os
import time
from io import StringIO

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.test import Client
from py_vapid import Vapid02

from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role

from ..models import Message, MessageStatus, PushSubscription
from ..services import preference_save, push_subscribe
from .conftest import PUBLIC_URL, VAPID_SUBJECT
from .helpers import act

pytestmark = pytest.mark.django_db


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """What a browser keeps for a push subscription: its key pair and auth secret (RFC 8291)."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh, self.auth_secret = b64url(public), os.urandom(16)

    def decrypt(self, body: bytes) -> dict[str, str]:
        clear = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        return json.loads(clear)


def device_for(user, push_service, browser: Browser, name: str = "phone") -> PushSubscription:
    return push_subscribe(
        user=user, endpoint=f"{push_service.url}/push/{name}", p256dh=browser.p256dh, auth=b64url(browser.auth_secret)
    )


def test_a_resident_who_chose_push_gets_an_encrypted_vapid_signed_message(
    settings, service, people, push_service, smtp, committed
):
    resident, browser = people["resident"], Browser()
    device = device_for(resident, push_service, browser)
    preference_save(user=resident, channel="push", delivery="instant", topics=["receipt", "taken_up", "resolved"])
    with committed():
        request = submit(service("potholes"), reporter=resident)

    assert smtp.to("resident@example.org") == []  # push instead of email
    (call,) = push_service.calls
    assert call.path == "/push/phone"
    # RFC 8292: "vapid t=<JWT signed with our private key>, k=<our public key>", for this push service.
    authorization = call.headers["authorization"]
    assert authorization.startswith("vapid t=") and f"k={settings.CITYHALL_VAPID_PUBLIC_KEY}" in authorization
    assert Vapid02.verify(authorization)
    token = authorization.split("t=", 1)[1].split(",", 1)[0]
    claims = json.loads(unb64url(token.split(".")[1]))
    assert claims["aud"] == push_service.url and claims["sub"] == VAPID_SUBJECT and claims["exp"] > time.time()
    # RFC 8291/8188: the body is encrypted for this browser; only its private key opens it.
    assert call.headers["content-encoding"] == "aes128gcm" and int(call.headers["ttl"]) == 86400
    payload = browser.decrypt(call.body)
    assert payload["title"] == f"We received your request #{request.public_id}: Potholes"
    assert (
        payload["url"] == f"{PUBLIC_URL}/requests/{request.public_id}"
        and payload["tag"] == f"request-{request.public_id}"
    )

    message = Message.objects.get(request=request, recipient_kind="reporter")
    assert (message.channel, message.status, message.address) == ("push", "sent", f"push:{device.pk}")
    assert message.provider_id == f"{push_service.url}/message/1"


def test_a_device_the_push_service_says_is_gone_is_forgotten(service, people, push_service, committed):
    resident = people["resident"]
    gone, kept = Browser(), Browser()
    device_for(resident, push_service, gone, "old-laptop")
    device_for(resident, push_service, kept, "phone")
    preference_save(user=resident, channel="push", delivery="instant", topics=["receipt"])
    push_service.statuses.append(410)
    with committed():
        submit(service("potholes"), reporter=resident)

    assert [call.path for call in push_service.calls] == ["/push/old-laptop", "/push/phone"]
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [f"{push_service.url}/push/phone"]
    statuses = sorted(Message.objects.values_list("status", flat=True))
    assert statuses == [MessageStatus.FAILED, MessageStatus.SENT]
    assert "no longer subscribed" in Message.objects.get(status=MessageStatus.FAILED).last_error


def test_a_push_service_error_is_retried(service, people, push_service, committed):
    resident = people["resident"]
    browser = Browser()
    device_for(resident, push_service, browser)
    preference_save(user=resident, channel="push", delivery="instant", topics=["receipt"])
    push_service.statuses.extend([503, 502])  # a bad minute at the push service
    with committed():
        submit(service("potholes"), reporter=resident)
    assert len(push_service.calls) == 3  # the tasks run at once in tests: two retries, then accepted
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT and message.attempts == 3
    assert browser.decrypt(push_service.calls[-1].body)["title"].startswith("We received your request")


def test_with_push_chosen_but_no_device_or_no_keys_the_email_still_comes(settings, service, people, smtp, committed):
    resident = people["resident"]
    preference_save(user=resident, channel="push", delivery="instant", topics=["receipt"])
    with committed():
        submit(service("potholes"), reporter=resident)  # web push is off (no VAPID keys): email
    assert len(smtp.to("resident@example.org")) == 1


def test_the_browser_posts_its_subscription_with_the_csrf_token(settings, people, push_service):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["resident"])
    page = browser.get("/notifications/preferences")
    assert f'data-vapid-key="{settings.CITYHALL_VAPID_PUBLIC_KEY}"' in page.content.decode()
    token = page.context["csrf_token"]
    body = {"endpoint": "https://push.example.net/send/abc", "keys": {"p256dh": "BPk-key", "auth": "c2VjcmV0"}}

    refused = browser.post("/notifications/push/subscribe", body, content_type="application/json")
    assert refused.status_code == 403 and not PushSubscription.objects.exists()  # no CSRF token

    made = browser.post(
        "/notifications/push/subscribe", body, content_type="application/json", headers={"X-CSRFToken": str(token)}
    )
    assert made.status_code == 201
    device = PushSubscription.objects.get()
    assert (device.user, device.endpoint, device.p256dh) == (people["resident"], body["endpoint"], "BPk-key")

    bad = browser.post(
        "/notifications/push/subscribe",
        {"endpoint": "javascript:alert(1)", "keys": {}},
        content_type="application/json",
        headers={"X-CSRFToken": str(token)},
    )
    assert bad.status_code == 400 and PushSubscription.objects.count() == 1

    gone = browser.post(
        "/notifications/push/unsubscribe",
        {"endpoint": body["endpoint"]},
        content_type="application/json",
        headers={"X-CSRFToken": str(token)},
    )
    assert gone.json() == {"ok": True, "removed": True} and not PushSubscription.objects.exists()


def test_subscribing_needs_an_account(push_service):
    response = Client().post(
        "/notifications/push/subscribe", {"endpoint": "https://x"}, content_type="application/json"
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not PushSubscription.objects.exists()


def test_the_command_makes_a_key_pair_pywebpush_and_browsers_accept(settings):
    out = StringIO()
    call_command("generate_vapid_keys", "--subject", "mailto:ops@example.gov", stdout=out, stderr=StringIO())
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert lines["CITYHALL_VAPID_SUBJECT"] == "mailto:ops@example.gov"
    public = unb64url(lines["CITYHALL_VAPID_PUBLIC_KEY"])
    assert len(public) == 65 and public[0] == 4  # an uncompressed P-256 point: applicationServerKey
    signer = Vapid02.from_string(lines["CITYHALL_VAPID_PRIVATE_KEY"])
    signed = signer.sign(
        {"aud": "https://push.example.net", "sub": "mailto:ops@example.gov", "exp": int(time.time()) + 60}
    )
    assert Vapid02.verify(signed["Authorization"])
    assert signed["Authorization"].endswith(f"k={lines['CITYHALL_VAPID_PUBLIC_KEY']}")


def test_staff_notices_ignore_a_residents_push_choice(service, people, push_service, smtp, committed):
    """Staff notices are work: by email, whatever the resident-facing preferences say."""
    crew = people["crew"]
    device_for(crew, push_service, Browser())
    preference_save(user=crew, channel="push", delivery="instant", topics=[])
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    with committed():
        act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=crew)
    assert [m["Subject"].startswith("Assigned to you") for m in smtp.to("crew@example.org")] == [True]
    assert push_service.calls == []
