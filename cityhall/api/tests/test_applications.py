"""Applications through the JSON API (scope applications): pages, one application, its events, refusals, privacy."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.applications import services
from cityhall.applications.access import actor_for
from cityhall.applications.workflow import Action
from cityhall.core import clock
from tests.applications import PERSONAL, RECORDS, decide, submitted, under_review

pytestmark = pytest.mark.django_db

ENDPOINTS = ("/applications", "/applications/{reference}", "/applications/{reference}/events")


@pytest.fixture
def records(santa_monica, people):
    [service] = under_review(santa_monica, RECORDS, departments=("public-works", "planning-community-development"))
    return service


@pytest.fixture
def clerk(partner_for):
    return partner_for("Clerk's records system", "applications")


def body(response) -> dict:
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


def no_personal_data_in(text: str) -> None:
    for words in (*PERSONAL, "192.0.2.7", "answers", "signature", "typed_name", "user_agent", "applicant"):
        assert words not in text, words


def test_a_key_with_the_scope_reads_an_application_s_review_and_nothing_personal(
    records, people, clerk, settings, tmp_path
):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"
    application = submitted(records, people["resident"])
    decide(application, people["staff"], Action.APPROVE_WITH_CONDITIONS, conditions="Keep the sidewalk open.")
    services.application_note(application, actor=actor_for(people["staff"], application), note="Call the resident.")
    decide(application, people["other_staff"], Action.DENY, reason="The records are sealed by court order.")
    number = services.application_decision_document_issue(application.pk)
    assert number

    found = body(clerk.get(f"/applications/{application.reference}"))
    assert found["reference"] == application.reference
    assert (found["service_code"], found["status"], found["channel"]) == (RECORDS, "denied", "web")
    assert found["submitted_at"] and found["decided_at"]
    assert [(step["department"], step["stage"], step["status"]) for step in found["steps"]] == [
        ("public-works", 1, "approved"),
        ("planning-community-development", 2, "denied"),
    ]
    assert found["steps"][0]["name"] == "Review by public-works" and found["steps"][0]["decided_at"]
    assert found["conditions"] == ["Keep the sidewalk open."]
    assert found["document"] == {"number": number, "verify_url": f"{settings.CITYHALL_PUBLIC_URL}/verify/{number}"}

    events = body(clerk.get(f"/applications/{application.reference}/events"))
    assert [event["kind"] for event in events] == [
        "submitted",
        "step_opened",
        "step_approved",
        "step_opened",
        "step_denied",
        "denied",
        "document_issued",
    ]
    assert events[0]["status_from"] == "draft" and events[0]["status_to"] == "in_review"
    assert events[-2]["step"] == 1 and events[-2]["department"] == "planning-community-development"
    everything = json.dumps([found, events, body(clerk.get("/applications"))])
    no_personal_data_in(everything)
    for words in ("Call the resident", "sealed by court order", "note"):  # no note, no reason's words
        assert words not in json.dumps(events)


def test_pages_are_walked_whole_newest_submitted_first_and_filtered(records, people, clerk):
    made = []
    for minutes in range(5):
        with clock.travel(clock.now() - timedelta(minutes=10 - minutes)):
            made.append(submitted(records, people["resident"]))
    services.application_start(records, applicant=people["resident"])  # a draft: never listed
    asked = decide(made[0], people["staff"], Action.ASK_INFO, question="Which years exactly?")

    seen, cursor = [], None
    while True:
        page = body(clerk.get("/applications", {"limit": 2, **({"cursor": cursor} if cursor else {})}))
        seen += [item["reference"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [application.reference for application in reversed(made)]

    def references(**params) -> list[str]:
        return [item["reference"] for item in body(clerk.get("/applications", params))["items"]]

    assert references(status="info_requested") == [made[0].reference]
    assert references(status=["info_requested", "in_review"], service=RECORDS) == seen
    assert references(service="public-tree") == []
    assert references(department="planning-community-development") == seen  # a later step's department
    assert references(department="police") == []
    assert references(updated_since=asked.updated_at.isoformat()) == [made[0].reference]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"service": "no-such-service"}, "service"),
        ({"service": "public-records\x00"}, "service"),  # PostgreSQL refuses a NUL: never looked up
        ({"status": "draft"}, "status"),
        ({"status": "approvedish"}, "status"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2026-12-01T00:00:00"}, "updated_since"),  # no offset
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"department": "two words"}, "department"),
    ],
)
def test_a_bad_filter_is_a_422_naming_the_field(records, clerk, params, field):
    refused = problem(clerk.get("/applications", params), 422)
    assert any(error["field"].split(".")[0] == field for error in refused["errors"]), refused


def test_a_key_without_the_scope_is_refused_everywhere(records, people, partner_for):
    application = submitted(records, people["resident"])
    for scopes in (("read",), ("update-any", "devices", "webhooks")):
        other = partner_for(f"Other {len(scopes)}", *scopes)
        for path in ENDPOINTS:
            refused = problem(other.get(path.format(reference=application.reference)), 403)
            assert "applications scope" in refused["detail"]


def test_drafts_unknown_references_and_another_city_s_applications_are_not_found(records, people, clerk, partner_for):
    draft = services.application_start(records, applicant=people["resident"])
    for reference in (draft.reference, "12345678"):
        for path in ENDPOINTS[1:]:
            assert problem(clerk.get(path.format(reference=reference)), 404)["type"].endswith("not-found")


def test_an_application_has_an_etag_and_an_unchanged_one_is_a_304(records, people, clerk):
    application = submitted(records, people["resident"])
    first = clerk.get(f"/applications/{application.reference}")
    etag = first["ETag"]
    assert etag and clerk.get(f"/applications/{application.reference}", **{"If-None-Match": etag}).status_code == 304
    decide(application, people["staff"], Action.APPROVE)
    changed = clerk.get(f"/applications/{application.reference}", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_page_is_four_queries_whatever_its_size(records, people, clerk):
    for _ in range(6):
        submitted(records, people["resident"])
    clerk.get("/applications")  # the city and the key's first look-ups are cached per process
    sizes = []
    for limit in (1, 5):
        with CaptureQueriesContext(connection) as listing:
            assert len(body(clerk.get("/applications", {"limit": limit}))["items"]) == limit
        sizes.append(len(listing))
    # The key, its counter, the applications with their service, their steps with their departments.
    assert sizes == [4, 4], sizes
