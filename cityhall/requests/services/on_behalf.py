"""A request logged by the 311 desk for a caller (phone, walk-in): the resident's form, plus who took it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from cityhall.catalogue.models import Service
from cityhall.core.errors import ValidationFailed

from .. import events, photos
from ..attributes import Raw
from ..models import Channel, ServiceRequest
from ..problems import Problem
from ..workflow import Action, Role, in_english
from .submit import Contact, Location, service_request_submit
from .transition import Change, service_request_transition

CALLER_CHANNELS = (Channel.PHONE, Channel.WALK_IN)


def service_request_log_for_caller(
    *,
    service: Service,
    location: Location,
    channel: Channel,
    contact: Contact,
    taken_by: events.Actor,
    description: str = "",
    attributes: Mapping[str, Raw] | None = None,
    photos_in: Sequence[photos.PhotoInput] = (),
) -> ServiceRequest:
    """Submit on a caller's behalf (the same rules as a resident's report) and note who took the call.

    The caller is the reporter: their contact details get the updates, never the agent's.
    """
    if channel not in CALLER_CHANNELS:
        raise ValidationFailed({"channel": Problem.CALLER_CHANNEL})
    if Role.AGENT not in taken_by.roles and Role.ADMIN not in taken_by.roles:
        raise ValidationFailed({"channel": "Only the 311 desk logs requests for callers."})
    with transaction.atomic():
        service_request = service_request_submit(
            service=service,
            location=location,
            description=description,
            attributes=attributes,
            contact=contact,
            channel=channel,
            photos_in=photos_in,
        )
        who = taken_by.user.name or taken_by.user.email if taken_by.user else taken_by.label
        note = f"Logged by {who} for a caller ({in_english(Channel(channel).label).lower()})."
        service_request_transition(
            service_request=service_request, action=Action.NOTE, actor=taken_by, change=Change(internal_note=note)
        )
    return service_request
