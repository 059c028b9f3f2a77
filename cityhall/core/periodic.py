"""Periodic housekeeping: which tasks run how often. The serve loop enqueues them; the worker runs them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


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
    Periodic("cityhall.devices.tasks.sweep_measurements", 60 * 60),
    Periodic("cityhall.devices.tasks.raise_offline_devices", 5 * 60),
    # The demo's devices (`make run`): a reading every few seconds, so a bin fills up live.
    Periodic("cityhall.devices.tasks.simulate_demo_devices", 5, only_if="CITYHALL_DEVICE_SIMULATOR"),
]

_last_run: dict[str, float] = {}


def enqueue_due(clock: Callable[[], float] = time.monotonic) -> list[str]:
    """Enqueue each task whose period has elapsed since it was last enqueued by this process."""
    enqueued = []
    moment = clock()
    for entry in SCHEDULE:
        if entry.only_if and not getattr(settings, entry.only_if, False):
            continue
        last = _last_run.get(entry.task)
        if last is None or moment - last >= entry.every_seconds:
            import_string(entry.task).enqueue()
            _last_run[entry.task] = moment
            enqueued.append(entry.task)
    return enqueued
