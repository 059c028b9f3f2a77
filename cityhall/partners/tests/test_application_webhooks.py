"""Application events as webhooks: the API's own application shape, signed, filtered by digital service,
heard only by keys with the applications scope, and never the applicant's personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from standardwebhooks import Webhook

from cityhall.applications import services
from cityhall.applications.access import actor_for
from cityhall.applications.workflow import Action
from cityhall.core import clock
from cityhall.partners.models import ApiKey, WebhookDelivery
from tests.applications import PERSONAL, RECORDS, decide, submitted, under_review

pytestmark = pytest.mark.django_db

APPLICATION_TYPES = [
    "application.submitted",
    "application.info_requested",
    "application.approved",
    "application.denied",
    "application.withdrawn",
    "application.expired",
]


@pytest.fixture(autouse=True)
def _signing_dir(settings, tmp_path):
    settings.CITYHALL_SIGNING_DIR = tmp_path / "signing"


@pytest.fixture
def digital(santa_monica, people):
    return {service.code: service for service in under_review(santa_monica, RECORDS, "public-tree")}


def subscribe(partner, url: str, **fields) -> dict:
    response = partner.post("/webhooks", {"url": url, "event_types": APPLICATION_TYPES, **fields})
    assert response.status_code == 201, response.content
    return response.json()


def payloads(receiver, secret: str) -> list[dict]:
    return [Webhook(secret).verify(call.body, call.headers) for call in receiver.calls]


def test_each_application_event_reaches_the_receiver_in_the_api_s_shape_without_personal_data(
    digital, people, partner_for, receiver, committed
):
    clerk = partner_for("Clerk's system", "webhooks", "applications")
    created = subscribe(clerk, receiver.url + "/hooks", application_services=[RECORDS])
    assert created["application_services"] == [RECORDS]

    with committed():
        application = submitted(digital[RECORDS], people["resident"])
    with committed():
        application = decide(application, people["staff"], Action.ASK_INFO, question="Which years, Ms. Resident?")
    with committed():
        services.application_note(application, actor=actor_for(people["staff"], application), note="Call her.")
    with committed():
        application = services.application_respond(
            application, actor=actor_for(people["resident"], application), answer="2020 to 2024, call 310-555-0142"
        )
    with committed():
        decide(application, people["staff"], Action.APPROVE_WITH_CONDITIONS, conditions="Pick them up in person.")
    with committed():  # another service's application: filtered out
        submitted(digital["public-tree"], people["resident"])

    received = payloads(receiver, created["secret"])
    assert [payload["type"] for payload in received] == [
        "application.submitted",
        "application.info_requested",
        "application.approved",
    ]
    approved = received[-1]["data"]
    assert approved["event"]["kind"] == "approved" and approved["event"]["status_to"] == "approved"
    shown = clerk.get(f"/applications/{application.reference}").json()
    # The body is the application as it stood when the delivery was stored: here the decision document's task
    # ran first (it is enqueued first), so it is the API's answer now.
    assert approved["application"] == shown
    assert shown["document"]["number"] and shown["conditions"] == ["Pick them up in person."]
    bodies = b"".join(call.body for call in receiver.calls)
    for words in (*PERSONAL, "Ms. Resident", "310-555-0142", "Call her", "192.0.2.7"):
        assert words.encode() not in bodies, words


def test_withdrawn_and_expired_and_denied_are_sent(digital, people, partner_for, receiver, committed):
    clerk = partner_for("Clerk's system", "webhooks", "applications")
    created = subscribe(clerk, receiver.url + "/hooks")
    with committed():
        first = submitted(digital[RECORDS], people["resident"])
        second = submitted(digital[RECORDS], people["resident"])
        third = submitted(digital["public-tree"], people["resident"])
    with committed():
        services.application_withdraw(first, actor=actor_for(people["resident"], first))
    with committed():
        decide(second, people["staff"], Action.DENY, reason="Sealed by court order.")
    with committed():
        decide(third, people["staff"], Action.ASK_INFO, question="Which tree?")
    later = clock.now() + timedelta(days=31)
    with committed():
        assert services.applications_expire(later) == 1
    kinds = [
        (payload["type"], payload["data"]["application"]["reference"])
        for payload in payloads(receiver, created["secret"])
    ]
    assert kinds[3:] == [
        ("application.withdrawn", first.reference),
        ("application.denied", second.reference),
        ("application.info_requested", third.reference),
        ("application.expired", third.reference),
    ]
    assert b"Sealed by court order" not in b"".join(call.body for call in receiver.calls)


def test_only_keys_with_the_applications_scope_hear_application_events(
    digital, people, partner_for, receiver, committed
):
    hauler = partner_for("Hauler", "webhooks")
    refused = hauler.post("/webhooks", {"url": receiver.url, "event_types": ["application.submitted"]})
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"][0]["field"] == "event_types"

    clerk = partner_for("Clerk's system", "webhooks", "applications")
    subscribe(clerk, receiver.url + "/hooks")
    unknown = clerk.post(
        "/webhooks", {"url": receiver.url, "event_types": APPLICATION_TYPES, "application_services": ["nope"]}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "application_services.0"
    # The scope taken away later: nothing more is stored for that key.
    ApiKey.objects.filter(name="Clerk's system").update(scopes=["webhooks"])
    with committed():
        submitted(digital[RECORDS], people["resident"])
    assert receiver.calls == [] and not WebhookDelivery.objects.exists()
