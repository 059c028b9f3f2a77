"""Thin task wrappers: they call services and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .services.snapshots import snapshots_write


@task()
def write_nightly_snapshots() -> int:
    """Idempotent: a day whose snapshot is complete is not written again. Returns the files written."""
    return snapshots_write().written
