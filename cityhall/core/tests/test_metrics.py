"""/metrics: latency and database time per route, the task queue and the outbox as the database holds
them, and who may read it (a bearer of the token, or without one this machine only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from cityhall.core import clock
from cityhall.notifications.models import Message, MessageStatus
from cityhall.notifications.tasks import deliver_message, sweep_sla_deadlines
from cityhall.open311.tests.helpers import make_key, report

pytestmark = pytest.mark.django_db

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}


def scrape(client, **extra) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics by (name, labels)."""
    response = client.get("/metrics", **(extra or LOOPBACK))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_each_route_gets_a_latency_and_database_histogram_labelled_by_its_pattern(client, santa_monica):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/open311/v2/services.json").status_code == 200
    assert client.get("/requests/12345678").status_code == 404  # a request number that does not exist
    after = scrape(client)

    services = {"method": "GET", "route": "open311-services", "status": "200"}
    count = "cityhall_http_request_duration_seconds_count"
    assert value(after, count, **services) - value(before, count, **services) == 3
    assert value(after, "cityhall_http_request_duration_seconds_bucket", le="+Inf", **services) >= 3
    database = "cityhall_http_database_duration_seconds_count"
    assert value(after, database, route="open311-services") - value(before, database, route="open311-services") == 3
    # The route is the URL pattern's name: the number asked for is no label, so labels stay few.
    detail = {"method": "GET", "route": "citizen:track", "status": "404"}
    assert value(after, count, **detail) - value(before, count, **detail) == 1
    assert not any("12345678" in str(labels) for _name, labels in after)


def test_the_outbox_backlog_is_what_the_outbox_holds(client, santa_monica):
    now = clock.now()
    statuses = [MessageStatus.PENDING] * 3 + [MessageStatus.SENT, MessageStatus.HELD, MessageStatus.SENDING]
    for number, status in enumerate(statuses):
        Message.objects.create(
            channel="sms" if number == 2 else "email",
            recipient_kind="reporter",
            address=f"person{number}@example.org",
            template="received",
            status=status,
            idempotency_key=f"metrics-{number}",
            created_at=now - timedelta(hours=number + 1),
        )
    samples = scrape(client)

    pending = Message.objects.filter(status=MessageStatus.PENDING)
    assert value(samples, "cityhall_notification_outbox_backlog", channel="email") == 2
    assert value(samples, "cityhall_notification_outbox_backlog", channel="sms") == 1
    assert sum(value(samples, "cityhall_notification_outbox_backlog", channel=c) for c in ("email", "sms", "push")) == (
        pending.count()
    )
    assert value(samples, "cityhall_notification_outbox_sending") == 1
    # The oldest pending message was stored three hours ago (the sent and held ones are older still).
    assert 3 * 3600 <= value(samples, "cityhall_notification_outbox_oldest_pending_age_seconds") < 4 * 3600
    # No address reaches the metrics.
    assert not any("example.org" in str(key) for key in samples)


def test_the_task_queue_depth_is_the_tasks_waiting_to_run(client, santa_monica, django_capture_on_commit_callbacks):
    """A report through Open311 enqueues its tasks when it commits; a deferred retry waits its turn."""
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/open311/v2/requests.json", report(api_key=make_key())).status_code == 200
    deliver_message.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(1)  # not due yet
    DBTaskResult.objects.filter(status="READY").update(enqueued_at=timezone.now() - timedelta(minutes=10))
    samples = scrape(client)

    ready = DBTaskResult.objects.ready()
    assert ready.count() >= 1  # the report's own tasks
    assert value(samples, "cityhall_task_queue_depth", queue="default") == ready.count()
    assert DBTaskResult.objects.count() == ready.count() + 1  # the deferred one is not counted
    assert 600 <= value(samples, "cityhall_task_queue_oldest_age_seconds", queue="default") < 3600


def test_the_sla_sweep_is_timed(client, santa_monica, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    before = value(scrape(client), "cityhall_sla_sweep_duration_seconds_count")
    sweep_sla_deadlines.enqueue()
    samples = scrape(client)
    assert value(samples, "cityhall_sla_sweep_duration_seconds_count") == before + 1
    task = {"task": "cityhall.notifications.tasks.sweep_sla_deadlines", "status": "SUCCESSFUL"}
    assert value(samples, "cityhall_task_duration_seconds_count", **task) >= 1


def test_with_a_token_metrics_answer_only_its_bearer(client, settings):
    settings.CITYHALL_METRICS_TOKEN = "a-long-random-metrics-token"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic a-long-random-metrics-token"}):
        refused = client.get("/metrics", headers=headers, **LOOPBACK)  # even from this machine
        assert refused.status_code == 401
        assert refused["WWW-Authenticate"] == 'Bearer realm="metrics"'
        assert refused["Content-Type"] == "application/problem+json"
        assert refused.json()["status"] == 401
        assert b"cityhall_" not in refused.content
    allowed = client.get(
        "/metrics", headers={"Authorization": "Bearer a-long-random-metrics-token"}, REMOTE_ADDR="203.0.113.9"
    )
    assert allowed.status_code == 200 and b"cityhall_http_request_duration_seconds" in allowed.content


def test_without_a_token_metrics_answer_this_machine_only(client, settings):
    settings.CITYHALL_METRICS_TOKEN = ""
    for address in ("127.0.0.1", "::1"):
        assert client.get("/metrics", REMOTE_ADDR=address).status_code == 200
    for address in ("203.0.113.9", "10.0.0.5", "192.168.1.20"):
        refused = client.get("/metrics", REMOTE_ADDR=address)
        assert refused.status_code == 403, address
        assert refused["Content-Type"] == "application/problem+json"
    # A proxy on this machine relays every client from a loopback address: what it relays is refused.
    relayed = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert relayed.status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9").status_code == 403
