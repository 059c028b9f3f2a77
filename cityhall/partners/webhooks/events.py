"""The webhook event types, which request events become which, and the payload each carries.

Every payload is the Standard Webhooks envelope `{"type", "timestamp", "data"}`; a request's data
is what the JSON API shows of it (cityhall.partners.shapes): public fields, scrubbed text, never
the reporter. docs/webhooks.md lists the types with an example of each.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from django.db import models

from cityhall.applications.models import Application, ApplicationEvent
from cityhall.requests.selectors import PartnerEvent
from cityhall.requests.workflow import Status

from .. import shapes


class EventType(models.TextChoices):
    REQUEST_CREATED = "request.created", "Request created"
    STATUS_CHANGED = "request.status_changed", "Status changed"
    RESOLVED = "request.resolved", "Request resolved"
    COMMENTED = "request.commented", "Public comment"
    # Emitted by the devices app (webhook_event_publish) when a device raises an alarm.
    DEVICE_ALARM = "device.alarm", "Device alarm"
    # Applications for digital services (cityhall.applications): heard only by keys with the applications scope.
    APPLICATION_SUBMITTED = "application.submitted", "Application submitted"
    APPLICATION_INFO_REQUESTED = "application.info_requested", "Application: information requested"
    APPLICATION_APPROVED = "application.approved", "Application approved"
    APPLICATION_DENIED = "application.denied", "Application denied"
    APPLICATION_WITHDRAWN = "application.withdrawn", "Application withdrawn"
    APPLICATION_EXPIRED = "application.expired", "Application expired"


# Which request events a partner hears of, by the event's kind (cityhall.requests.models.RequestEvent.Kind).
KIND_TYPES = {"submitted": EventType.REQUEST_CREATED, "comment": EventType.COMMENTED}


def types_of(event: dict[str, Any]) -> list[EventType]:
    """The webhook types of one public request event: a change to "resolved" is a status change and a resolution."""
    if event["kind"] == "transition":
        if not event["to_status"] or event["to_status"] == event["from_status"]:
            return []  # an assignment or a note in the workflow, not a change a partner follows
        if event["to_status"] == Status.RESOLVED:
            return [EventType.STATUS_CHANGED, EventType.RESOLVED]
        return [EventType.STATUS_CHANGED]
    found = KIND_TYPES.get(event["kind"])
    return [found] if found else []


# Which application events a partner hears of, by the event's kind (ApplicationEvent.Kind).
APPLICATION_KIND_TYPES = {
    "submitted": EventType.APPLICATION_SUBMITTED,
    "info_requested": EventType.APPLICATION_INFO_REQUESTED,
    "approved": EventType.APPLICATION_APPROVED,
    "denied": EventType.APPLICATION_DENIED,
    "withdrawn": EventType.APPLICATION_WITHDRAWN,
    "expired": EventType.APPLICATION_EXPIRED,
}
APPLICATION_TYPES = frozenset(APPLICATION_KIND_TYPES.values())


def envelope(event_type: str, at: datetime, data: dict[str, Any]) -> bytes:
    """The body sent, byte for byte as signed (times in RFC 3339 with their offset)."""
    return orjson.dumps({"type": event_type, "timestamp": at, "data": data})


def request_data(found: PartnerEvent) -> dict[str, Any]:
    """A request event's data: the request as it stands and the timeline event (the JSON API's shapes)."""
    return {
        "request": shapes.request_body(found.request, found.jurisdiction_id),
        "event": shapes.event_body(found.event),
    }


def application_data(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    """An application event's data: the application as it stands and the event (the JSON API's shapes)."""
    return {"application": shapes.application_body(application), "event": shapes.application_event_body(event)}
