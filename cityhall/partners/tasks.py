"""Partner-key housekeeping run by the periodic schedule (cityhall/core/periodic.py)."""

from __future__ import annotations

from django_tasks import task

from . import idempotency


@task()
def sweep_idempotency_keys() -> int:
    """Idempotent: forgets Idempotency-Keys and update_ids older than idempotency.KEPT_FOR (24 h)."""
    return idempotency.sweep()
