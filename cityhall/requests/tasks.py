"""Thin task wrappers: they take ids (or nothing), call services, and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .services import service_requests_auto_close


@task()
def auto_close_resolved_requests() -> int:
    """Idempotent: a request closed by a first run is no longer 'resolved' for a second."""
    return service_requests_auto_close()
