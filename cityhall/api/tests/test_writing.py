"""Writing through the JSON API: filing a request, retrying it safely, and acting on requests by scope."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from cityhall.partners.models import IdempotentWrite
from cityhall.requests.models import Channel, RequestEvent, ServiceRequest
from cityhall.requests.tests.builders import CITY_HALL, put_in_status, submit
from cityhall.requests.workflow import Status


def pothole(**fields) -> dict:
    body = {
        "service_code": "potholes",
        "lat": CITY_HALL[0],
        "long": CITY_HALL[1],
        "description": "Deep hole in the bike lane",
        "attributes": {"SIZE": "L", "HAZARDS": ["BIKES"]},
        "contact": {"name": "Maria Lopez", "email": "maria@example.org"},
    }
    body.update(fields)
    return body


def snapshot() -> dict[str, int]:
    return {
        "requests": ServiceRequest.objects.count(),
        "events": RequestEvent.objects.count(),
        "idempotency keys": IdempotentWrite.objects.count(),
    }


@contextmanager
def nothing_written() -> Iterator[None]:
    before = snapshot()
    yield
    assert snapshot() == before


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


def test_a_partner_files_a_request_it_can_read_back_and_the_city_keeps_the_contact(partner_for):
    hauler = partner_for("Hauler", "submit", "update-own")
    created = hauler.post("/requests", pothole())
    assert created.status_code == 201, created.content
    body = json.loads(created.content)
    assert created["Location"].endswith(f"/api/v1/requests/{body['id']}")
    assert body["channel"] == "api" and body["actions"] == ["comment"]
    assert "maria" not in created.content.decode().lower()  # the contact is the city's, not echoed back
    stored = ServiceRequest.objects.get(public_id=body["id"])
    assert (stored.channel, stored.api_client, stored.reporter_email) == (Channel.API, "Hauler", "maria@example.org")
    assert stored.attributes["HAZARDS"] == ["BIKES"]
    assert json.loads(hauler.get(f"/requests/{body['id']}").content)["description"] == "Deep hole in the bike lane"


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer_and_writes_once(partner_for):
    hauler = partner_for("Hauler", "submit")
    first = hauler.post("/requests", pothole(), **{"Idempotency-Key": "5f0c-retry"})
    assert first.status_code == 201
    with nothing_written():
        again = hauler.post("/requests", pothole(), **{"Idempotency-Key": "5f0c-retry"})
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (201, first.content, "true")
    assert ServiceRequest.objects.filter(api_client="Hauler").count() == 1

    with nothing_written():
        reused = problem(
            hauler.post("/requests", pothole(description="Another"), **{"Idempotency-Key": "5f0c-retry"}), 422
        )
    assert reused["type"] == "urn:cityhall:problem:idempotency-key-reused"
    # Keys belong to the partner's key: another partner's same key is a new write.
    other = partner_for("Other hauler", "submit")
    assert other.post("/requests", pothole(), **{"Idempotency-Key": "5f0c-retry"}).status_code == 201


def test_a_refused_write_does_not_use_up_its_idempotency_key(partner_for):
    hauler = partner_for("Hauler", "submit")
    with nothing_written():
        problem(hauler.post("/requests", pothole(attributes={}), **{"Idempotency-Key": "k-1"}), 422)
    assert hauler.post("/requests", pothole(), **{"Idempotency-Key": "k-1"}).status_code == 201


def test_bad_fields_are_all_named_and_nothing_is_written(partner_for):
    hauler = partner_for("Hauler", "submit")
    with nothing_written():
        refused = problem(
            hauler.post(
                "/requests",
                pothole(
                    description="x" * 4001,
                    attributes={"SIZE": "XXL"},
                    contact={"email": "not-an-address", "phone": "12"},
                ),
            ),
            422,
        )
    fields = {error["field"] for error in refused["errors"]}
    assert {"description", "attribute[SIZE]", "email", "phone"} <= fields, refused
    with nothing_written():
        outside = problem(hauler.post("/requests", pothole(lat=34.0522, long=-118.2437)), 422)
        assert outside["errors"][0]["field"] == "lat"
        assert (
            problem(hauler.post("/requests", pothole(description="nul\x00byte")), 422)["errors"][0]["field"]
            == "description"
        )
        assert (
            problem(hauler.post("/requests", pothole(service_code="pot-holes")), 404)["errors"][0]["field"]
            == "service_code"
        )
        assert problem(hauler.post("/requests", "{not json"), 400)["detail"]
        assert problem(hauler.post("/requests", [1, 2]), 422)["errors"]


# Who may do what: each key's scopes against a request it sent and a resident's web report.
# update-own reaches only what this key submitted; update-any every public request; neither, nothing.
MATRIX = [
    # scopes,                       file, comment on its own, comment on a web report
    (("read",), 403, 403, 403),
    (("submit",), 201, 403, 403),
    (("submit", "update-own"), 201, 200, 403),
    (("update-any",), 403, 200, 200),
]


@pytest.mark.parametrize(("scopes", "file", "own", "web"), MATRIX)
def test_what_each_scope_allows_and_a_refusal_changes_nothing(partner_for, service, scopes, file, own, web):
    partner = partner_for("Partner", *scopes)
    its_own = submit(service("potholes"), channel=Channel.API, client=_client("Partner"))
    web_report = submit(service("potholes"))

    for response_of, status in [
        (lambda: partner.post("/requests", pothole()), file),
        (
            lambda: partner.post(
                f"/requests/{its_own.public_id}/actions", {"action": "comment", "note": "On our list"}
            ),
            own,
        ),
        (lambda: partner.post(f"/requests/{web_report.public_id}/actions", {"action": "comment", "note": "Seen"}), web),
    ]:
        if status == 403:
            with nothing_written():
                refused = problem(response_of(), 403)
            assert refused["type"] == "urn:cityhall:problem:out-of-scope" and refused["detail"]
        else:
            assert response_of().status_code == status


def test_a_partner_confirms_or_reopens_but_never_resolves(partner_for, service, public_works):
    partner = partner_for("Partner", "submit", "update-own")
    its_own = submit(service("potholes"), channel=Channel.API, client=_client("Partner"))
    assert json.loads(partner.get(f"/requests/{its_own.public_id}").content)["actions"] == ["comment"]
    with nothing_written():
        # Not an action a partner ever takes: refused by the schema before anything runs.
        problem(partner.post(f"/requests/{its_own.public_id}/actions", {"action": "resolve"}), 422)
        # An action a partner takes, but not in this status: refused by the workflow.
        refused = problem(partner.post(f"/requests/{its_own.public_id}/actions", {"action": "confirm"}), 409)
        assert refused["type"] == "urn:cityhall:problem:action-refused"
    put_in_status(its_own, Status.RESOLVED, department=public_works, assignee=None)
    assert json.loads(partner.get(f"/requests/{its_own.public_id}").content)["actions"] == [
        "confirm",
        "reopen",
        "comment",
    ]
    reopened = partner.post(f"/requests/{its_own.public_id}/actions", {"action": "reopen", "reason": "Still there"})
    assert reopened.status_code == 200, reopened.content
    assert json.loads(reopened.content)["status"] == Status.ROUTED


def _client(name: str):
    from cityhall.requests import services

    return services.ClientInfo(api_client=name)
