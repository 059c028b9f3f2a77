"""SenML over MQTT through a real mosquitto: the same path as HTTP, from the broker to the staff's request."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from cityhall.core import clock
from cityhall.devices.models import Comparison, Measurement, Rejection, Rule
from cityhall.devices.mqtt import Listener
from cityhall.devices.services import device_credential_revoke
from cityhall.requests.models import Channel, ServiceRequest

from .broker import wait_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


@pytest.fixture
def listening(mosquitto):
    listener = Listener(mosquitto.listener)
    listener.connect()
    wait_for(lambda: listener.subscribed, pump=listener.loop_once)
    # The subscription is granted once its SUBACK is read: one more turn of the loop.
    listener.loop_once()
    yield listener
    listener.stop()


def _publish(client, device_id: str, pack) -> None:
    info = client.publish(f"cityhall/devices/{device_id}/senml", orjson.dumps(pack), qos=1)
    info.wait_for_publish(timeout=10)


def test_a_reading_published_over_mqtt_is_stored_and_raises_the_request(mosquitto, listening, make_device):
    Rule.objects.create(name="Bin nearly full", kind="litter_bin", measure="fill", comparison=Comparison.ABOVE,
                        threshold=80, hysteresis=20)  # fmt: skip
    device, credential = make_device("bin-0042")
    mosquitto.add_user(device.device_id, credential)
    publisher = mosquitto.device(device.device_id, credential)
    with clock.travel(NOW):
        _publish(publisher, "bin-0042", [{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 93}])
        wait_for(lambda: Measurement.objects.filter(device=device).exists(), pump=listening.loop_once)
    assert list(Measurement.objects.filter(device=device).values_list("value", flat=True)) == [93.0]
    (raised,) = ServiceRequest.objects.filter(device_id="bin-0042")
    assert raised.channel == Channel.DEVICE and raised.description.startswith("Bin nearly full: fill level 93 %")


def test_a_bad_message_over_mqtt_is_refused_and_counted(mosquitto, listening, make_device):
    device, credential = make_device("bin-0042")
    mosquitto.add_user(device.device_id, credential)
    publisher = mosquitto.device(device.device_id, credential)
    _publish(publisher, "bin-0042", [{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 130}])
    wait_for(lambda: Rejection.objects.filter(device=device).exists(), pump=listening.loop_once)
    assert list(Rejection.objects.filter(device=device).values_list("reason", "count")) == [("out_of_range", 1)]
    assert not Measurement.objects.filter(device=device).exists()


def test_a_revoked_device_is_not_heard_over_mqtt(mosquitto, listening, make_device):
    revoked, revoked_credential = make_device("bin-0041")
    device, credential = make_device("bin-0042")
    for row, secret in ((revoked, revoked_credential), (device, credential)):
        mosquitto.add_user(row.device_id, secret)
    device_credential_revoke(device=revoked)
    old = mosquitto.device("bin-0041", revoked_credential)
    _publish(old, "bin-0041", [{"bn": "bin-0041:", "n": "fill", "u": "%", "v": 50}])
    # Messages are delivered in order: once the later one is stored, the earlier one has been handled.
    _publish(mosquitto.device("bin-0042", credential), "bin-0042", [{"bn": "bin-0042:", "n": "fill", "u": "%", "v": 5}])
    wait_for(lambda: Measurement.objects.filter(device=device).exists(), pump=listening.loop_once)
    assert not Measurement.objects.filter(device=revoked).exists()
