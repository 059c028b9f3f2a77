"""SMS for reporters who gave only a phone: a Twilio-like API on loopback checks what is sent."""

from __future__ import annotations

import pytest

from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role

from ..channels import PermanentFailure
from ..channels.sms import SmsProvider, send_sms
from ..models import Message, MessageStatus
from .conftest import PUBLIC_URL, SMS_ACCOUNT, SMS_FROM
from .helpers import act

pytestmark = pytest.mark.django_db


def test_a_reporter_with_only_a_phone_gets_texts_through_the_provider(service, people, sms_api, smtp, committed):
    with committed():
        request = submit(service("potholes"), contact=Contact(name="Ana", phone="(310) 555-0123"))
    with committed():
        act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])

    assert [message["To"] for message in smtp.received] == ["crew@example.org"]  # "assigned to you", staff's
    receipt, assigned = sms_api.calls
    assert receipt.path == f"/2010-04-01/Accounts/{SMS_ACCOUNT}/Messages.json"
    assert receipt.authorization == sms_api.expected_authorization()
    assert receipt.form["To"] == "+13105550123" and receipt.form["From"] == SMS_FROM
    body = receipt.form["Body"]
    assert body.startswith(f"CityHall: We received your request #{request.public_id}: Potholes")
    assert f"{PUBLIC_URL}/requests/{request.public_id}?token={request.tracking_token}" in body
    assert f"{PUBLIC_URL}/notifications/unsubscribe/" in body
    assert f"Someone is working on your request #{request.public_id}" in assigned.form["Body"]

    messages = Message.objects.filter(request=request, recipient_kind="reporter").order_by("pk")
    assert [(m.channel, m.status, m.address) for m in messages] == [("sms", "sent", "+13105550123")] * 2
    assert [m.provider_id for m in messages] == [f"SM{1:032d}", f"SM{2:032d}"]


def test_a_signed_in_reporter_hears_by_email_even_when_they_give_a_phone(service, people, sms_api, committed):
    resident = people["resident"]
    resident.language, resident.phone = "es", "+1 310 555 0199"
    resident.save(update_fields=["language", "phone"])
    with committed():
        submit(service("potholes"), reporter=resident, contact=Contact(phone="+1 310 555 0199"))
    # Submission copies the account's email onto the request, so a signed-in reporter hears by email.
    assert sms_api.calls == []
    message = Message.objects.get()
    assert message.channel == "email" and message.language == "es"


def test_with_sms_unconfigured_texts_are_skipped_with_the_reason(service, people, committed):
    with committed():
        request = submit(service("potholes"), contact=Contact(phone="310-555-0123"))
    message = Message.objects.get(request=request)
    assert message.status == MessageStatus.SKIPPED and "SMS is not configured" in message.last_error


def test_the_adapter_reports_a_refusal_as_permanent(sms_api):
    provider = SmsProvider(url=sms_api.url, account=SMS_ACCOUNT, token="wrong", sender=SMS_FROM)
    with pytest.raises(PermanentFailure, match="HTTP 401: Authenticate"):
        send_sms(provider, to="+13105550123", body="Hello")
