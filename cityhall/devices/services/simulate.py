"""The demo's simulated devices send a reading through the one ingest path (CITYHALL_DEVICE_SIMULATOR)."""

from __future__ import annotations

import orjson

from cityhall.core import clock

from ..kinds import measure_of
from ..models import Device
from ..senml import Rejected
from ..simulate import demo_value
from .ingest import device_ingest

# The demo loader names its devices so; no other device is ever simulated.
DEMO_PREFIX = "demo-"


def devices_simulate() -> int:
    """One reading from each demo device, now; returns how many were stored."""
    now = clock.now()
    stored = 0
    demo = Device.objects.filter(device_id__startswith=DEMO_PREFIX, credential_revoked_at=None)
    for phase, device in enumerate(demo.select_related("service__jurisdiction")):
        name, value = demo_value(device.kind, phase * 97, now)
        measure = measure_of(device.kind, name)
        assert measure is not None, f"the simulator sends {name}, which {device.kind} does not report"
        unit = measure.unit
        pack = [{"bn": f"{device.device_id}:", "n": name, "u": unit, "v": value}]
        try:
            device_ingest(device=device, body=orjson.dumps(pack))
        except Rejected:
            continue  # over its limit, if the worker fell behind: the next tick sends again
        stored += 1
    return stored
