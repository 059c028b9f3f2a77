"""available_actions: status × role × time around the reopen window, and the requester's one rating.

The pages render this answer and the services raise `action_refusal`, so these cases hold both.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from cityhall.core.errors import TransitionRefused
from cityhall.requests import services
from cityhall.requests.available import action_refusal, available_actions
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import DONE, Action, Resolution, Role, Status, allowed_actions

from .builders import actor, put_in_status, submit

pytestmark = pytest.mark.django_db

WINDOW = timedelta(days=30)  # the Santa Monica catalogue's reopen window
MOMENTS = {
    "just resolved": timedelta(0),
    "last moment of the window": WINDOW,
    "a second past the window": WINDOW + timedelta(seconds=1),
}
# Who may reopen a finished request, by when: supervisors and admins are not held to the window.
REOPEN = {
    Role.REQUESTER: {"just resolved", "last moment of the window"},
    Role.PARTNER: {"just resolved", "last moment of the window"},
    Role.AGENT: {"just resolved", "last moment of the window"},
    Role.STAFF: {"just resolved", "last moment of the window"},
    Role.SUPERVISOR: set(MOMENTS),
    Role.ADMIN: set(MOMENTS),
}


@pytest.fixture
def request_in(service, people, public_works):
    def make(status: Status) -> ServiceRequest:
        request = submit(service("other-streets-and-sidewalks"))
        return put_in_status(request, status, department=public_works, assignee=people["crew"])

    return make


@pytest.mark.parametrize(("status", "role", "moment"), list(itertools.product(Status, list(Role), MOMENTS)), ids=str)
def test_status_role_and_time_around_the_reopen_window(request_in, people, status, role, moment):
    request = request_in(status)
    now = (request.resolved_at or request.requested_at) + MOMENTS[moment]
    offered = available_actions(request, actor(people["admin"], role), now)

    table = set(allowed_actions(status, {role}))
    reopens = status in DONE and moment in REOPEN.get(role, set())
    assert offered == [a for a in Action if (a in table and a is not Action.REOPEN) or (a is Action.REOPEN and reopens)]
    assert Action.FEEDBACK not in offered  # never resolved through the service: nothing to rate
    # The service refuses exactly what is not offered, with the reason a page can explain.
    refused = action_refusal(request, Action.REOPEN, actor(people["admin"], role), now)
    assert (refused is None) == reopens
    if status in DONE and role in REOPEN and not reopens:
        assert refused is not None and refused.code == "window"


def test_the_reopen_service_keeps_the_window_the_page_showed(request_in, people):
    request = request_in(Status.RESOLVED)
    ServiceRequest.objects.filter(pk=request.pk).update(resolved_at=request.resolved_at - WINDOW - timedelta(hours=1))
    request.refresh_from_db()
    requester = actor(None, Role.PUBLIC, Role.REQUESTER)
    assert Action.REOPEN not in available_actions(request, requester, request.resolved_at + WINDOW * 2)
    with pytest.raises(TransitionRefused) as refused:
        services.service_request_transition(
            service_request=request,
            action=Action.REOPEN,
            actor=requester,
            change=services.Change(reason="Still broken"),
        )
    assert refused.value.code == "window"
    request.refresh_from_db()
    assert request.status == Status.RESOLVED


def test_feedback_is_the_requesters_once_after_the_city_resolved_it(service, people):
    request = submit(service("other-streets-and-sidewalks"))
    requester = actor(None, Role.PUBLIC, Role.REQUESTER)
    now = request.requested_at
    assert Action.FEEDBACK not in available_actions(request, requester, now)  # not resolved yet
    desk = actor(people["agent"], Role.AGENT)
    services.service_request_transition(
        service_request=request,
        action=Action.RESOLVE,
        actor=desk,
        change=services.Change(resolution=Resolution.NO_ACTION, reason="Private land"),
    )
    request.refresh_from_db()
    assert Action.FEEDBACK in available_actions(request, requester, now)
    assert Action.FEEDBACK not in available_actions(request, desk, now)  # staff do not rate
    services.service_request_feedback(service_request=request, actor=requester, rating=4)
    assert Action.FEEDBACK not in available_actions(request, requester, now)
    assert action_refusal(request, Action.FEEDBACK, requester, now).code == "already"
