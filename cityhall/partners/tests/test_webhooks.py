"""Partners' webhooks end to end: subscribed through the JSON API, fanned out after commit, signed, POSTed to
a real receiver on loopback, retried, paused, resumed and replayed from the admin."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from standardwebhooks import Webhook

from cityhall.core import clock
from cityhall.partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from cityhall.partners.tasks import deliver_webhooks, sweep_webhook_deliveries
from cityhall.partners.webhooks.events import EventType
from cityhall.partners.webhooks.services import webhook_event_publish
from cityhall.requests.services import Change, service_request_transition
from cityhall.requests.tests.builders import CITY_HALL, OCEAN_PARK, actor, jpeg_with_gps, submit
from cityhall.requests.workflow import Action, Resolution, Role

# Every type a key without the applications scope may subscribe to (test_application_webhooks.py has the rest).
ALL_TYPES = [event_type.value for event_type in EventType if not event_type.startswith("application.")]


def subscribe(partner, url: str, **fields) -> dict:
    response = partner.post("/webhooks", {"url": url, "event_types": ALL_TYPES, **fields})
    assert response.status_code == 201, response.content
    return response.json()


def verified(received, secret: str) -> dict:
    """The payload, after the Standard Webhooks reference library checked its signature as a receiver would."""
    return Webhook(secret).verify(received.body, received.headers)


def types_received(receiver) -> list[str]:
    return [json.loads(item.body)["type"] for item in receiver.calls]


def test_a_filed_request_reaches_the_receiver_signed_with_what_the_api_shows_and_no_personal_data(
    partner_for, receiver, committed
):
    hauler = partner_for("Hauler", "submit", "webhooks")
    created = subscribe(hauler, receiver.url + "/hooks/cityhall?from=test", event_types=["request.created"])
    assert created["secret"].startswith("whsec_")

    with committed():
        filed = hauler.post(
            "/requests",
            {
                "service_code": "potholes",
                "lat": CITY_HALL[0],
                "long": CITY_HALL[1],
                "description": "Deep hole, call me at 310-555-0199",
                "attributes": {"SIZE": "L"},
                "contact": {"name": "Maria Lopez", "email": "maria@example.org", "phone": "+13105550123"},
            },
        )
    assert filed.status_code == 201, filed.content
    public_id = filed.json()["id"]

    [delivery] = receiver.calls
    assert delivery.path == "/hooks/cityhall?from=test"
    payload = verified(delivery, created["secret"])
    assert payload["type"] == "request.created"
    assert payload["data"]["request"] == {
        key: value for key, value in hauler.get(f"/requests/{public_id}").json().items() if key != "actions"
    }
    assert payload["data"]["event"]["kind"] == "submitted"
    assert delivery.headers["webhook-id"].startswith("msg_")
    for personal in (b"Maria", b"maria@example.org", b"3105550123", b"310-555-0199"):
        assert personal not in delivery.body
    # The secret is served once: listing the subscriptions never shows it again.
    listed = hauler.get("/webhooks").json()
    assert [item["id"] for item in listed] == [created["id"]] and "secret" not in listed[0]
    assert created["secret"].encode() not in hauler.get("/webhooks").content


def test_status_changes_resolutions_and_comments_each_reach_the_receiver(
    partner_for, receiver, committed, service, people
):
    watcher = partner_for("Watcher", "webhooks")
    secret = subscribe(watcher, receiver.url)["secret"]
    agent = actor(people["agent"], Role.AGENT)
    with committed():
        pothole = submit(service("potholes"))
    with committed():
        service_request_transition(
            service_request=pothole, action=Action.COMMENT, actor=agent, change=Change(public_note="On our list.")
        )
    with committed():
        service_request_transition(
            service_request=pothole, action=Action.NOTE, actor=agent, change=Change(internal_note="Staff only.")
        )
    with committed():
        service_request_transition(
            service_request=pothole,
            action=Action.RESOLVE,
            actor=agent,
            change=Change(resolution=Resolution.FIXED, public_note="Filled.", photos=[jpeg_with_gps()]),
        )

    assert types_received(receiver) == [
        "request.created",
        "request.status_changed",  # routed to its department as it was filed
        "request.commented",
        "request.status_changed",
        "request.resolved",
    ]
    payloads = [verified(item, secret) for item in receiver.calls]
    assert payloads[1]["data"]["event"]["status"] == payloads[1]["data"]["request"]["status"] != "submitted"
    assert payloads[2]["data"]["event"]["note"] == "On our list."
    assert payloads[4]["data"]["request"]["status"] == "resolved"
    assert payloads[4]["data"]["event"] == payloads[3]["data"]["event"]  # one timeline event, two types
    assert all(b"Staff only." not in item.body for item in receiver.calls)


def test_subscriptions_hear_only_their_categories_and_zones(partner_for, receiver, committed, service):
    from cityhall.requests.models import ServiceRequest

    with committed():
        in_ocean_park = submit(service("potholes"), at=OCEAN_PARK)
    ocean_park = ServiceRequest.objects.get(pk=in_ocean_park.pk).zone
    assert ocean_park is not None
    receiver.calls.clear()

    partner = partner_for("Filtered", "webhooks")
    created = ["request.created"]
    subscribe(
        partner, receiver.url + "/hooks?only=graffiti", service_codes=["graffiti-public-property"], event_types=created
    )
    subscribe(partner, receiver.url + "/hooks?only=zone", zones=[ocean_park.slug], event_types=created)
    with committed():
        submit(service("potholes"), at=OCEAN_PARK)  # the zone's
        submit(service("graffiti-public-property"), at=CITY_HALL)  # the category's
        submit(service("potholes"), at=CITY_HALL)  # neither's
    heard = sorted(
        (item.path.rsplit("=", 1)[1], json.loads(item.body)["data"]["request"]["service_code"])
        for item in receiver.calls
    )
    assert heard == [("graffiti", "graffiti-public-property"), ("zone", "potholes")]


def test_failures_are_retried_with_backoff_then_pause_the_subscription_until_staff_resume_it(
    partner_for, receiver, committed, service, client, people
):
    partner = partner_for("Flaky", "webhooks")
    subscription_id = subscribe(partner, receiver.url, event_types=["request.created"])["id"]
    receiver.statuses.extend([500, 503])
    start = clock.now()
    with clock.travel(start):
        with committed():
            submit(service("potholes"))
        assert len(receiver.calls) == 1
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
        sweep_webhook_deliveries.enqueue()
        assert len(receiver.calls) == 1  # not yet due: the first wait is a minute
        clock.advance(timedelta(minutes=1))
        sweep_webhook_deliveries.enqueue()
        assert len(receiver.calls) == 2  # answered 503
        clock.advance(timedelta(minutes=3))
        sweep_webhook_deliveries.enqueue()
        assert len(receiver.calls) == 2  # the second wait is four minutes
        clock.advance(timedelta(minutes=1))
        receiver.statuses.append(500)
        sweep_webhook_deliveries.enqueue()
        assert len(receiver.calls) == 3
        # Three failures in a row (CITYHALL_WEBHOOK_PAUSE_AFTER in these tests): paused, nothing more is sent.
        assert partner.get("/webhooks").json()[0]["paused"] is True
        with committed():
            submit(service("potholes"))
        clock.advance(timedelta(days=1))
        sweep_webhook_deliveries.enqueue()
        assert len(receiver.calls) == 3
        assert WebhookDelivery.objects.count() == 1
        # The same id every time, so the receiver can tell a retry from a new event.
        assert len({item.headers["webhook-id"] for item in receiver.calls}) == 1

        client.force_login(people["admin"])
        response = client.post(
            "/admin/partners/webhooksubscription/",
            {"action": "resume", "_selected_action": [subscription_id]},
        )
        assert response.status_code == 302
    assert len(receiver.calls) == 4
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert partner.get("/webhooks").json()[0]["paused"] is False


def test_staff_replay_a_delivery_from_the_admin_with_the_same_id_and_body(
    partner_for, receiver, committed, service, client, people
):
    partner = partner_for("Replayed", "webhooks")
    secret = subscribe(partner, receiver.url, event_types=["request.created"])["secret"]
    with committed():
        submit(service("potholes"))
    delivery = WebhookDelivery.objects.get()
    client.force_login(people["admin"])
    log = client.get(f"/admin/partners/webhookdelivery/{delivery.pk}/change/")
    assert log.status_code == 200 and b"204" in log.content  # the attempt, with the receiver's answer
    assert secret.encode() not in log.content
    response = client.post("/admin/partners/webhookdelivery/", {"action": "replay", "_selected_action": [delivery.pk]})
    assert response.status_code == 302
    first, again = receiver.calls
    assert again.headers["webhook-id"] == first.headers["webhook-id"] and again.body == first.body
    verified(again, secret)
    assert WebhookDelivery.objects.get().attempt_log.count() == 2


def test_a_device_alarm_published_by_another_app_is_delivered_to_its_subscribers(partner_for, receiver, santa_monica):
    partner = partner_for("Sensors", "webhooks")
    secret = subscribe(partner, receiver.url, event_types=["device.alarm"])["secret"]
    data = {"device": {"id": "tide-gauge-3", "kind": "water-level"}, "alarm": {"level": "high", "value": 1.8}}
    ids = webhook_event_publish(
        EventType.DEVICE_ALARM, source="alarm:1", at=clock.now(), data=data, jurisdiction_id=santa_monica.pk
    )
    assert (
        webhook_event_publish(
            EventType.DEVICE_ALARM, source="alarm:1", at=clock.now(), data=data, jurisdiction_id=santa_monica.pk
        )
        == ids
    )  # the same alarm twice is stored once
    deliver_webhooks.enqueue(ids)
    deliver_webhooks.enqueue(ids)
    [delivery] = receiver.calls
    payload = verified(delivery, secret)
    assert (payload["type"], payload["data"]) == ("device.alarm", data)


def test_private_categories_are_never_sent(partner_for, receiver, committed, santa_monica):
    from cityhall.catalogue.models import Service

    private = Service.objects.filter(jurisdiction=santa_monica, is_private=True).first()
    assert private is not None
    subscribe(partner_for("Curious", "webhooks"), receiver.url)
    with committed():
        submit(private)
    assert receiver.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/hook",
        "http://127.0.0.1/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "ftp://203.0.113.1/hook",
        "file:///etc/passwd",
        "https://user:pass@93.184.215.14/hook",
        "not a url",
        "/relative/hook",
    ],
)
def test_unsafe_urls_are_refused_and_nothing_is_written(partner_for, settings, url):
    settings.CITYHALL_WEBHOOK_ALLOWED_NETWORKS = []  # production's default: no private network allowed
    partner = partner_for("Prober", "webhooks")
    response = partner.post("/webhooks", {"url": url, "event_types": ["request.created"]})
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["url"]
    assert WebhookSubscription.objects.count() == 0


def test_the_address_is_checked_again_at_each_delivery(partner_for, receiver, committed, service, settings):
    partner = partner_for("Moved", "webhooks")
    subscribe(partner, receiver.url, event_types=["request.created"])
    settings.CITYHALL_WEBHOOK_ALLOWED_NETWORKS = []  # as when a public name starts resolving inside
    with committed():
        submit(service("potholes"))
    assert receiver.calls == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "not a public address" in delivery.last_error
    assert delivery.attempt_log.get().status_code is None


def test_keys_without_the_webhooks_scope_are_refused_and_keys_reach_only_their_own(partner_for, receiver):
    owner = partner_for("Owner", "webhooks")
    created = subscribe(owner, receiver.url)
    submitter = partner_for("Submitter", "submit")
    for response in (
        submitter.get("/webhooks"),
        submitter.post("/webhooks", {"url": receiver.url, "event_types": ["request.created"]}),
        submitter.client.delete(
            f"/api/v1/webhooks/{created['id']}", headers={"Authorization": f"Bearer {submitter.key}"}
        ),
    ):
        assert response.status_code == 403 and response.json()["type"].endswith("out-of-scope")
    other = partner_for("Other", "webhooks")
    assert other.get("/webhooks").json() == []
    gone = other.client.delete(f"/api/v1/webhooks/{created['id']}", headers={"Authorization": f"Bearer {other.key}"})
    assert gone.status_code == 404
    assert WebhookSubscription.objects.count() == 1
    deleted = owner.client.delete(f"/api/v1/webhooks/{created['id']}", headers={"Authorization": f"Bearer {owner.key}"})
    assert deleted.status_code == 204 and WebhookSubscription.objects.count() == 0


def test_bad_input_names_each_field_and_writes_nothing(partner_for, receiver):
    partner = partner_for("Sloppy", "webhooks")
    response = partner.post(
        "/webhooks",
        {"url": receiver.url, "event_types": ["request.created"], "service_codes": ["nope"], "zones": ["atlantis"]},
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["service_codes.0", "zones.0"]
    response = partner.post("/webhooks", {"url": receiver.url, "event_types": ["request.exploded"]})
    assert response.status_code == 422
    response = partner.post("/webhooks", {"url": receiver.url, "event_types": []})
    assert response.status_code == 422
    assert WebhookSubscription.objects.count() == 0
