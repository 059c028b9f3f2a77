"""The sets of requests the reads beside this module start from: those whose SLA clock runs (for the
queues and notifications) and those anyone may list (for the public pages and partners)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ServiceRequest
from ..workflow import OPEN, Status

# "Open but not on hold": the statuses in which a request's SLA clock runs (a hold pauses it), defined
# once for the queues, the SLA board and the notifications' digests and planning.
ACTIVE: tuple[Status, ...] = tuple(status for status in OPEN if status is not Status.ON_HOLD)


def active_requests() -> QuerySet[ServiceRequest]:
    """Requests that are open and not on hold."""
    return ServiceRequest.objects.filter(status__in=ACTIVE)


def public_requests() -> QuerySet[ServiceRequest]:
    """Requests anyone may list: never those of private categories."""
    return ServiceRequest.objects.filter(service__is_private=False)
