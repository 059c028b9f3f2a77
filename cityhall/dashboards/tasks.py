"""Task wrappers: idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from cityhall.core.task_priority import UPKEEP

from .services import catch_up
from .services.rollups import refresh_for_events


@task(priority=UPKEEP)
def catch_up_rollups() -> int:
    """Count what the commit listener missed (imports write no commit signal; a listener may fail)."""
    return catch_up()


@task(priority=UPKEEP)
def refresh_rollups(event_ids: list[int]) -> None:
    """Bring the rollups up to date with these committed events (the commit listener's work)."""
    refresh_for_events(event_ids)
