"""The task queue forgets what it finished long ago, and keeps what it has still to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from cityhall.core import clock, periodic
from cityhall.core.tasks import prune_finished_tasks
from cityhall.partners.tasks import sweep_idempotency_keys

pytestmark = pytest.mark.django_db


def _result(status: str, days_ago: int | None) -> str:
    """A stored task result of this status, finished this many days ago (None: not finished)."""
    result = sweep_idempotency_keys.enqueue()
    finished = clock.now() - timedelta(days=days_ago) if days_ago is not None else None
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


def test_finished_results_are_forgotten_after_the_kept_days_and_failures_after_twice_as_long(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CITYHALL_TASK_RESULTS_KEPT_DAYS = 7
    old_success = _result("SUCCESSFUL", 8)
    recent_success = _result("SUCCESSFUL", 6)
    old_failure = _result("FAILED", 15)
    recent_failure = _result("FAILED", 10)
    waiting = _result("READY", None)

    prune_finished_tasks.call()

    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {recent_success, recent_failure, waiting}
    assert old_success not in left and old_failure not in left


def test_the_pruning_is_on_the_hourly_schedule():
    assert {entry.task: entry.every_seconds for entry in periodic.SCHEDULE}[
        "cityhall.core.tasks.prune_finished_tasks"
    ] == 60 * 60
