"""Task wrappers: they take ids, run after commit, and are safe to run twice (see services/delivery.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone
from django_tasks import task

from cityhall.core import clock
from cityhall.requests.services import service_requests_anonymise_expired

from . import services
from .metrics import SLA_SWEEP_SECONDS
from .models import Message, MessageStatus

# Periodic tasks also pick up their own rows a killed run stored but never sent, up to this old.
PICK_UP_WINDOW = timedelta(days=1)
# A row still untried this long after it was stored has lost its task: a worker killed mid-task
# leaves that task marked running, and the queue never runs it again. Younger rows are left to
# the task that is about to send them (though sending is claimed, so meeting it would be harmless).
STRANDED_AFTER = timedelta(minutes=5)
# Requests whose messages are forgotten in one statement (a bound on the IN list).
FORGET_BATCH = 500


@task()
def notify_events(event_ids: list[int]) -> dict[str, int]:
    """Store the messages these events call for, then send each one not yet tried.

    A second run finds the same rows (unique idempotency keys) and claims none of them again.
    Rows already tried are left to their own retry task.
    """
    return _send_untried(services.messages_plan(event_ids))


@task()
def notify_application_events(event_ids: list[int]) -> dict[str, int]:
    """The applicant's messages of these application events: stored once, then each sent once (as notify_events)."""
    return _send_untried(services.application_messages_plan(event_ids))


@task()
def deliver_message(message_id: int) -> str:
    """One attempt at a message: a retry after a temporary failure, or a follow's confirmation."""
    return services.message_deliver(message_id, schedule_retry=schedule_retry)


@task()
def sweep_sla_deadlines() -> dict[str, int]:
    """Warn about requests at 75% of their SLA and overdue ones, once per request and threshold."""
    with SLA_SWEEP_SECONDS.time():
        now = clock.now()
        stored = services.sla_warnings_plan(services.sla_warnings_sweep(now))
        return _send_untried([*stored, *_stranded(["sla_warning", "sla_breach"], now)])


@task()
def send_daily_digests() -> dict[str, int]:
    """Residents' digests and staff summaries, once the day's hour has come; once per person and day."""
    now = clock.now()
    made = services.resident_digests_make(now) + services.staff_digests_make(now)
    return _send_untried([*made, *_stranded(["digest", "staff_digest"], now)])


@task()
def send_weekly_digests(week: str | None = None) -> dict[str, int]:
    """Each supervisor's weekly digest of their department, once Monday's hour has come; once per person and week.

    `week` (YYYY-MM-DD, any day of it) asks for that week instead of the latest one due (by hand:
    `cityhall weekly-digests --week`).
    """
    now = clock.now()
    made = services.weekly_digests_make(now, monday=date.fromisoformat(week) if week else None)
    return _send_untried([*made, *_stranded(["weekly_digest"], now)])


@task()
def send_stranded_messages() -> dict[str, int]:
    """Send, once, the rows of any kind that a killed task stored and never tried."""
    now = clock.now()
    return _send_untried(
        Message.objects.filter(
            status=MessageStatus.PENDING,
            attempts=0,
            created_at__gte=now - PICK_UP_WINDOW,
            created_at__lte=now - STRANDED_AFTER,
        ).order_by("pk")
    )


@task()
def anonymise_expired_requests() -> int:
    """Retention: closed requests past their city's period lose their reporters' details (the domain's
    service), and the outbox and follows forget the addresses on them. Idempotent: an anonymised
    request holds nothing personal, so a second run finds nothing to do."""
    anonymised = service_requests_anonymise_expired()
    for start in range(0, len(anonymised), FORGET_BATCH):
        services.addresses_forget(request_ids=anonymised[start : start + FORGET_BATCH])
    return len(anonymised)


@task()
def fail_stuck_messages() -> int:
    """Messages left in "sending" for over an hour become failed (visible in the admin)."""
    return services.stuck_messages_fail(clock.now())


def _stranded(templates: list[str], now: datetime) -> Iterable[Message]:
    """Rows of these kinds stored by an earlier run that died before sending them."""
    since = now - PICK_UP_WINDOW
    return Message.objects.filter(
        status=MessageStatus.PENDING, attempts=0, created_at__gte=since, template__in=templates
    )


def _send_untried(messages: Iterable[Message]) -> dict[str, int]:
    counts: dict[str, int] = {}
    seen: set[int] = set()
    for message in messages:
        if message.pk in seen:
            continue
        seen.add(message.pk)
        if message.status == MessageStatus.PENDING and message.attempts == 0:
            status = services.message_deliver(message.pk, schedule_retry=schedule_retry)
        else:
            status = message.status
        counts[status] = counts.get(status, 0) + 1
    return counts


def schedule_retry(message_id: int, wait: timedelta) -> None:
    retry = deliver_message
    # The database queue runs it after the wait (real time: the queue knows no other); a backend
    # without deferral (the immediate one, in tests) runs it at once.
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + wait)
    retry.enqueue(message_id)
