"""Tasks observed: the request id carried from the enqueuing request into the task, one log line and a
timing per task run, and the queue's depth and age for `/metrics`.

The request id rides in the queued row's `args_kwargs` JSON beside `args` and `kwargs` (a key
django-tasks-db does not read), written by a `pre_save` hook as the backend creates the row; the
worker's `task_started` signal reads it back. A task enqueued outside any request (the periodic
housekeeping) gets an id of its own, which the tasks it enqueues inherit in turn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextvars import Token
from typing import Any

from django.db.models import Case, Count, F, Min, When
from django.db.models.signals import pre_save
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResult, task_backends
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from . import request_id
from .metrics import TASK_SECONDS, register_source

logger = logging.getLogger("cityhall.tasks")
CARRIED = "request_id"  # the key in DBTaskResult.args_kwargs

_running: dict[str, Token[str | None]] = {}


def connect() -> None:
    pre_save.connect(_carry_request_id, sender=DBTaskResult, dispatch_uid="cityhall-carry-request-id")
    task_started.connect(_started, dispatch_uid="cityhall-task-started")
    task_finished.connect(_finished, dispatch_uid="cityhall-task-finished")
    register_source(queue_figures)


def _carry_request_id(sender: Any, instance: DBTaskResult[Any, Any], **kwargs: Any) -> None:
    carried = request_id.current()
    if instance._state.adding and carried and isinstance(instance.args_kwargs, dict):
        instance.args_kwargs = {**instance.args_kwargs, CARRIED: carried}


def _started(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    stored = getattr(task_result, "db_result", None)
    carried = stored.args_kwargs.get(CARRIED) if stored is not None else None
    # The immediate backend runs the task inside the enqueuing request: its id is already current.
    _running[task_result.id] = request_id.begin(
        request_id.accepted(carried) if carried else request_id.current() or request_id.new()
    )


def _finished(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    task = task_result.task.module_path
    status = str(task_result.status)
    seconds = None
    if task_result.started_at and task_result.finished_at:
        seconds = max(0.0, (task_result.finished_at - task_result.started_at).total_seconds())
        TASK_SECONDS.labels(task=task, status=status).observe(seconds)
    duration_ms = round(seconds * 1000, 1) if seconds is not None else None
    logger.info(
        "task %s %s %s ms",
        task,
        status,
        duration_ms,
        extra={"task": task, "task_id": str(task_result.id), "status": status, "duration_ms": duration_ms},
    )
    token = _running.pop(task_result.id, None)
    if token is not None:
        request_id.end(token)


def queue_figures() -> Iterable[Metric]:
    """Depth and age of the task queue, per queue; nothing when tasks run without a queue (tests)."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return
    depth = GaugeMetricFamily("cityhall_task_queue_depth", "Tasks ready to run and not yet started.", labels=["queue"])
    age = GaugeMetricFamily(
        "cityhall_task_queue_oldest_age_seconds",
        "How long the oldest ready task has waited since it became due (0 when none waits).",
        labels=["queue"],
    )
    running = GaugeMetricFamily(
        "cityhall_task_running",
        "Tasks a worker has started and not finished (or a killed worker left).",
        labels=["queue"],
    )
    now = timezone.now()  # the queue's own clock (real time), not cityhall.core.clock
    ready = (
        DBTaskResult.objects.ready()
        .values("queue_name")
        .annotate(
            waiting=Count("id"),
            # A deferred task becomes due at run_after; any other when it was enqueued.
            since=Min(Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))),
        )
        .order_by("queue_name")
    )
    queues = set()
    for row in ready:
        queues.add(row["queue_name"])
        depth.add_metric([row["queue_name"]], row["waiting"])
        age.add_metric([row["queue_name"]], max(0.0, (now - row["since"]).total_seconds()))
    for row in DBTaskResult.objects.running().values("queue_name").annotate(n=Count("id")).order_by("queue_name"):
        running.add_metric([row["queue_name"]], row["n"])
    # The default queue always shows, so an empty queue reads 0 rather than nothing.
    if "default" not in queues:
        depth.add_metric(["default"], 0)
        age.add_metric(["default"], 0)
    yield from (depth, age, running)
