"""The HTTP ingest, as a device sees it: what is stored, what is refused (and why), and the limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from django.urls import reverse

from cityhall.core import clock
from cityhall.devices.models import Device, Measurement
from cityhall.devices.services import device_credential_revoke, measurements_sweep

from .conftest import SENML, Sender

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 12, 0, 30, tzinfo=UTC)


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = orjson.loads(response.content)
    assert body["type"] == f"urn:cityhall:problem:device-{code}" and body["status"] == status
    assert body["instance"] == SENML or body["instance"].startswith("/devices/")
    return body


def _stored(device: Device) -> list[tuple[str, datetime, float]]:
    return list(Measurement.objects.filter(device=device).order_by("at").values_list("name", "at", "value"))


def test_a_pack_is_stored_with_base_fields_and_relative_times(bin_sender):
    pack = [
        {"bn": "bin-0042:", "bt": NOW.timestamp() - 20, "bu": "%", "n": "fill", "v": 40},
        {"n": "fill", "t": 10, "v": 45.5},
        {"n": "fill", "t": 20, "vb": True},
    ]
    with clock.travel(NOW):
        response = bin_sender.post(pack)
    assert response.status_code == 202 and orjson.loads(response.content) == {"stored": 3}
    assert _stored(bin_sender.device) == [
        ("fill", NOW - timedelta(seconds=20), 40.0),
        ("fill", NOW - timedelta(seconds=10), 45.5),
        ("fill", NOW, 1.0),
    ]
    bin_sender.device.refresh_from_db()
    assert bin_sender.device.last_seen_at == NOW


@pytest.mark.parametrize(
    ("pack", "status", "code"),
    [
        (b"{not json", 400, "malformed"),
        ({"bn": "bin-0042:", "n": "fill", "v": 3}, 400, "malformed"),
        ([], 400, "malformed"),
        (["fill"], 400, "malformed"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": "12"}], 400, "malformed"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": True}], 400, "malformed"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%"}], 400, "malformed"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 3, "ttl_": 5}], 400, "malformed"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 3}] * 65, 400, "malformed"),
        ([{"bn": "bin-0099:", "n": "fill", "u": "%", "v": 3}], 422, "unknown"),
        ([{"bn": "bin-0042:", "n": "temperature", "u": "Cel", "v": 3}], 422, "unknown"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 101}], 422, "out_of_range"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "/", "v": 0.5}], 422, "out_of_range"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 3, "t": 3600}], 422, "out_of_range"),
        ([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 3, "t": -2 * 86400}], 422, "out_of_range"),
    ],
)
def test_a_bad_pack_is_refused_with_its_reason_and_nothing_is_stored(bin_sender, pack, status, code):
    with clock.travel(NOW):
        # One good record ahead of the bad one: a pack is taken whole or not at all.
        if isinstance(pack, list) and pack and isinstance(pack[0], dict) and len(pack) < 10:
            pack = [{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 7, "t": -1}, *pack]
        body = _problem(bin_sender.post(pack), status, code)
    assert body["detail"]
    assert _stored(bin_sender.device) == []


def test_a_replayed_pack_is_refused(bin_sender):
    pack = [{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 30, "t": NOW.timestamp() - 5}]
    with clock.travel(NOW):
        assert bin_sender.post(pack).status_code == 202
        _problem(bin_sender.post(pack), 409, "replayed")
        # Older than what was stored is a replay too; newer is taken.
        _problem(bin_sender.reading(20, t=-10), 409, "replayed")
        assert bin_sender.reading(35).status_code == 202
    assert [value for _name, _at, value in _stored(bin_sender.device)] == [30.0, 35.0]


@pytest.mark.parametrize(
    ("credential", "refusal"), [("", "missing"), ("not-a-credential", "invalid"), ("x" * 500, "invalid")]
)
def test_a_message_without_a_good_credential_is_refused(bin_sender, credential, refusal):
    _problem(bin_sender.post([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 3}], credential=credential), 401,
             f"credential-{refusal}")  # fmt: skip
    assert _stored(bin_sender.device) == []


def test_one_devices_credential_cannot_speak_for_another(client, make_device, bin_sender):
    _other, other_credential = make_device("bin-0043")
    response = bin_sender.post([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 3}], credential=other_credential)
    _problem(response, 422, "unknown")
    assert _stored(bin_sender.device) == []


def test_a_revoked_credential_is_refused(bin_sender):
    assert bin_sender.reading(10).status_code == 202
    device_credential_revoke(device=bin_sender.device)
    _problem(bin_sender.reading(11, t=1), 401, "credential-revoked")


def test_a_device_over_its_limit_waits_for_the_next_minute(bin_sender):
    Device.objects.filter(pk=bin_sender.device.pk).update(rate_limit_per_minute=3)
    with clock.travel(NOW):
        assert [bin_sender.reading(10 + i, t=i).status_code for i in range(3)] == [202, 202, 202]
        response = bin_sender.reading(20, t=4)
        _problem(response, 429, "rate_limited")
        assert response["Retry-After"] == "30"
        clock.advance(timedelta(seconds=30))
        assert bin_sender.reading(21).status_code == 202


def test_refusals_are_counted_per_device_and_reason_in_the_admin(client, people, bin_sender, make_device):
    other, other_credential = make_device("bin-0043")
    with clock.travel(NOW):
        bin_sender.post(b"[")
        bin_sender.post(b"{}")
        bin_sender.reading(300)
        Sender(client, other, other_credential).post(b"[")
    client.force_login(people["admin"])
    page = client.get(reverse("admin:devices_device_change", args=[bin_sender.device.pk])).content.decode()
    assert "malformed: 2 (A SenML pack is a JSON array of at least one record.)" in page
    assert "out_of_range: 1" in page
    other_page = client.get(reverse("admin:devices_device_change", args=[other.pk])).content.decode()
    assert "malformed: 1" in other_page and "out_of_range" not in other_page


def test_the_admin_shows_a_new_credential_once_and_it_works(client, people, public_works, service):
    client.force_login(people["admin"])
    response = client.post(
        reverse("admin:devices_device_add"),
        {
            "device_id": "light-0007",
            "kind": "streetlight",
            "lat": "34.0195",
            "lng": "-118.4912",
            "department": public_works.pk,
            "service": service("streetlights").pk,
            "rate_limit_per_minute": "12",
        },
        follow=True,
    )
    assert response.status_code == 200
    (line,) = [str(m) for m in response.context["messages"] if "shown only now" in str(m)]
    credential = re.search(r"[A-Za-z0-9_-]{43}$", line).group()
    device = Device.objects.get(device_id="light-0007")
    assert credential not in client.get(reverse("admin:devices_device_change", args=[device.pk])).content.decode()
    sender = Sender(client, device, credential)
    assert sender.reading(2, name="lamp_failures", unit="count").status_code == 202
    client.post(
        reverse("admin:devices_device_changelist"),
        {"action": "revoke_credential", "_selected_action": [device.pk]},
    )
    _problem(sender.reading(3, t=1, name="lamp_failures", unit="count"), 401, "credential-revoked")


def test_only_post_of_senml_is_taken(client, bin_sender):
    response = client.get(SENML, headers={"Authorization": f"Bearer {bin_sender.credential}"})
    _problem(response, 405, "method")
    assert response["Allow"] == "POST"
    _problem(bin_sender.post([{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 3}], content_type="text/plain"), 415,
             "malformed")  # fmt: skip
    _problem(client.get("/devices/v2/anything"), 404, "not-found")
    _problem(bin_sender.post(b"[" + b" " * 20000 + b"]"), 413, "malformed")


def test_measurements_older_than_the_retention_are_swept(settings, bin_sender):
    settings.CITYHALL_DEVICE_RETENTION_DAYS = 7
    with clock.travel(NOW - timedelta(days=8)):
        assert bin_sender.reading(10).status_code == 202
    with clock.travel(NOW - timedelta(days=6)):
        assert bin_sender.reading(20).status_code == 202
    with clock.travel(NOW):
        assert measurements_sweep() == 1
    assert [value for _name, _at, value in _stored(bin_sender.device)] == [20.0]
