"""Every status × action × role: allowed and applied, or refused with nothing changed."""

from __future__ import annotations

import itertools

import pytest
from django.forms.models import model_to_dict

from cityhall.core.errors import TransitionRefused, ValidationFailed
from cityhall.requests import services
from cityhall.requests.models import RequestEvent, ServiceRequest
from cityhall.requests.workflow import (
    STATUSES,
    TRANSITIONS,
    Action,
    Resolution,
    Role,
    Status,
    allowed_actions,
    fms_status,
    may,
)

from .builders import actor, put_in_status, submit

# Actions with their own service function are checked in test_services; here the table's transitions.
TABLE_ACTIONS = [a for a in Action if a is not Action.SUPPORT]
ROLES = [r for r in Role]


def change_for(action: Action, people, public_works, service) -> services.Change:
    """Everything an action could need, so only the table decides allowed or refused."""
    return services.Change(
        public_note="Done, thanks.",
        internal_note="Crew note",
        reason="Because",
        department=public_works,
        assignee=people["crew"],
        resolution=Resolution.FIXED if action is Action.RESOLVE else None,
        service=service("trip-hazards"),
        photos=[],
    )


@pytest.mark.parametrize(("status", "action", "role"), list(itertools.product(Status, TABLE_ACTIONS, ROLES)))
def test_every_status_action_role(status, action, role, people, public_works, service):
    # A category with no required completion photo, so RESOLVE needs only what the table names.
    request = submit(service("other-streets-and-sidewalks"))
    request = put_in_status(request, status, department=public_works, assignee=people["crew"])
    before = model_to_dict(ServiceRequest.objects.get(pk=request.pk))
    events_before = RequestEvent.objects.filter(request=request).count()
    change = change_for(action, people, public_works, service)

    if may(status, action, {role}):
        event = services.service_request_transition(
            service_request=request, action=action, actor=actor(people["admin"], role), change=change
        )
        rule = TRANSITIONS[(status, action)]
        request.refresh_from_db()
        expected = rule.target
        if action is Action.REOPEN and request.department_id is None:
            expected = Status.SUBMITTED
        assert request.status == (expected or status)
        assert event.action == action.value
        assert RequestEvent.objects.filter(request=request).count() == events_before + 1
    else:
        with pytest.raises((TransitionRefused, ValidationFailed)):
            services.service_request_transition(
                service_request=request, action=action, actor=actor(people["admin"], role), change=change
            )
        assert model_to_dict(ServiceRequest.objects.get(pk=request.pk)) == before
        assert RequestEvent.objects.filter(request=request).count() == events_before


def test_table_covers_every_status_with_an_open311_value_and_fms_status():
    for info in STATUSES.values():
        assert info.open311 in ("open", "closed")
        assert info.fms.isupper()
    assert fms_status(Status.RESOLVED, Resolution.DUPLICATE) == "DUPLICATE"
    assert fms_status(Status.CLOSED, Resolution.FIXED) == "FIXED"
    assert fms_status(Status.ON_HOLD, None) == "INVESTIGATING"


def test_allowed_actions_follow_the_table():
    assert allowed_actions(Status.RESOLVED, {Role.REQUESTER}) == [Action.CONFIRM, Action.REOPEN]
    assert Action.RESOLVE not in allowed_actions(Status.ROUTED, {Role.PUBLIC, Role.REQUESTER})
    assert allowed_actions(Status.CLOSED, {Role.PUBLIC}) == []
    # every non-terminal status can be left by someone
    for status in Status:
        assert any(rule.target not in (None, status) for (source, _), rule in TRANSITIONS.items() if source is status)
