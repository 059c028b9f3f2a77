"""Every status × action × person: allowed and applied, or refused with nothing changed.

The application is a public-tree application (one step, Public Works staff) put in each status; each
person is what they are to it (access.roles_for) and to its step (access.step_roles).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.forms.models import model_to_dict

from cityhall.accounts.roles import Role
from cityhall.applications import services
from cityhall.applications.access import actor_for, step_roles
from cityhall.applications.available import available_actions
from cityhall.applications.events import SYSTEM, Actor
from cityhall.applications.models import Application, ApplicationEvent, ApplicationStep, Status
from cityhall.applications.workflow import (
    STATUSES,
    STEP_ACTIONS,
    TRANSITIONS,
    Action,
    allowed_actions,
    may,
)
from cityhall.core import clock
from cityhall.core.errors import TransitionRefused, ValidationFailed

from .builders import steps, submitted

pytestmark = pytest.mark.django_db

# The applicant's signature has its own service and tests (test_applying); here every other action.
TABLE_ACTIONS = [action for action in Action if action is not Action.SUBMIT]
PEOPLE = ["resident", "staff", "supervisor", "crew", "other_staff", "agent", "admin", "system", "public"]


def put_in_status(application: Application, status: Status) -> Application:
    """The status as the table sees it; an information request asked long enough ago to expire."""
    asked = clock.now() - timedelta(days=31) if status is Status.INFO_REQUESTED else None
    Application.objects.filter(pk=application.pk).update(status=status, info_requested_at=asked)
    return Application.objects.get(pk=application.pk)


def who(key: str, people, application: Application) -> Actor:
    if key == "system":
        return SYSTEM
    if key == "public":
        return Actor(user=None, roles=frozenset({Role.PUBLIC}))
    return actor_for(people[key], application)


def act(application: Application, action: Action, actor: Actor, step: ApplicationStep):
    words = {"conditions": "Keep the nest.", "reason": "Healthy tree.", "question": "Which branch?"}
    if action in STEP_ACTIONS:
        return services.application_step_decide(application, step, action=action, actor=actor, **words)
    if action is Action.RESPOND:
        return services.application_respond(application, actor=actor, answer="The low one.")
    if action is Action.WITHDRAW:
        return services.application_withdraw(application, actor=actor)
    if action is Action.EXPIRE:
        return services.application_expire(application, actor=actor)
    return services.application_note(application, actor=actor, note="Called the applicant.")


@pytest.mark.parametrize(
    ("status", "action", "key"),
    list(itertools.product([s for s in Status if s is not Status.DRAFT], TABLE_ACTIONS, PEOPLE)),
    ids=str,
)
def test_every_status_action_person(status, action, key, digital_services, people):
    application = put_in_status(submitted(digital_services["public-tree"], people["resident"]), status)
    step = steps(application)[0]
    actor = who(key, people, application)
    roles = step_roles(actor.user, step) if action in STEP_ACTIONS else actor.roles
    before = model_to_dict(application)
    steps_before = [model_to_dict(row) for row in steps(application)]
    events_before = ApplicationEvent.objects.filter(application=application).count()

    if may(status, action, roles):
        act(application, action, actor, step)
        application.refresh_from_db()
        rule = TRANSITIONS[(status, action)]
        # One step: approving it ends the review.
        assert application.status == (rule.may_end if rule.may_end is not None else rule.target or status)
        assert ApplicationEvent.objects.filter(application=application).count() > events_before
    else:
        with pytest.raises((TransitionRefused, ValidationFailed)):
            act(application, action, actor, step)
        assert model_to_dict(Application.objects.get(pk=application.pk)) == before
        assert [model_to_dict(row) for row in steps(application)] == steps_before
        assert ApplicationEvent.objects.filter(application=application).count() == events_before


def test_a_draft_is_the_applicants_alone(digital_services, people):
    """Nothing but signing moves a draft, and nobody else may sign it."""
    draft = services.application_start(digital_services["public-tree"], applicant=people["resident"])
    for key in PEOPLE:
        assert available_actions(draft, who(key, people, draft), clock.now()) == (
            [Action.SUBMIT] if key == "resident" else []
        )


def test_the_table_offers_what_the_services_take(digital_services, people):
    application = submitted(digital_services["public-tree"], people["resident"])
    step = steps(application)[0]
    now = clock.now()
    assert available_actions(application, who("resident", people, application), now) == [Action.WITHDRAW]
    assert available_actions(application, who("staff", people, application), now) == [Action.NOTE]
    assert available_actions(application, who("staff", people, application), now, step=step) == [
        Action.APPROVE,
        Action.APPROVE_WITH_CONDITIONS,
        Action.DENY,
        Action.ASK_INFO,
    ]
    for key in ("crew", "other_staff", "agent", "admin", "resident"):
        assert available_actions(application, who(key, people, application), now, step=step) == []


def test_every_status_has_words_and_someone_can_leave_each_undecided_one():
    assert set(STATUSES) == set(Status)
    for status in (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.INFO_REQUESTED):
        assert any(rule.target not in (None, status) for (source, _), rule in TRANSITIONS.items() if source is status)
    assert allowed_actions(Status.APPROVED, {Role.APPLICANT, Role.ADMIN, Role.AGENT}) == []
    assert allowed_actions(Status.INFO_REQUESTED, {Role.APPLICANT}) == [Action.RESPOND, Action.WITHDRAW]
