"""Temporary failures are tried again, up to five times in all, then the message is failed for good."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.requests.services import Contact
from cityhall.requests.tests.builders import submit

from ..models import Message, MessageStatus
from ..services.delivery import MAX_ATTEMPTS
from ..tasks import deliver_message, notify_events

pytestmark = pytest.mark.django_db


def phone_reporter_request(service):
    return submit(service("potholes"), contact=Contact(phone="310-555-0123"))


def test_sms_503s_are_retried_then_the_message_is_failed_after_the_last_attempt(service, people, sms_api, committed):
    sms_api.statuses.extend([503] * 10)
    with committed():
        request = phone_reporter_request(service)
    message = Message.objects.get(request=request)
    assert len(sms_api.calls) == MAX_ATTEMPTS == 5
    assert message.status == MessageStatus.FAILED and message.attempts == MAX_ATTEMPTS
    assert "Gave up after 5 attempts" in message.last_error and "HTTP 503" in message.last_error
    assert message.sent_at is None


def test_a_503_then_success_is_sent_on_the_second_attempt(service, people, sms_api, committed):
    sms_api.statuses.append(503)
    with committed():
        request = phone_reporter_request(service)
    message = Message.objects.get(request=request)
    assert message.status == MessageStatus.SENT and message.attempts == 2 and message.last_error == ""
    assert len(sms_api.calls) == 2


def test_an_smtp_4xx_is_retried_and_a_5xx_is_not(service, people, smtp, committed):
    smtp.refuse_with = "451 4.3.0 Mailbox busy, try again later"
    with committed():
        busy = submit(service("potholes"), contact=Contact(email="busy@example.org"))
    message = Message.objects.get(request=busy)
    assert message.status == MessageStatus.FAILED and message.attempts == MAX_ATTEMPTS
    assert "451" in message.last_error

    smtp.refuse_with = "550 5.1.1 No such user"
    with committed():
        unknown = submit(service("potholes"), contact=Contact(email="nobody@example.org"))
    message = Message.objects.get(request=unknown)
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert "550" in message.last_error and smtp.received == []


def test_a_mail_server_refusing_connections_is_retried_then_failed(settings, service, people, committed):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    with committed():
        request = submit(service("potholes"), contact=Contact(email="someone@example.org"))
    message = Message.objects.get(request=request)
    assert message.status == MessageStatus.FAILED and message.attempts == MAX_ATTEMPTS
    assert "ConnectionRefusedError" in message.last_error


def test_on_the_database_queue_a_retry_waits_its_turn(settings, service, people, sms_api):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sms_api.statuses.append(503)
    request = phone_reporter_request(service)
    notify_events.call(list(request.events.values_list("pk", flat=True)))  # the worker runs the first task

    message = Message.objects.get(request=request)
    assert message.status == MessageStatus.PENDING and message.attempts == 1 and "503" in message.last_error
    (retry,) = DBTaskResult.objects.filter(task_path="cityhall.notifications.tasks.deliver_message")
    assert retry.args_kwargs["args"] == [message.pk]
    assert retry.run_after > timezone.now() + timedelta(seconds=30)

    deliver_message.call(message.pk)  # the worker, a minute later
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
