"""Device housekeeping run by the periodic schedule (cityhall/core/periodic.py)."""

from __future__ import annotations

from django_tasks import task

from .services import devices_offline_sweep, devices_simulate, measurements_sweep


@task()
def sweep_measurements() -> int:
    """Idempotent: deletes measurements older than CITYHALL_DEVICE_RETENTION_DAYS."""
    return measurements_sweep()


@task()
def raise_offline_devices() -> int:
    """Idempotent: a silent device with an offline request open gets no second one."""
    return devices_offline_sweep()


@task()
def simulate_demo_devices() -> int:
    """The demo's devices send a reading each (scheduled only when CITYHALL_DEVICE_SIMULATOR is on)."""
    return devices_simulate()
