"""Partner tasks: the webhooks' fan-out and sending, and housekeeping run by the periodic schedule
(cityhall/core/periodic.py). All take ids and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from cityhall.core.task_priority import PARTNERS

from . import idempotency
from .webhooks import services as webhooks

# Deliveries one sweep attempts; the next sweep (a minute later) takes the rest.
SWEEP_BATCH = 500


@task()
def sweep_idempotency_keys() -> int:
    """Idempotent: forgets Idempotency-Keys and update_ids older than idempotency.KEPT_FOR (24 h)."""
    return idempotency.sweep()


@task(priority=PARTNERS)
def fan_out_webhooks(event_ids: list[int]) -> dict[str, int]:
    """Store the deliveries these committed request events call for, then make each one's first attempt."""
    return _attempt(webhooks.deliveries_plan(event_ids))


@task(priority=PARTNERS)
def fan_out_application_webhooks(event_ids: list[int]) -> dict[str, int]:
    """Store the deliveries these committed application events call for, then make each one's first attempt."""
    return _attempt(webhooks.application_deliveries_plan(event_ids))


@task(priority=PARTNERS)
def deliver_webhooks(delivery_ids: list[int]) -> dict[str, int]:
    """An attempt at each of these deliveries that is due (a replay, another app's published event)."""
    return _attempt(delivery_ids)


@task(priority=PARTNERS)
def sweep_webhook_deliveries() -> dict[str, int]:
    """The retries whose time has come (and rows a dead worker left sending)."""
    return _attempt(webhooks.deliveries_due(SWEEP_BATCH))


def _attempt(delivery_ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        status = webhooks.delivery_attempt(delivery_id)
        counts[status] = counts.get(status, 0) + 1
    return counts
