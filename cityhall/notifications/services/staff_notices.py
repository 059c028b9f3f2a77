"""Notices to city staff about events: work assigned to them, and a resident saying it is not fixed."""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.accounts.selectors import active_members_of_crew, active_person
from cityhall.requests.models import RequestEvent

from .. import rules
from ..models import Message, RecipientKind
from ..recipients import Recipient, staff_member, supervisors_of, unique
from .storing import message_store


def staff_notices_plan(event: RequestEvent) -> list[Message]:
    """Store the staff notices this event calls for (STAFF_RULES), once each."""
    rule = rules.STAFF_RULES.get((event.kind, event.action))
    if rule is None:
        return []
    if event.action == "assign":
        audience = _new_assignee(event)
    elif event.actor_role in rules.REPORTER_ROLES:  # a reopen by the resident: "it is not fixed"
        audience = unique(_previous_assignee(event) + supervisors_of(event.request))
    else:
        audience = []  # staff reopening a request know already
    stored = []
    for recipient in audience:
        stored += message_store(scope=f"event:{event.pk}", template=rule.template, recipient=recipient, event=event)
    return stored


def _new_assignee(event: RequestEvent) -> list[Recipient]:
    """The person it was assigned to; for a crew with nobody named to lead it, every member of the crew."""
    service_request = event.request
    # The event names the assignee and crew as text; a request reassigned since is about someone else now.
    if str(service_request.assignee or "") != (event.data.get("assignee") or ""):
        return []
    if str(service_request.crew or "") != (event.data.get("crew") or ""):
        return []
    if service_request.assignee is not None:
        people = [service_request.assignee]
    elif service_request.crew is not None:
        people = list(active_members_of_crew(service_request.crew.pk))
    else:
        people = []
    # Nobody is told of work they took themselves.
    return [staff_member(p, RecipientKind.ASSIGNEE) for p in people if p.is_active and p.pk != event.actor_id]


def _previous_assignee(event: RequestEvent) -> list[Recipient]:
    found = previous_assignee(event.data)
    return [staff_member(found, RecipientKind.ASSIGNEE)] if found is not None else []


def previous_assignee(data: dict[str, object]) -> User | None:
    """The last assignee, named by the reopen event (`previous_assignee_id`), if still active."""
    known_id = data.get("previous_assignee_id")
    if not isinstance(known_id, int):
        return None
    return active_person(known_id)
