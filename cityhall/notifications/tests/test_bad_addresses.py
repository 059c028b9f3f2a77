"""An address no one can receive at is failed with a reason, never marked "sent" (issue 18, finding 1).

New requests can no longer carry such an address; rows stored before contacts were checked still can.
"""

from __future__ import annotations

import pytest

from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role

from ..models import Message, MessageStatus
from .helpers import act

pytestmark = pytest.mark.django_db


def reply_to(request, people, committed) -> Message:
    with committed():
        act(request, Action.COMMENT, actor(people["staff"], Role.STAFF), public_note="A crew is on the way.")
    return Message.objects.get(request=request, template="reply")


@pytest.mark.parametrize("address", ["{{7*7}}", "-1", "none", "ana at example.org"])
def test_an_email_to_an_address_that_is_not_one_is_failed_not_sent(service, people, smtp, committed, address):
    request = submit(service("potholes"), contact=Contact(email="ana@example.org"))
    ServiceRequest.objects.filter(pk=request.pk).update(reporter_email=address)
    message = reply_to(request, people, committed)
    assert (message.status, message.last_error) == (
        MessageStatus.FAILED,
        "Not a valid email address; nothing was sent.",
    )
    assert message.sent_at is None and smtp.received == []


def test_a_text_to_a_number_that_is_not_one_is_failed_not_sent(service, people, sms_api, committed):
    request = submit(service("potholes"), contact=Contact(phone="310-555-0123"))
    ServiceRequest.objects.filter(pk=request.pk).update(reporter_phone="12")
    message = reply_to(request, people, committed)
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "Not a valid phone number; nothing was sent.")
    assert sms_api.calls == []


def test_a_good_address_is_still_sent(service, people, smtp, committed):
    request = submit(service("potholes"), contact=Contact(email="ana@example.org"))
    assert reply_to(request, people, committed).status == MessageStatus.SENT
    assert len(smtp.received) == 1
