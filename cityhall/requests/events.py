"""Writers of timeline rows, called inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from cityhall.accounts.models import User

from .models import RequestEvent, ServiceRequest
from .workflow import Role


@dataclass(frozen=True)
class Actor:
    """Who is acting, and what they are to the request (roles come from access.py)."""

    user: User | None
    roles: frozenset[Role]
    label: str = ""

    @property
    def main_role(self) -> str:
        ranked = (
            Role.ADMIN,
            Role.SUPERVISOR,
            Role.AGENT,
            Role.STAFF,
            Role.CREW,
            Role.PARTNER,
            Role.REQUESTER,
            Role.SYSTEM,
        )
        for role in ranked:
            if role in self.roles:
                return role.value
        return Role.PUBLIC.value


SYSTEM = Actor(user=None, roles=frozenset({Role.SYSTEM}), label="CityHall")

# Sent once the transaction that wrote events has committed, with `event_ids` (in order), `request_ids`
# (the requests they belong to, each once) and `at` (the moment they were recorded). Interfaces above
# the domain (notifications) listen to it, so the domain never imports them; a rolled-back transaction
# sends nothing.
events_committed = Signal()

# Events recorded further in the past than this are history being written (the demo's believable
# month, a simulation), not news: listeners tell nobody about them (no message, no webhook).
NEWS_WINDOW = timedelta(hours=1)


def is_news(at: datetime, now: datetime) -> bool:
    """Whether events recorded `at` are news at `now` (see NEWS_WINDOW)."""
    return now - at <= NEWS_WINDOW


@dataclass
class EventDraft:
    kind: str
    action: str = ""
    from_status: str = ""
    to_status: str = ""
    public_note: str = ""
    internal_note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def record(service_request: ServiceRequest, actor: Actor, draft: EventDraft, *, at: datetime) -> RequestEvent:
    return record_all(service_request, [(actor, draft)], at=at)[0]


def record_all(
    service_request: ServiceRequest, drafts: list[tuple[Actor, EventDraft]], *, at: datetime
) -> list[RequestEvent]:
    """Several events of one moment in one INSERT, in order; each comes back with its id."""
    written = RequestEvent.objects.bulk_create([_event(service_request, actor, draft, at) for actor, draft in drafts])
    event_ids = [event.pk for event in written]
    request_ids = [service_request.pk]
    # robust: the request is already committed when this runs, so a listener's failure is logged
    # rather than turned into an error for the person who made the change.
    transaction.on_commit(
        lambda: events_committed.send(sender=RequestEvent, event_ids=event_ids, request_ids=request_ids, at=at),
        robust=True,
    )
    return written


def _event(service_request: ServiceRequest, actor: Actor, draft: EventDraft, at: datetime) -> RequestEvent:
    return RequestEvent(
        request=service_request,
        created_at=at,
        kind=draft.kind,
        action=draft.action,
        actor=actor.user,
        actor_role=actor.main_role,
        from_status=draft.from_status,
        to_status=draft.to_status,
        public_note=draft.public_note,
        internal_note=draft.internal_note,
        data=draft.data,
    )
