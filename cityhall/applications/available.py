"""What a person may do to one application (or one of its steps) now, and why not: one answer for all.

The table (workflow.py) says which roles may take an action in a status; a step action also needs an
open step the actor owns (`access.step_roles`) and, to approve or deny, a second factor: the decision
is signed with the decider's own certificate (cityhall.documents). Expiry needs the question to have
waited `bounds.INFO_RESPONSE_DAYS`. The services raise what `action_refusal` returns and the pages
render `available_actions`, so a page never offers what a service would refuse.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.mfa.utils import is_mfa_enabled

from cityhall.core.errors import TransitionRefused

from . import bounds
from .access import step_roles
from .events import Actor
from .models import Application, ApplicationStep, Status, StepStatus
from .problems import Problem
from .workflow import STEP_ACTIONS, Action, Need, Transition, transition_for


def available_actions(
    application: Application, actor: Actor, now: datetime, *, step: ApplicationStep | None = None
) -> list[Action]:
    """The application's actions this actor may take (step=None), or those on this step, in the table's order."""
    return [
        action
        for action in Action
        if (action in STEP_ACTIONS) == (step is not None)
        and action_refusal(application, action, actor, now, step=step) is None
    ]


def action_refusal(
    application: Application, action: Action, actor: Actor, now: datetime, *, step: ApplicationStep | None = None
) -> TransitionRefused | None:
    """Why this actor may not take this action now (None: they may). The services raise it as it is."""
    rule = transition_for(Status(application.status), action)
    if rule is None:
        return TransitionRefused(Problem.NOT_NOW, code="status")
    if action in STEP_ACTIONS:
        return _step_refusal(application, rule, actor, step)
    if rule.roles.isdisjoint(actor.roles):
        return TransitionRefused(Problem.FORBIDDEN, code="forbidden")
    if Need.WAITED in rule.needs:
        asked = application.info_requested_at
        if asked is None or now - asked < timedelta(days=bounds.INFO_RESPONSE_DAYS):
            return TransitionRefused(Problem.NOT_YET_EXPIRED, code="not_yet")
    return None


def _step_refusal(
    application: Application, rule: Transition, actor: Actor, step: ApplicationStep | None
) -> TransitionRefused | None:
    if step is None or step.application_id != application.pk:
        return TransitionRefused(Problem.NO_STEP, code="no_step")
    if rule.roles.isdisjoint(step_roles(actor.user, step)):
        return TransitionRefused(Problem.NOT_YOUR_STEP, code="forbidden")
    if step.status != StepStatus.OPEN:
        return TransitionRefused(Problem.STEP_NOT_OPEN, code="step_not_open")
    if Need.SECOND_FACTOR in rule.needs and (actor.user is None or not is_mfa_enabled(actor.user)):
        return TransitionRefused(Problem.NO_SECOND_FACTOR, code="no_second_factor")
    return None
