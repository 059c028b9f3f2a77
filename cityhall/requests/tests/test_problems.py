"""A coded domain error reads in the staff member's language, and in English to Open311 and the logs."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from cityhall.core.errors import ValidationFailed
from cityhall.requests import services
from cityhall.requests.problems import Problem
from cityhall.requests.workflow import Action, Role, Status
from cityhall.staff.tests.helpers import in_status

from .builders import actor

pytestmark = pytest.mark.django_db


def test_a_hold_without_a_reason_is_explained_in_spanish_on_the_staff_page(client, people, service, public_works):
    request = in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    client.force_login(people["staff"])
    url = reverse("staff:act", args=[request.public_id])
    spanish = unescape(client.post(url, {"action": "hold"}, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    english = unescape(client.post(url, {"action": "hold"}, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Indique un motivo." in spanish and "Give a reason." not in spanish
    assert "Give a reason." in english
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS


def test_the_error_keeps_its_code_and_english_whatever_language_is_active(people, service, public_works):
    from django.utils import translation

    request = in_status(service("potholes"), Status.IN_PROGRESS, department=public_works, assignee=people["crew"])
    with translation.override("es"), pytest.raises(ValidationFailed) as refused:
        services.service_request_transition(
            service_request=request, action=Action.HOLD, actor=actor(people["staff"], Role.STAFF)
        )
    assert refused.value.errors == {"reason": "Give a reason."}  # what Open311 and the importer report
    assert refused.value.translated_errors["reason"] is Problem.REASON.label
