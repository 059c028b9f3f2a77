"""Task wrappers: they take ids, run after commit, and are safe to run twice (see delivery.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import delivery, planning
from .models import MessageStatus


@task()
def notify_events(event_ids: list[int]) -> dict[str, int]:
    """Store the messages these events call for, then send each one not yet tried.

    A second run finds the same rows (unique idempotency keys) and claims none of them again.
    Rows already tried are left to their own retry task.
    """
    counts: dict[str, int] = {}
    for message in planning.plan_messages(event_ids):
        if message.status == MessageStatus.PENDING and message.attempts == 0:
            status = delivery.deliver(message.pk, schedule_retry=schedule_retry)
        else:
            status = message.status
        counts[status] = counts.get(status, 0) + 1
    return counts


@task()
def deliver_message(message_id: int) -> str:
    """One more attempt at a message that failed for a temporary reason."""
    return delivery.deliver(message_id, schedule_retry=schedule_retry)


def schedule_retry(message_id: int, wait: timedelta) -> None:
    retry = deliver_message
    # The database queue runs it after the wait (real time: the queue knows no other); a backend
    # without deferral (the immediate one, in tests) runs it at once.
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + wait)
    retry.enqueue(message_id)
