"""JSON logs: the task worker's line for each task carries the request id of the request that
enqueued it, read from a real `cityhall db_worker` run on the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django_tasks_db.models import DBTaskResult

from cityhall.open311.tests.helpers import make_key, report

from .other_process import database_url

pytestmark = pytest.mark.django_db(transaction=True)  # the worker is another process: it reads what is committed


def run_worker() -> list[dict]:
    """`cityhall db_worker` until the queue is empty, with JSON logs; its log lines, parsed."""
    worker = subprocess.run(
        [sys.executable, "-m", "config.manage", "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay"],
        env={**os.environ, "DATABASE_URL": database_url(), "CITYHALL_LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    return [json.loads(line) for line in worker.stderr.splitlines() if line.startswith("{")]


def test_each_task_logs_the_request_id_of_the_request_that_enqueued_it(client, santa_monica):
    answered = client.post(
        "/open311/v2/requests.json", report(api_key=make_key()), HTTP_X_REQUEST_ID="partner-report-7"
    )
    assert answered.status_code == 200 and answered["X-Request-ID"] == "partner-report-7"
    # The commit queued one announcement of its events; the worker's run of it queues the listeners' tasks.
    queued = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert queued == {"cityhall.requests.tasks.announce_events"}

    lines = run_worker()

    tasks = [line for line in lines if line["logger"] == "cityhall.tasks"]
    assert {line["task"] for line in tasks} >= queued | {"cityhall.notifications.tasks.notify_events"}
    for line in tasks:
        assert line["request_id"] == "partner-report-7", line
        assert line["status"] == "SUCCESSFUL" and line["level"] == "INFO"
        assert line["duration_ms"] >= 0 and line["time"]
    # Nothing personal: the reporter's address is in the report, never in a log line.
    assert "@" not in json.dumps(tasks)


def test_a_task_enqueued_outside_a_request_gets_an_id_of_its_own(santa_monica):
    from cityhall.notifications.tasks import fail_stuck_messages

    fail_stuck_messages.enqueue()
    (line,) = [line for line in run_worker() if line["logger"] == "cityhall.tasks"]
    assert line["task"] == "cityhall.notifications.tasks.fail_stuck_messages"
    assert len(line["request_id"]) == 32
