"""The desk's "log a call" form and the staff actions refuse what the request's bounds refuse (issue 18)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.core.errors import ValidationFailed
from cityhall.requests import services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role
from cityhall.staff.tests.helpers import UNROUTED, snapshot

pytestmark = pytest.mark.django_db

CALL = {"channel": "phone", "address": "1685 Main St", "caller_phone": "310-555-0100"}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("caller_phone", "call me maybe", "Enter a phone number of 7 to 15 digits"),
        ("caller_phone", "1" * 40, "at most 32 characters"),
        ("caller_email", "none", "Enter a valid email address."),
        ("caller_name", "N" * 151, "at most 150 characters"),
        ("description", "x" * 4001, "at most 4000 characters"),
    ],
)
def test_a_call_with_a_field_out_of_bounds_is_refused_beside_it(client, people, service, field, value, words):
    client.force_login(people["agent"])
    count = ServiceRequest.objects.count()
    response = client.post(reverse("staff:log_for_caller"), CALL | {"service": service(UNROUTED).pk, field: value})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert ServiceRequest.objects.count() == count


@pytest.mark.parametrize(
    ("action", "change", "field"),
    [
        (Action.COMMENT, {"public_note": "x" * 4001}, "public_note"),
        (Action.NOTE, {"internal_note": "x" * 4001}, "internal_note"),
    ],
)
def test_the_workflow_refuses_a_note_over_the_text_limit(people, service, action, change, field):
    request = submit(service("potholes"))
    before = snapshot(request)
    with pytest.raises(ValidationFailed) as refused:
        services.service_request_transition(
            service_request=request,
            action=action,
            actor=actor(people["agent"], Role.AGENT),
            change=services.Change(**change),
        )
    assert "4000" in refused.value.errors[field]
    assert snapshot(request) == before
