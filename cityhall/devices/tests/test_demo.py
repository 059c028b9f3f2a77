"""The demo's simulated devices: with the simulator on, a bin fills up, raises its request, and is emptied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cityhall.core import clock, periodic
from cityhall.demo.devices import load_demo_devices
from cityhall.devices.simulate import BIN_CYCLE
from cityhall.devices.tasks import simulate_demo_devices
from cityhall.requests.models import Channel, ServiceRequest
from cityhall.requests.workflow import Status

pytestmark = pytest.mark.django_db


def test_the_simulator_runs_only_when_turned_on(settings, monkeypatch):
    monkeypatch.setattr(periodic, "_known", {})
    settings.CITYHALL_DEVICE_SIMULATOR = False
    assert "cityhall.devices.tasks.simulate_demo_devices" not in periodic.enqueue_due()
    settings.CITYHALL_DEVICE_SIMULATOR = True
    with clock.travel(clock.now() + timedelta(seconds=10)):
        assert "cityhall.devices.tasks.simulate_demo_devices" in periodic.enqueue_due()


def test_a_demo_bin_fills_raises_a_request_and_is_emptied(santa_monica):
    assert load_demo_devices(santa_monica) == 6
    assert load_demo_devices(santa_monica) == 0
    # The first demo device (the pier's bin) at the start of its cycle.
    start = datetime.fromtimestamp((1_780_000_000 // BIN_CYCLE) * BIN_CYCLE, tz=UTC)
    seen: list[str] = []
    with clock.travel(start):
        for _tick in range(BIN_CYCLE // 5 + 12):
            simulate_demo_devices.enqueue()
            statuses = list(ServiceRequest.objects.filter(device_id="demo-bin-pier").values_list("status", flat=True))
            seen.append(",".join(statuses))
            clock.advance(timedelta(seconds=5))
    assert "" in seen and Status.ROUTED.value in seen  # empty at first, then one open request
    (raised,) = ServiceRequest.objects.filter(device_id="demo-bin-pier")
    assert raised.channel == Channel.DEVICE and raised.status == Status.CLOSED  # emptied: cleared and closed
