"""MQTT ingest: `cityhall devices listen` subscribes to every device's topic and hands each message to the ingest.

A device publishes SenML packs to `cityhall/devices/<device id>/senml`. The broker checks who it is:
each device connects with its device id as user name and its credential as password, and the ACL
lets it write to its own topic only (docs/devices.md, *MQTT*). The listener reads every device's
topic with a user of its own and takes the device from the topic, so a message takes the same path
as an HTTP POST (`services.device_ingest`): limit, check, store, rules.

paho-mqtt's synchronous client: Django's ORM is synchronous, and one loop in one process is all the
listener needs. It subscribes with QoS 1 on a persistent session, so the broker keeps what arrives
while the listener is down, and acknowledges a message once its callback has returned (stored or
refused).
"""

from __future__ import annotations

import logging
import re
import ssl
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import connection
from paho.mqtt.enums import CallbackAPIVersion

from .access import device_for_topic
from .senml import Rejected
from .services import device_ingest

log = logging.getLogger(__name__)

TOPICS = "cityhall/devices/+/senml"
_TOPIC = re.compile(r"^cityhall/devices/([a-z0-9][a-z0-9-]{0,63})/senml$")


@dataclass(frozen=True)
class Broker:
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    ca_file: str = ""  # TLS when set: the broker's certificate authority
    client_id: str = "cityhall-listener"

    @classmethod
    def from_settings(cls) -> Broker:
        return cls(
            host=settings.CITYHALL_MQTT_HOST,
            port=settings.CITYHALL_MQTT_PORT,
            username=settings.CITYHALL_MQTT_USERNAME,
            password=settings.CITYHALL_MQTT_PASSWORD,
            ca_file=settings.CITYHALL_MQTT_CA_FILE,
        )


def device_id_of(topic: str) -> str | None:
    match = _TOPIC.match(topic)
    return match.group(1) if match else None


def handle(topic: str, payload: bytes | bytearray) -> str:
    """Take one message; returns what became of it ("stored", or why not), for the log."""
    # A long-running process keeps its connection (opening one per message cost more than the
    # message), and replaces it when the database dropped it; never one inside a caller's open
    # transaction, as when a test drives the listener.
    if not connection.in_atomic_block and connection.connection is not None and not connection.is_usable():
        connection.close()
    device_id = device_id_of(topic)
    device = device_for_topic(device_id) if device_id else None
    if device is None:
        return "unknown device"
    try:
        readings = device_ingest(device=device, body=bytes(payload))
    except Rejected as rejected:
        return f"refused ({rejected.reason.value}): {rejected.detail}"
    return f"stored {len(readings)}"


class Listener:
    def __init__(self, broker: Broker) -> None:
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=broker.client_id, clean_session=False, protocol=mqtt.MQTTv311
        )
        if broker.username:
            self.client.username_pw_set(broker.username, broker.password)
        if broker.ca_file:
            self.client.tls_set(ca_certs=broker.ca_file, tls_version=ssl.PROTOCOL_TLS_CLIENT)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.broker = broker
        self.subscribed = False

    def connect(self) -> None:
        self.client.connect(self.broker.host, self.broker.port, keepalive=30)

    def loop_once(self, timeout: float = 0.1) -> None:
        self.client.loop(timeout=timeout)

    def run_forever(self) -> None:
        self.client.loop_forever(retry_first_connection=True)

    def stop(self) -> None:
        self.client.disconnect()

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: object, reason: object, props: object) -> None:
        if getattr(reason, "is_failure", False):
            log.error("The MQTT broker refused the listener: %s", reason)
            return
        client.subscribe(TOPICS, qos=1)
        self.subscribed = True
        log.info("Listening to %s on %s:%s", TOPICS, self.broker.host, self.broker.port)

    def _on_message(self, client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        outcome = handle(message.topic, message.payload)
        log.info("%s: %s", message.topic, outcome)
