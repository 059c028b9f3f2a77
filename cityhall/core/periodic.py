"""Periodic housekeeping: which tasks run how often. The serve loop enqueues them; the worker runs them.

Several machines may each run `cityhall serve`: a task is enqueued once per period among them all,
not once per machine. Each process offers when the period has passed since the last enqueue it
knows of; a conditional UPDATE of the task's row (`enqueued_at` older than one period) decides,
and only the process whose UPDATE changed the row enqueues — in the same transaction, so a claim
without its task is never committed. On PostgreSQL a second UPDATE of the row waits for the first
to commit and then finds the condition false; SQLite runs one write at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from . import clock
from .models import PeriodicRun

# One line per decision (at most one per task and period on each machine), so an operator can see
# which machine enqueued each run and that the others stood back.
logger = logging.getLogger("cityhall.periodic")


@dataclass(frozen=True)
class Periodic:
    task: str  # dotted path of a django-tasks Task
    every_seconds: int
    only_if: str = ""  # the name of a boolean setting that turns it on (the demo's simulator)


SCHEDULE = [
    Periodic("cityhall.requests.tasks.auto_close_resolved_requests", 15 * 60),
    Periodic("cityhall.notifications.tasks.sweep_sla_deadlines", 5 * 60),
    Periodic("cityhall.notifications.tasks.send_daily_digests", 15 * 60),
    # Weekly: each run sends the digests of the latest week due (Monday at the digest hour), once.
    Periodic("cityhall.notifications.tasks.send_weekly_digests", 15 * 60),
    Periodic("cityhall.notifications.tasks.send_stranded_messages", 5 * 60),
    Periodic("cityhall.notifications.tasks.fail_stuck_messages", 15 * 60),
    Periodic("cityhall.notifications.tasks.anonymise_expired_requests", 60 * 60),
    Periodic("cityhall.partners.tasks.sweep_idempotency_keys", 60 * 60),
    # Webhook retries wait 1 minute at least (partners/webhooks/services.backoff).
    Periodic("cityhall.partners.tasks.sweep_webhook_deliveries", 60),
    # Hourly, but each day's snapshot is written once: the first run after midnight writes it.
    Periodic("cityhall.opendata.tasks.write_nightly_snapshots", 60 * 60),
    Periodic("cityhall.dashboards.tasks.catch_up_rollups", 60),
    Periodic("cityhall.core.tasks.prune_finished_tasks", 60 * 60),
    # Applications whose information request went unanswered for bounds.INFO_RESPONSE_DAYS.
    Periodic("cityhall.applications.tasks.expire_unanswered_applications", 60 * 60),
    Periodic("cityhall.applications.tasks.issue_missing_decision_documents", 15 * 60),
    Periodic("cityhall.devices.tasks.sweep_measurements", 60 * 60),
    Periodic("cityhall.devices.tasks.raise_offline_devices", 5 * 60),
    # The demo's devices (`make run`): a reading every few seconds, so a bin fills up live.
    Periodic("cityhall.devices.tasks.simulate_demo_devices", 5, only_if="CITYHALL_DEVICE_SIMULATOR"),
]

NEVER = datetime(2000, 1, 1, tzinfo=UTC)
# The last enqueue this process knows of (its own, or another's it found): it asks the database
# only once a period has passed since then, not every turn of the serve loop.
_known: dict[str, datetime] = {}


def enqueue_due() -> list[str]:
    """Enqueue each task whose period has passed since any process last enqueued it; returns those this one did."""
    enqueued = []
    moment = clock.now()
    for entry in SCHEDULE:
        if entry.only_if and not getattr(settings, entry.only_if, False):
            continue
        due = moment - timedelta(seconds=entry.every_seconds)
        if _known.get(entry.task, NEVER) > due:
            continue
        PeriodicRun.objects.get_or_create(task=entry.task, defaults={"enqueued_at": NEVER})
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(task=entry.task, enqueued_at__lte=due).update(enqueued_at=moment)
            if claimed:
                import_string(entry.task).enqueue()
                enqueued.append(entry.task)
        _known[entry.task] = moment if claimed else PeriodicRun.objects.get(task=entry.task).enqueued_at
        if claimed:
            logger.info("periodic task %s enqueued", entry.task, extra={"task": entry.task, "enqueued_here": True})
        else:
            logger.info(
                "periodic task %s already enqueued by another process at %s",
                entry.task,
                f"{_known[entry.task]:%H:%M:%S}",
                extra={"task": entry.task, "enqueued_here": False},
            )
    return enqueued
