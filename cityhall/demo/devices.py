"""The demo's devices and rules: a few sensors around downtown Santa Monica, fed by the simulator.

Loaded like the rest of the demo (safe to run again). Their credentials are issued and not shown:
the simulator sends through the ingest service; issue one in the admin to send your own readings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cityhall.catalogue.models import Department, Jurisdiction, Service
from cityhall.devices.kinds import Kind
from cityhall.devices.models import Comparison, Device, Rule


@dataclass(frozen=True)
class DemoDevice:
    device_id: str
    kind: Kind
    lat: float
    lng: float
    description: str
    service: str


BIN, LIGHT, WATER, NOISE = "other-refuse-and-recycling", "streetlights", "other-water", "other-noise"
DEVICES = [
    DemoDevice("demo-bin-pier", Kind.LITTER_BIN, 34.00995, -118.49672, "Bin at the pier entrance", BIN),
    DemoDevice("demo-bin-promenade", Kind.LITTER_BIN, 34.01570, -118.49630, "Bin on Third Street Promenade", BIN),
    DemoDevice("demo-bin-main", Kind.LITTER_BIN, 34.00270, -118.48790, "Bin on Main Street at Hollister", BIN),
    DemoDevice("demo-light-ocean", Kind.STREETLIGHT, 34.01230, -118.49820, "Circuit controller, Ocean Ave", LIGHT),
    DemoDevice("demo-water-pico", Kind.WATER, 34.00810, -118.48950, "Flood sensor, Pico Blvd underpass", WATER),
    DemoDevice("demo-noise-broadway", Kind.NOISE, 34.01680, -118.49350, "Noise monitor, Broadway", NOISE),
]  # fmt: skip

RULES: list[dict[str, Any]] = [
    {"name": "Bin nearly full", "kind": Kind.LITTER_BIN, "measure": "fill", "threshold": 85, "hysteresis": 60,
     "for_seconds": 10, "clear_after_seconds": 10},
    {"name": "Lamps out", "kind": Kind.STREETLIGHT, "measure": "lamp_failures", "threshold": 0, "hysteresis": 0,
     "for_seconds": 0, "clear_after_seconds": 60, "answers": {"PROBLEM": "OUT"}},
    {"name": "Standing water", "kind": Kind.WATER, "measure": "water_level", "threshold": 0.2, "hysteresis": 0.15,
     "for_seconds": 30, "clear_after_seconds": 60},
    {"name": "Noise over 85 dB", "kind": Kind.NOISE, "measure": "sound_level", "threshold": 85, "hysteresis": 15,
     "for_seconds": 30, "clear_after_seconds": 120},
]  # fmt: skip


def load_demo_devices(jurisdiction: Jurisdiction) -> int:
    """Register the demo's devices and rules that are missing; returns how many devices were added."""
    for rule in RULES:
        Rule.objects.get_or_create(
            name=rule["name"], kind=rule["kind"], defaults={**rule, "comparison": Comparison.ABOVE}
        )
    services = {
        s.code: s for s in Service.objects.filter(jurisdiction=jurisdiction, code__in={d.service for d in DEVICES})
    }
    public_works = Department.objects.get(jurisdiction=jurisdiction, slug="public-works")
    added = 0
    for demo in DEVICES:
        if Device.objects.filter(device_id=demo.device_id).exists():
            continue
        device = Device(
            device_id=demo.device_id, kind=demo.kind, lat=demo.lat, lng=demo.lng, description=demo.description,
            department=public_works, service=services[demo.service], rate_limit_per_minute=30,
        )  # fmt: skip
        device.issue_credential()
        device.save()
        added += 1
    return added
