"""Periodic upkeep: close resolved requests whose requester never answered."""

from __future__ import annotations

from datetime import timedelta

from cityhall.catalogue import selectors as catalogue
from cityhall.core import clock

from .. import events
from ..models import ServiceRequest
from ..workflow import Action, Status
from .transition import Change, service_request_transition


def service_requests_auto_close() -> int:
    """Close requests resolved more than the jurisdiction's `auto_close_days` ago. Returns how many."""
    closed = 0
    now = clock.now()
    for jurisdiction in catalogue.jurisdictions():
        cutoff = now - timedelta(days=jurisdiction.auto_close_days)
        due = ServiceRequest.objects.filter(jurisdiction=jurisdiction, status=Status.RESOLVED, resolved_at__lt=cutoff)
        for service_request in due.only("pk").iterator(chunk_size=500):
            service_request_transition(
                service_request=service_request,
                action=Action.CLOSE,
                actor=events.SYSTEM,
                change=Change(
                    public_note=f"Closed automatically: no reply within {jurisdiction.auto_close_days} days."
                ),
            )
            closed += 1
    return closed
