"""Triage in one step: recategorise, set the priority, then route, merge, refer or reject — all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction

from cityhall.catalogue.models import Department, Service
from cityhall.core.errors import ValidationFailed

from .. import events
from ..attributes import Raw
from ..models import RequestEvent, ServiceRequest
from ..workflow import Action, Resolution
from .priority import service_request_set_priority
from .transition import Change, service_request_transition


class Outcome(StrEnum):
    ROUTE = "route"  # to a department's queue
    DUPLICATE = "duplicate"  # of an earlier request: its reporter follows that one
    REFER = "refer"  # another agency's job: who, a link, a note to the resident
    REJECT = "reject"  # not actionable, with a reason the resident reads


@dataclass(frozen=True)
class Triage:
    """One triage decision. `service` different from the request's recategorises it first."""

    outcome: Outcome
    service: Service | None = None
    attributes: Mapping[str, Raw] = field(default_factory=dict)
    priority: int | None = None
    department: Department | None = None
    duplicate_of: ServiceRequest | None = None
    referred_to: str = ""
    referral_url: str = ""
    public_note: str = ""
    reason: str = ""


def service_request_triage(
    *, service_request: ServiceRequest, actor: events.Actor, triage: Triage
) -> list[RequestEvent]:
    """Apply a triage decision in one transaction; a refusal of any part changes nothing.

    Each part goes through the workflow table (service_request_transition), so the roles and needs
    checked are the same as when the parts are taken one by one.
    """
    written: list[RequestEvent] = []
    with transaction.atomic():
        if triage.service is not None and triage.service.pk != service_request.service_id:
            change = Change(service=triage.service, attributes=triage.attributes)
            written.append(
                service_request_transition(
                    service_request=service_request, action=Action.RECATEGORISE, actor=actor, change=change
                )
            )
        if triage.priority is not None:
            event = service_request_set_priority(service_request=service_request, priority=triage.priority, actor=actor)
            written += [event] if event else []
        action, change = _decision(triage)
        written.append(
            service_request_transition(service_request=service_request, action=action, actor=actor, change=change)
        )
    return written


def _decision(triage: Triage) -> tuple[Action, Change]:
    match triage.outcome:
        case Outcome.ROUTE:
            return Action.ROUTE, Change(department=triage.department, internal_note=triage.reason)
        case Outcome.DUPLICATE:
            return Action.RESOLVE, Change(
                resolution=Resolution.DUPLICATE, duplicate_of=triage.duplicate_of, public_note=triage.public_note
            )
        case Outcome.REFER:
            return Action.RESOLVE, Change(
                resolution=Resolution.REFERRED,
                referred_to=triage.referred_to,
                referral_url=triage.referral_url,
                public_note=triage.public_note,
            )
        case Outcome.REJECT:
            return Action.RESOLVE, Change(
                resolution=Resolution.NO_ACTION, reason=triage.reason, public_note=triage.public_note
            )
    raise ValidationFailed({"outcome": "Choose what to do with the request."})
