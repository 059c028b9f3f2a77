"""Setting a request's priority: a desk or department decision, recorded on the internal timeline."""

from __future__ import annotations

from django.db import transaction

from cityhall.core import clock
from cityhall.core.errors import TransitionRefused, ValidationFailed

from .. import events
from ..models import Priority, RequestEvent, ServiceRequest
from ..problems import Problem
from ..workflow import DEPARTMENT, DESK, OPEN, Status, in_english

# Priority is not a status change, so it is not in the workflow table: whoever may route or
# assign an open request may also say how urgent it is.
MAY_SET_PRIORITY = DESK | DEPARTMENT


def service_request_set_priority(
    *, service_request: ServiceRequest, priority: int, actor: events.Actor
) -> RequestEvent | None:
    """Set the priority of an open request; None when it already had it. Writes an internal event."""
    if priority not in Priority.values:
        raise ValidationFailed({"priority": Problem.PRIORITY})
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        if Status(locked.status) not in OPEN:
            raise TransitionRefused(Problem.PRIORITY_FINISHED)
        if MAY_SET_PRIORITY.isdisjoint(actor.roles):
            raise TransitionRefused(Problem.PRIORITY_FORBIDDEN, code="forbidden")
        if locked.priority == priority:
            return None
        now = clock.now()
        previous = Priority(locked.priority)
        locked.priority, locked.updated_at = priority, now
        locked.save(update_fields=["priority", "updated_at"])
        event = events.record(
            locked,
            actor,
            events.EventDraft(
                kind=RequestEvent.Kind.NOTE,
                action="priority",
                internal_note=f"Priority: {in_english(previous.label)} → {in_english(Priority(priority).label)}",
                data={"priority": priority, "previous_priority": previous.value},
            ),
            at=now,
        )
    service_request.refresh_from_db()
    return event
