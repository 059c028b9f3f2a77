"""The retention task: closed requests lose their reporters' details, and the outbox its addresses, on time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.module_loading import import_string

from cityhall.core import clock, periodic
from cityhall.notifications.models import Follow, Message
from cityhall.notifications.tasks import anonymise_expired_requests
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import put_in_status, submit
from cityhall.requests.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_with_messages(santa_monica, service, django_capture_on_commit_callbacks) -> ServiceRequest:
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(service("potholes"), contact=Contact(name="Ann Lee", email="ann.lee@example.net"))
    Follow.objects.create(request=request, email="follower@example.net", created_at=clock.now())
    assert Message.objects.filter(request=request, address="ann.lee@example.net").exists()  # the receipt
    return put_in_status(request, Status.CLOSED, department=request.department, assignee=None)


def test_the_task_runs_hourly_from_the_schedule():
    entries = {entry.task: entry.every_seconds for entry in periodic.SCHEDULE}
    assert entries["cityhall.notifications.tasks.anonymise_expired_requests"] == 60 * 60
    # The serve loop enqueues what this path names: it must be the task itself.
    assert import_string("cityhall.notifications.tasks.anonymise_expired_requests") is anonymise_expired_requests


def test_after_the_citys_period_the_request_and_its_messages_forget_the_reporter(santa_monica, closed_with_messages):
    santa_monica.anonymise_after_days = 90
    santa_monica.save()
    closed_at = closed_with_messages.closed_at

    with clock.travel(closed_at + timedelta(days=89)):
        assert anonymise_expired_requests.enqueue().return_value == 0
    assert Message.objects.filter(address="ann.lee@example.net").exists()

    with clock.travel(closed_at + timedelta(days=91)):
        assert anonymise_expired_requests.enqueue().return_value == 1
        assert anonymise_expired_requests.enqueue().return_value == 0  # a second run finds nothing

    request = ServiceRequest.objects.get(pk=closed_with_messages.pk)
    assert (request.reporter_name, request.reporter_email) == ("", "")
    assert request.status == Status.CLOSED  # the city's record stays
    assert not Message.objects.filter(request=request).exclude(address="").exists()
    assert Message.objects.filter(request=request).exists()  # what was sent, not to whom
    assert not Follow.objects.filter(request=request).exists()
