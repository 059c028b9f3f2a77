"""Device housekeeping run by the periodic schedule (cityhall/core/periodic.py)."""

from __future__ import annotations

from django_tasks import task

from .services import measurements_sweep


@task()
def sweep_measurements() -> int:
    """Idempotent: deletes measurements older than CITYHALL_DEVICE_RETENTION_DAYS."""
    return measurements_sweep()
