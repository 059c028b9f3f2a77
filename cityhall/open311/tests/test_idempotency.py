"""Idempotent Open311 writes: an Idempotency-Key (or FixMyStreet's update_id) replays the first answer,
byte for byte, and writes nothing more; the same key with another body is a 422; keys expire after 24 h."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from cityhall.core import clock, periodic
from cityhall.open311.idempotency import KEPT_FOR
from cityhall.partners.models import IdempotentWrite
from cityhall.partners.tasks import sweep_idempotency_keys
from cityhall.requests.models import RequestEvent, ServiceRequest

from .helpers import (
    BASE,
    FORMATS,
    assert_error,
    at_once,
    body,
    created_id,
    describe,
    make_key,
    nothing_written,
    report,
    sent_by,
)

pytestmark = pytest.mark.django_db


def post(client, resource: str, form: dict, token: str | None = None):
    headers = {"Idempotency-Key": token} if token is not None else {}
    return client.post(f"{BASE}{resource}", form, headers=headers)


def assert_replayed(first, again) -> None:
    assert again.status_code == first.status_code, describe(again)
    assert again["Content-Type"] == first["Content-Type"]
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retried_request_replays_the_first_answer_and_writes_nothing(client, key, fmt):
    first = post(client, f"requests.{fmt}", report(api_key=key), "retry-1")
    public_id = created_id(first, fmt)
    with nothing_written():
        again = post(client, f"requests.{fmt}", report(api_key=key), "retry-1")
    assert_replayed(first, again)
    assert ServiceRequest.objects.filter(public_id=public_id).count() == 1


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(client, key):
    created_id(post(client, "requests.json", report(api_key=key), "retry-2"))
    with nothing_written():
        (description,) = assert_error(
            post(client, "requests.json", report(api_key=key, description="Another hole"), "retry-2"), 422, "json"
        )
        assert_error(post(client, "requests.xml", report(api_key=key), "retry-2"), 422, "xml")  # another format
    assert description == (
        "This Idempotency-Key was already used with a different request; send a new one for a different request."
    )
    assert IdempotentWrite.objects.count() == 1


def test_keys_are_scoped_to_the_api_key(client, key):
    other = make_key("Another partner")
    created_id(post(client, "requests.json", report(api_key=key), "shared-token"))
    created_id(post(client, "requests.json", report(api_key=other), "shared-token"))
    assert ServiceRequest.objects.filter(description="A pothole in the bike lane").count() == 2


def test_a_refused_post_does_not_use_up_its_key(client, key):
    with nothing_written():
        assert_error(post(client, "requests.json", report(api_key=key, lat="95"), "retry-3"), 400, "json")
    assert not IdempotentWrite.objects.exists()
    created_id(post(client, "requests.json", report(api_key=key), "retry-3"))  # corrected, same key


def test_a_malformed_key_or_overlong_update_id_is_a_400(client, key, service):
    request = sent_by(service("potholes"))
    update = {"api_key": key, "service_request_id": request.public_id, "description": "Hi", "update_id": "u" * 256}
    with nothing_written():
        assert_error(post(client, "requests.json", report(api_key=key), "x" * 256), 400, "json")
        assert_error(post(client, "requests.json", report(api_key=key), "caf\u00e9"), 400, "json")
        (description,) = assert_error(post(client, "servicerequestupdates.xml", update), 400, "xml")
    assert description == "update_id is longer than 255 characters."
    assert post(client, "servicerequestupdates.xml", {**update, "update_id": "u" * 255}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_fixmystreet_s_update_id_posted_twice_makes_one_comment(client, key, service, fmt):
    request = sent_by(service("potholes"))
    form = {"api_key": key, "service_request_id": request.public_id, "update_id": "fms-77", "description": "Again"}
    first = post(client, f"servicerequestupdates.{fmt}", form)
    body(first, "update_post_result", fmt)
    with nothing_written():
        again = post(client, f"servicerequestupdates.{fmt}", form)
    assert_replayed(first, again)
    assert RequestEvent.objects.filter(request=request, public_note="Again").count() == 1

    with nothing_written():
        (description,) = assert_error(
            post(client, f"servicerequestupdates.{fmt}", {**form, "description": "Changed"}), 422, fmt
        )
    assert description.startswith("This update_id was already used with a different request")


def test_an_idempotency_key_on_an_update_wins_over_update_id(client, key, service):
    request = sent_by(service("potholes"))
    form = {"api_key": key, "service_request_id": request.public_id, "update_id": "fms-78", "description": "Hi"}
    first = post(client, "servicerequestupdates.json", form, "upd-1")
    with nothing_written():
        assert_replayed(first, post(client, "servicerequestupdates.json", form, "upd-1"))
    # Another header key is another write, even with the same update_id.
    assert post(client, "servicerequestupdates.json", form, "upd-2").status_code == 200
    assert RequestEvent.objects.filter(request=request, public_note="Hi").count() == 2


def test_keys_expire_after_24_hours_and_the_housekeeping_sweeps_them(client, key, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert {entry.task: entry.every_seconds for entry in periodic.SCHEDULE}[
        "cityhall.partners.tasks.sweep_idempotency_keys"
    ] == 60 * 60
    start = clock.now()
    with clock.travel(start):
        first = created_id(post(client, "requests.json", report(api_key=key), "daily"))
    with clock.travel(start + KEPT_FOR - timedelta(seconds=1)):
        assert created_id(post(client, "requests.json", report(api_key=key), "daily")) == first
        assert sweep_idempotency_keys.enqueue().return_value == 0
    with clock.travel(start + KEPT_FOR):
        assert sweep_idempotency_keys.enqueue().return_value == 1
        assert created_id(post(client, "requests.json", report(api_key=key), "daily")) != first
    assert timedelta(hours=24) == KEPT_FOR


@pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict.get("TEST", {}).get("NAME"),
    reason="SQLite's in-memory test database locks tables across threads; PostgreSQL or CITYHALL_TEST_SQLITE run it",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("resource", ["requests.json", "servicerequestupdates.json"])
def test_two_concurrent_identical_posts_write_once(santa_monica, service, resource):
    raw = make_key()
    own = sent_by(service("potholes"))
    form = (
        report(api_key=raw)
        if resource == "requests.json"
        else {"api_key": raw, "service_request_id": own.public_id, "description": "Twice at once"}
    )
    requests_before, events_before = ServiceRequest.objects.count(), RequestEvent.objects.count()
    answers: list = []
    at_once(4, lambda: answers.append(post(Client(), resource, form, "race")))
    assert [answer.status_code for answer in answers] == [200] * 4, [describe(a) for a in answers]
    assert len({answer.content for answer in answers}) == 1
    assert sum(answer.has_header("Idempotent-Replayed") for answer in answers) == 3
    assert IdempotentWrite.objects.count() == 1
    if resource == "requests.json":
        assert ServiceRequest.objects.count() == requests_before + 1
    else:
        assert RequestEvent.objects.count() == events_before + 1
