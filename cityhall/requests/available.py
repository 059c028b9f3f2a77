"""What a person may do to one request now, and why not: one answer for the pages and the services.

The workflow table says which roles may take an action in a status; some rules also need the request's
dates or history: the reopen window (past it, only supervisors and admins reopen) and the requester's
one rating after the city resolved the request. `action_refusal` decides all of them; the services
raise what it returns, and the pages render `available_actions` (Wagtail's `get_actions`), so a page
never offers what the service would refuse.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cityhall.core.errors import TransitionRefused

from .events import Actor
from .models import Feedback, ServiceRequest
from .workflow import Action, Role, Status, status_name, transition_for

# Closing for good is the city's verified decision; a supervisor or admin may still undo it later.
WINDOW_EXEMPT = frozenset({Role.SUPERVISOR, Role.ADMIN})


def available_actions(service_request: ServiceRequest, actor: Actor, now: datetime) -> list[Action]:
    """Every action this actor may take on this request at `now`, in the table's order."""
    return [action for action in Action if action_refusal(service_request, action, actor, now) is None]


def action_refusal(
    service_request: ServiceRequest, action: Action, actor: Actor, now: datetime
) -> TransitionRefused | None:
    """Why this actor may not take this action now (None: they may). The services raise it as it is."""
    if action is Action.FEEDBACK:
        return _feedback_refusal(service_request, actor)
    status = Status(service_request.status)
    rule = transition_for(status, action)
    if rule is None:
        return not_in_status(status, action)
    if rule.roles.isdisjoint(actor.roles):
        return TransitionRefused(f"You may not {action} this request.", code="forbidden")
    if action is Action.REOPEN and not reopen_window_open(service_request, actor, now):
        days = service_request.jurisdiction.reopen_window_days
        return TransitionRefused(
            f"This request was resolved more than {days} days ago; please report it again.", code="window"
        )
    return None


def not_in_status(status: Status, action: Action) -> TransitionRefused:
    return TransitionRefused(f"A request that is “{status_name(status)}” cannot be given the action “{action}”.")


def reopen_window_open(service_request: ServiceRequest, actor: Actor, now: datetime) -> bool:
    """Within the city's reopen window of when it was resolved (or closed), or exempt from it."""
    if not WINDOW_EXEMPT.isdisjoint(actor.roles):
        return True
    done_at = service_request.resolved_at or service_request.closed_at
    window = timedelta(days=service_request.jurisdiction.reopen_window_days)
    return done_at is None or now - done_at <= window


def _feedback_refusal(service_request: ServiceRequest, actor: Actor) -> TransitionRefused | None:
    """The requester rates once, after the city resolved it at least once (whatever the status now)."""
    if Role.REQUESTER not in actor.roles:
        return TransitionRefused("Only the person who reported this request may rate it.", code="forbidden")
    if not service_request.events.filter(action=Action.RESOLVE.value).exists():
        return TransitionRefused("This request has not been resolved yet.", code="not_resolved")
    if Feedback.objects.filter(request=service_request).exists():
        return TransitionRefused("Feedback on this request was already given.", code="already")
    return None
