"""The permission matrix: every staff URL and action for every role; a refused call changes nothing (issue 6).

Expectations are written out here by hand (not computed from the workflow table) so that a change
to the table or to access.py that widens or narrows what someone may do fails this test.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.catalogue.models import Department
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import submit
from cityhall.requests.workflow import Status
from cityhall.staff.tests.helpers import UNROUTED, in_status, in_triage, snapshot

pytestmark = pytest.mark.django_db

EVERYONE = ["anonymous", "resident", "agent", "staff", "crew", "crewmate", "supervisor", "admin", "other_staff"]
STAFF = {"agent", "staff", "crew", "crewmate", "supervisor", "admin", "other_staff"}
DESK = {"agent", "admin"}
PUBLIC_WORKS = {"agent", "admin", "staff", "supervisor"}  # who may open any Public Works request
# Field crews see only what is assigned to them ("crew") or to their crew ("crewmate").
VISIBLE = {
    "triage": DESK,
    "routed": PUBLIC_WORKS,
    "working": PUBLIC_WORKS | {"crew"},
    "held": PUBLIC_WORKS | {"crew"},
    "resolved": PUBLIC_WORKS,
    "crew_job": PUBLIC_WORKS | {"crewmate"},
}


@pytest.fixture
def world(people, service, public_works, street_crew):
    pothole = service("potholes")
    return {
        "triage": in_triage(service(UNROUTED)),
        "routed": submit(pothole),
        "working": in_status(pothole, Status.IN_PROGRESS, department=public_works, assignee=people["crew"]),
        "held": in_status(pothole, Status.ON_HOLD, department=public_works, assignee=people["crew"]),
        "resolved": in_status(pothole, Status.RESOLVED, department=public_works),
        "crew_job": in_status(pothole, Status.ASSIGNED, department=public_works, crew=street_crew),
        "public_works": public_works,
        "street_crew": street_crew,
    }


def _sign_in(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


# --- pages: (url builder, who gets 200) -----------------------------------------------------------

PAGES = {
    "home": (lambda w: reverse("staff:home"), set()),  # everyone on staff is redirected to their page
    "triage": (lambda w: reverse("staff:triage"), DESK),
    "triage request": (lambda w: reverse("staff:triage_request", args=[w["triage"].public_id]), DESK),
    "log a call": (lambda w: reverse("staff:log_for_caller"), DESK),
    "department queue": (lambda w: reverse("staff:department", args=[w["public_works"].pk]), PUBLIC_WORKS),
    "department map": (lambda w: reverse("staff:department", args=[w["public_works"].pk]) + "?view=map", PUBLIC_WORKS),
    "supervisor board": (lambda w: reverse("staff:supervisor"), {"supervisor"}),
    "a department's board": (
        lambda w: reverse("staff:supervisor_of", args=[w["public_works"].pk]),
        {"supervisor", "admin"},
    ),
    "my work": (lambda w: reverse("staff:my_work"), STAFF),
    "workspace in triage": (lambda w: reverse("staff:request", args=[w["triage"].public_id]), DESK),
    "workspace of public works": (lambda w: reverse("staff:request", args=[w["routed"].public_id]), PUBLIC_WORKS),
    "workspace of one's own work": (
        lambda w: reverse("staff:request", args=[w["working"].public_id]),
        VISIBLE["working"],
    ),
    "workspace of a crew's work": (
        lambda w: reverse("staff:request", args=[w["crew_job"].public_id]),
        VISIBLE["crew_job"],
    ),
    "questions": (lambda w: reverse("staff:questions") + "?service=1", STAFF),
}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("page", list(PAGES))
def test_who_may_open_each_staff_page(client, people, world, page, who):
    url, allowed = PAGES[page]
    _sign_in(client, people, who)
    response = client.get(url(world))
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    elif page == "home":
        assert response.status_code == (302 if who in STAFF else 404)
    else:
        assert response.status_code == (200 if who in allowed else 404), response.status_code


# --- actions: (request, action, form fields, who may) -------------------------------------------


def _fields(people, world):
    planning = Department.objects.get(slug="planning-community-development")
    return {
        "route from triage": ("triage", "route", {"department": world["public_works"].pk}, DESK),
        "re-route": ("routed", "route", {"department": planning.pk}, {"agent", "supervisor", "admin"}),
        "assign": ("routed", "assign", {"assignee": people["crew"].pk}, {"staff", "supervisor", "admin"}),
        "assign to a crew": (
            "routed",
            "assign",
            {"assignee": f"crew-{world['street_crew'].pk}"},
            {"staff", "supervisor", "admin"},
        ),
        "start": ("routed", "start", {}, {"staff", "supervisor", "admin"}),
        "start the crew's work": ("crew_job", "start", {}, {"staff", "crewmate", "supervisor", "admin"}),
        "hold": ("working", "hold", {"reason": "Parts."}, {"staff", "crew", "supervisor", "admin"}),
        "resume": ("held", "resume", {}, {"staff", "crew", "supervisor", "admin"}),
        "resolve": ("routed", "resolve", {"resolution": "no_action", "reason": "Fine."}, PUBLIC_WORKS),
        "resolve the crew's work": (
            "crew_job",
            "resolve",
            {"resolution": "no_action", "reason": "Fine."},
            VISIBLE["crew_job"],
        ),
        "reject from triage": ("triage", "resolve", {"resolution": "no_action", "reason": "Fine."}, DESK),
        "close": ("resolved", "close", {}, {"supervisor", "admin"}),
        "reopen": ("resolved", "reopen", {"reason": "Still broken."}, {"agent", "staff", "supervisor", "admin"}),
        "reply": ("routed", "comment", {"public_note": "On it."}, PUBLIC_WORKS),
        "note": ("routed", "note", {"internal_note": "Gate code 1234."}, PUBLIC_WORKS),
        "recategorise": (
            "routed",
            "recategorise",
            {"service": 0, "attribute[SURFACE]": "WALL"},
            {"agent", "staff", "supervisor", "admin"},
        ),
    }


ACTIONS = [
    "route from triage", "re-route", "assign", "assign to a crew", "start", "start the crew's work", "hold",
    "resume", "resolve", "resolve the crew's work", "reject from triage", "close", "reopen", "reply", "note",
    "recategorise",
]  # fmt: skip


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("case", ACTIONS)
def test_who_may_take_each_action_and_a_refusal_changes_nothing(client, people, world, service, case, who):
    target, action, fields, allowed = _fields(people, world)[case]
    if action == "recategorise":
        fields = {**fields, "service": service("graffiti-public-property").pk}
    request = world[target]
    before = snapshot(request)
    _sign_in(client, people, who)
    response = client.post(reverse("staff:act", args=[request.public_id]), {"action": action, **fields})
    if who in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot(request) != before
        return
    can_see = who in VISIBLE[target]
    expected = 302 if who == "anonymous" else 403 if can_see else 404
    assert response.status_code == expected
    assert snapshot(request) == before


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_triage_in_one_step(client, people, world, who):
    request = world["triage"]
    before = snapshot(request)
    _sign_in(client, people, who)
    response = client.post(
        reverse("staff:triage_request", args=[request.public_id]),
        {"outcome": "route", "service": request.service_id, "priority": 3, "department": world["public_works"].pk},
    )
    if who in DESK:
        assert response.status_code == 302 and ServiceRequest.objects.get(pk=request.pk).status == "routed"
    else:
        assert response.status_code == (302 if who == "anonymous" else 404)
        assert snapshot(request) == before


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_bulk_change_a_department_queue(client, people, world, who):
    request = world["routed"]
    before = snapshot(request)
    _sign_in(client, people, who)
    response = client.post(
        reverse("staff:bulk", args=[world["public_works"].pk]), {"action": "start", "requests": [request.public_id]}
    )
    if who in {"staff", "supervisor", "admin"}:
        assert response.status_code == 302 and ServiceRequest.objects.get(pk=request.pk).status == "in_progress"
        return
    # The desk may open the queue but not start work: the row is refused, one by one. Crews have no queue.
    assert response.status_code == (302 if who in {"anonymous", "agent"} else 404)
    assert snapshot(request) == before


@pytest.mark.parametrize("who", EVERYONE)
def test_who_may_log_a_request_for_a_caller(client, people, service, who):
    count = ServiceRequest.objects.count()
    _sign_in(client, people, who)
    response = client.post(
        reverse("staff:log_for_caller"),
        {
            "channel": "phone",
            "service": service(UNROUTED).pk,
            "address": "1685 Main St",
            "caller_phone": "310-555-0100",
        },
    )
    if who in DESK:
        assert response.status_code == 302 and ServiceRequest.objects.count() == count + 1
    else:
        assert response.status_code == (302 if who == "anonymous" else 404)
        assert ServiceRequest.objects.count() == count
