"""The events table read as a change feed, for the live streams (cityhall.live): the newest event id and
the events after one."""

from __future__ import annotations

from django.db.models import Max

from ..models import RequestEvent

# On PostgreSQL each transaction that writes events sends a NOTIFY on this channel when it commits
# (a trigger: migrations/0016_notify_on_events.py). It carries nothing; the table is the truth.
EVENTS_CHANNEL = "cityhall_events"


def latest_event_id() -> int:
    """The id of the newest event, 0 when there is none."""
    return RequestEvent.objects.aggregate(last=Max("id"))["last"] or 0


def events_after(after: int, *, limit: int) -> list[tuple[int, str, int | None, str, str, str]]:
    """The next `limit` events after this id, in id order, as (event id, request public id, department id,
    request status, from status, to status): what a live stream needs to tell who cares.
    """
    rows = RequestEvent.objects.filter(id__gt=after).order_by("id")
    fields = ("id", "request__public_id", "request__department_id", "request__status", "from_status", "to_status")
    return list(rows.values_list(*fields)[:limit])
