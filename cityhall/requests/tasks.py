"""Thin task wrappers: they take ids (or nothing), call services, and are safe to run twice."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .events import send_committed
from .services import service_requests_auto_close


@task()
def announce_events(event_ids: list[int], request_ids: list[int], at: str, news: bool) -> None:
    """Send `events_committed` for events whose transaction committed (events.record_all queues it).

    The listeners queue their own work from here (messages, webhooks, the figures' upkeep), each at its
    priority. Safe to run twice: each of those is (an outbox row per message and cause, refreshes).
    """
    send_committed(event_ids, request_ids, datetime.fromisoformat(at), news)


@task()
def auto_close_resolved_requests() -> int:
    """Idempotent: a request closed by a first run is no longer 'resolved' for a second."""
    return service_requests_auto_close()
