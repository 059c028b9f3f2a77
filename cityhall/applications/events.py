"""The application's timeline: one row per change, written inside the caller's transaction.

`application_events_committed` is sent once the transaction that wrote events has committed, with
`event_ids` (in order), `application_ids` (each once) and `at`; notifications, live pages and webhooks
may listen to it, so the domain never imports them. A rolled-back transaction sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from cityhall.accounts.models import User
from cityhall.accounts.roles import Role

from .models import Application, ApplicationEvent, ApplicationStep

application_events_committed = Signal()


@dataclass(frozen=True)
class Actor:
    """Who is acting, and what they are to the application (access.roles_for). Step roles are judged per step."""

    user: User | None
    roles: frozenset[Role]


SYSTEM = Actor(user=None, roles=frozenset({Role.SYSTEM}))


@dataclass
class EventDraft:
    kind: ApplicationEvent.Kind
    status_from: str = ""
    status_to: str = ""
    step: ApplicationStep | None = None
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def record(
    application: Application,
    kind: ApplicationEvent.Kind,
    *,
    actor: User | None,
    at: datetime,
    status_from: str = "",
    status_to: str = "",
    step: ApplicationStep | None = None,
    text: str = "",
    data: dict[str, Any] | None = None,
) -> ApplicationEvent:
    draft = EventDraft(kind, status_from, status_to, step, text, data or {})
    return record_all(application, [draft], actor=actor, at=at)[0]


def record_all(
    application: Application, drafts: list[EventDraft], *, actor: User | None, at: datetime
) -> list[ApplicationEvent]:
    """Several events of one moment, in order, each with its id; the signal follows the commit."""
    written = [
        ApplicationEvent.objects.create(
            application=application,
            kind=draft.kind,
            actor=actor,
            at=at,
            status_from=draft.status_from,
            status_to=draft.status_to,
            channel=application.channel,
            step=draft.step,
            text=draft.text,
            data=draft.data,
        )
        for draft in drafts
    ]
    event_ids = [event.pk for event in written]
    application_ids = [application.pk]
    transaction.on_commit(
        lambda: application_events_committed.send(
            sender=ApplicationEvent, event_ids=event_ids, application_ids=application_ids, at=at
        ),
        robust=True,
    )
    return written
