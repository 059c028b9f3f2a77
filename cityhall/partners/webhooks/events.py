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


def envelope(event_type: str, at: datetime, data: dict[str, Any]) -> bytes:
    """The body sent, byte for byte as signed (times in RFC 3339 with their offset)."""
    return orjson.dumps({"type": event_type, "timestamp": at, "data": data})


def request_data(found: PartnerEvent) -> dict[str, Any]:
    """A request event's data: the request as it stands and the timeline event (the JSON API's shapes)."""
    return {
        "request": shapes.request_body(found.request, found.jurisdiction_id),
        "event": shapes.event_body(found.event),
    }
