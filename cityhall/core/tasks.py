"""The task queue's own housekeeping, run by the periodic schedule (cityhall/core/periodic.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks_db.backend import DatabaseBackend

from .task_priority import UPKEEP


@task(priority=UPKEEP)
def prune_finished_tasks() -> None:
    """Forget finished task results older than CITYHALL_TASK_RESULTS_KEPT_DAYS (failed ones after
    twice as long, to leave time to look into them): every email, refresh and sweep leaves a row,
    and a busy city's queue table would grow by millions a month. Queued and running tasks stay."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return  # a backend that stores no results (tests' immediate one) has nothing to forget
    kept = settings.CITYHALL_TASK_RESULTS_KEPT_DAYS
    call_command("prune_db_task_results", queue_name="*", min_age_days=kept, failed_min_age_days=2 * kept, verbosity=0)
