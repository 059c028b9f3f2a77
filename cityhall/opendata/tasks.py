"""Task wrappers: the projection's upkeep (they take ids) and the nightly snapshots; all safe to run twice."""

from __future__ import annotations

from django_tasks import task

from cityhall.core.task_priority import UPKEEP

from .services import projection_rebuild, projection_refresh
from .services.snapshots import snapshots_write


@task(priority=UPKEEP)
def refresh_projection(request_ids: list[int]) -> int:
    """Re-project these requests (after a commit that changed them); returns how many."""
    projection_refresh(request_ids)
    return len(request_ids)


@task(priority=UPKEEP)
def rebuild_service(service_id: int) -> int:
    """Re-project one category's requests (after it was edited); returns how many are public."""
    return projection_rebuild(service_ids=[service_id]).requests


@task()
def write_nightly_snapshots() -> int:
    """Idempotent: a day whose snapshot is complete is not written again. Returns the files written."""
    return snapshots_write().written
