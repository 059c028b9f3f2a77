"""Writers of timeline rows, called inside the caller's transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from cityhall.accounts.models import User
from cityhall.core.bulk import insert_instances

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


log = logging.getLogger(__name__)

# The application acting by itself (routing on submit, auto-close): it acts for the city, so a message that
# names who acted says "the city", never the software's name. Pages name it from `actor_role` instead.
SYSTEM = Actor(user=None, roles=frozenset({Role.SYSTEM}), label="the city")

# Sent once the transaction that wrote events has committed, with `event_ids` (in order), `request_ids`
# (the requests they belong to, each once), `at` (the moment they were recorded) and `news` (whether
# they were news when recorded: is_news). Interfaces above the domain (notifications, webhooks, the
# dashboards, open data) listen to it, so the domain never imports them; a rolled-back transaction
# sends nothing. It is sent by the task `announce_events` (tasks.py), queued in the same transaction
# as the events (see record_all).
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
    written = [_event(service_request, actor, draft, at) for actor, draft in drafts]
    insert_instances(written)  # bulk_create's INSERT, written once (core/bulk.py)
    _announce([event.pk for event in written], [service_request.pk], at)
    return written


def _announce(event_ids: list[int], request_ids: list[int], at: datetime) -> None:
    """Have `events_committed` sent for these events once their transaction commits: by one task.

    Each listener used to queue a task of its own after the commit: four INSERTs into the task table
    after every change, each a write of its own, about a third of an Open311 POST on SQLite. One task
    now carries the events, and the worker sends the signal, so the listeners queue theirs there.
    The task row is written in the events' own transaction: it commits with them or not at all, so
    no crash between the commit and the enqueue can lose it. On any other queue than the database
    (the tests' immediate one, the benches' dummy one) a task could run or vanish before the commit,
    so the signal is sent in this process once the transaction commits, as it always was.
    """
    from .tasks import announce_events  # the tasks module imports the services, which import this one

    news = is_news(at, timezone.now())
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        announce_events.enqueue(event_ids, request_ids, at.isoformat(), news)
    else:
        # robust: the change is already committed when this runs, so a listener's failure is logged
        # rather than turned into an error for the person who made the change.
        transaction.on_commit(lambda: send_committed(event_ids, request_ids, at, news), robust=True)


def send_committed(event_ids: list[int], request_ids: list[int], at: datetime, news: bool) -> None:
    """Tell the listeners about committed events; one listener's failure does not keep them from the others."""
    answers = events_committed.send_robust(
        sender=RequestEvent, event_ids=event_ids, request_ids=request_ids, at=at, news=news
    )
    for receiver, answer in answers:
        if isinstance(answer, Exception):
            log.error("%s failed on events %s", receiver, event_ids, exc_info=answer)


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
