"""The staff pages' short dates read in the reader's language: "11 dic, 17:00", not "Dic 11, 17:00".

The queues, badges and facts wrote a pattern of their own ("M j, H:i"), English in every language
and a 24-hour clock beside the English pages' "5:00 PM"; now each language's format module says.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cityhall.core import clock
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit
from cityhall.staff.tests.helpers import UNROUTED, in_triage

pytestmark = pytest.mark.django_db

SANTA_MONICA = ZoneInfo("America/Los_Angeles")
RECEIVED = datetime(2026, 12, 5, 2, 48, tzinfo=SANTA_MONICA)
DUE = datetime(2026, 12, 11, 17, 0, tzinfo=SANTA_MONICA)


def _dated(request: ServiceRequest) -> ServiceRequest:
    ServiceRequest.objects.filter(pk=request.pk).update(requested_at=RECEIVED, expected_at=DUE)
    return request


def _page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "short", "with_year"),
    [("en", "Dec 5, 2:48 AM", "Dec 5, 2026, 2:48 AM"), ("es", "5 dic, 02:48", "5 dic 2026, 02:48")],
)
def test_the_triage_queue_and_its_decision_page(client, people, service, language, short, with_year):
    request = _dated(in_triage(service(UNROUTED)))
    client.force_login(people["agent"])
    queue = _page(client, reverse("staff:triage"), language)
    assert f">{short}</time>" in queue
    decision = _page(client, reverse("staff:triage_request", args=[request.public_id]), language)
    received = {"en": "Received", "es": "Recibida"}[language]  # the request, not the dashboards' "Recibidas"
    assert f"<dt>{received}</dt><dd><time" in decision
    assert f">{with_year}</time>" in decision  # among the request's facts


@pytest.mark.parametrize(
    ("language", "due", "expected", "received"),
    [
        ("en", "due <time", ">Dec 11, 5:00 PM</time>", "Dec 5, 2026, 2:48 AM"),
        ("es", "vence <time", ">11 dic, 17:00</time>", "5 dic 2026, 02:48"),
    ],
)
def test_the_department_queue_the_board_and_the_workspace(
    client, people, service, public_works, language, due, expected, received
):
    request = _dated(submit(service("potholes")))
    client.force_login(people["supervisor"])
    with clock.travel(DUE + timedelta(hours=16)):  # overdue, so the supervisor's board lists it too
        for url in (
            reverse("staff:department", args=[public_works.pk]),
            reverse("staff:supervisor"),
            reverse("staff:request", args=[request.public_id]),
        ):
            page = _page(client, url, language)
            badge = page[page.index(due) :]
            assert badge[: badge.index("</time>") + len("</time>")].endswith(expected), url
    assert f">{received}</time>" in page  # the workspace: "Received" among the request's facts
