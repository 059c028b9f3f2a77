"""Nothing sent twice, nothing sent for what never committed, nothing sent about a written past."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cityhall.core import clock
from cityhall.requests.events import events_committed
from cityhall.requests.models import RequestEvent
from cityhall.requests.tests.builders import submit

from .. import services
from ..models import Message, MessageStatus
from ..tasks import STRANDED_AFTER, notify_events, send_stranded_messages

pytestmark = pytest.mark.django_db


def test_the_same_task_run_twice_sends_one_email(service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    event_ids = list(request.events.values_list("pk", flat=True))
    assert len(smtp.received) == 1

    second = notify_events.call(event_ids)  # a worker killed after sending, and the task run again
    assert second == {"sent": 1}  # found, already sent: not sent again
    assert len(smtp.received) == 1
    assert Message.objects.filter(request=request).count() == 1


def test_a_run_killed_after_storing_its_messages_sends_them_when_run_again(service, people, smtp):
    request = submit(service("potholes"), reporter=people["resident"])  # no commit: the task never ran
    event_ids = list(request.events.values_list("pk", flat=True))
    services.messages_plan(event_ids)  # the first run stored the rows, then the worker died
    assert Message.objects.get(request=request).status == MessageStatus.PENDING

    notify_events.call(event_ids)
    notify_events.call(event_ids)
    assert len(smtp.received) == 1
    assert Message.objects.get(request=request).status == MessageStatus.SENT


def test_a_message_claimed_by_another_run_is_left_alone(service, people, smtp):
    request = submit(service("potholes"), reporter=people["resident"])
    event_ids = list(request.events.values_list("pk", flat=True))
    (message,) = services.messages_plan(event_ids)
    # Another run claimed it and may be talking to the mail server right now (or died doing so).
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, attempts=1)

    notify_events.call(event_ids)
    assert smtp.received == []
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENDING


def test_a_rolled_back_transaction_sends_nothing(service, people, smtp, committed):
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        submit(service("potholes"), reporter=people["resident"])
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert smtp.received == [] and not Message.objects.exists()


def test_the_signal_carries_the_ids_of_the_events_just_committed(service, people, committed):
    heard: list[list[int]] = []

    def listener(sender, *, event_ids, at, **kwargs):
        heard.append(list(event_ids))

    events_committed.connect(listener, dispatch_uid="test-listener")
    try:
        with committed():
            request = submit(service("potholes"), reporter=people["resident"])
            assert heard == []  # not before the commit
    finally:
        events_committed.disconnect(dispatch_uid="test-listener")
    assert heard == [list(request.events.order_by("pk").values_list("pk", flat=True))]
    assert RequestEvent.objects.filter(pk__in=heard[0], kind="submitted").exists()


def test_one_task_per_commit_is_queued_for_the_worker(settings, service, people, committed):
    from django_tasks_db.models import DBTaskResult

    from cityhall.requests.tasks import announce_events

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    # The commit queues one announcement of its events; the worker's run of it queues the messages' task.
    (announcement,) = DBTaskResult.objects.all()
    assert announcement.task_path == "cityhall.requests.tasks.announce_events"
    announce_events.call(*announcement.args_kwargs["args"])
    (queued,) = DBTaskResult.objects.filter(task_path="cityhall.notifications.tasks.notify_events")
    assert queued.args_kwargs["args"] == [list(request.events.order_by("pk").values_list("pk", flat=True))]
    assert not Message.objects.exists()  # nothing happens until the worker runs it


def test_events_written_into_the_past_are_history_not_news(service, people, smtp, committed):
    """The demo writes a believable month with the clock moved back; nobody is emailed about it."""
    with committed(), clock.travel(timezone.now() - timedelta(days=3)):
        submit(service("potholes"), reporter=people["resident"])
    assert smtp.received == [] and not Message.objects.exists()


def test_rows_a_killed_task_stored_are_sent_once_by_the_periodic_pick_up(service, people, smtp):
    # The worker died after the task stored its rows: the queue marks that task running for ever.
    request = submit(service("potholes"), reporter=people["resident"])
    services.messages_plan(list(request.events.values_list("pk", flat=True)))
    assert send_stranded_messages.call() == {}  # just stored: its own task may be about to send it
    with clock.travel(timezone.now() + STRANDED_AFTER):
        assert send_stranded_messages.call() == {"sent": 1}
        assert send_stranded_messages.call() == {}
    assert len(smtp.received) == 1
    assert Message.objects.get(request=request).status == MessageStatus.SENT
