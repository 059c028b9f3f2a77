"""Devices as the city registers them, and a device's side of the HTTP ingest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from django.test import Client

from cityhall.devices.kinds import Kind
from cityhall.devices.models import Device

from .broker import mosquitto  # noqa: F401 (the MQTT tests' broker)

SENML = "/devices/v1/senml"
# Beside the pier, inside Santa Monica.
PIER = (34.0094, -118.4973)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Sender:
    """A device posting SenML packs with its credential, through Django's test client (the full chain)."""

    def __init__(self, client: Client, device: Device, credential: str) -> None:
        self.client = client
        self.device = device
        self.credential = credential

    def post(self, pack: Any, *, credential: str | None = None, content_type: str = "application/senml+json") -> Any:
        body = pack if isinstance(pack, bytes) else orjson.dumps(pack)
        token = self.credential if credential is None else credential
        return self.client.post(SENML, body, content_type=content_type, headers={"Authorization": f"Bearer {token}"})

    def reading(self, value: float, *, t: float = 0, name: str = "fill", unit: str = "%") -> Any:
        return self.post([{"bn": f"{self.device.device_id}:", "n": name, "u": unit, "v": value, "t": t}])


@pytest.fixture
def make_device(public_works, service) -> Callable[..., tuple[Device, str]]:
    def make(
        device_id: str = "bin-0042",
        kind: Kind = Kind.LITTER_BIN,
        code: str = "other-refuse-and-recycling",
        **fields: Any,
    ) -> tuple[Device, str]:
        device = Device(
            device_id=device_id, kind=kind, lat=PIER[0], lng=PIER[1], department=public_works, service=service(code)
        )
        for name, value in fields.items():
            setattr(device, name, value)
        credential = device.issue_credential()
        device.save()
        return device, credential

    return make


@pytest.fixture
def bin_sender(client, make_device) -> Sender:
    device, credential = make_device()
    return Sender(client, device, credential)
