"""A burst of reports: the worker sends the people's emails before it counts the figures."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from cityhall.requests.tasks import announce_events
from cityhall.requests.tests.builders import submit

pytestmark = pytest.mark.django_db


def test_a_receipt_email_is_queued_ahead_of_the_figures_upkeep(
    settings, service, people, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        submit(service("potholes"), reporter=people["resident"])
    with django_capture_on_commit_callbacks(execute=True):
        submit(service("potholes"), reporter=people["resident"])
    # Each commit queued one announcement of its events; the worker runs those first (in the order
    # queued, at the messages' priority), and each queues the listeners' tasks.
    announcements = list(DBTaskResult.objects.ready())
    assert [row.task_path for row in announcements] == ["cityhall.requests.tasks.announce_events"] * 2
    for row in announcements:
        announce_events.call(*row.args_kwargs["args"])
        row.delete()

    in_the_order_taken = [row.task_path.rsplit(".", 1)[-1] for row in DBTaskResult.objects.ready()]
    assert set(in_the_order_taken) >= {"notify_events", "refresh_rollups", "refresh_projection"}
    messages = [n for n, name in enumerate(in_the_order_taken) if name == "notify_events"]
    upkeep = [n for n, name in enumerate(in_the_order_taken) if name in {"refresh_rollups", "refresh_projection"}]
    assert max(messages) < min(upkeep)  # the second report's email before the first report's rollups
