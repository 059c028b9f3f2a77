"""Properties of the rules over any sequence of readings from two devices, in any interleaving and timing."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cityhall.core import clock
from cityhall.devices.models import Comparison, Rule
from cityhall.devices.senml import Rejected
from cityhall.devices.services import device_ingest
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import OPEN, Status

pytestmark = pytest.mark.django_db
START = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)
_names = itertools.count()

# (which device, seconds since its previous message — negative: a late or replayed one —, fill level)
steps = st.lists(
    st.tuples(st.integers(0, 1), st.integers(-40, 120), st.sampled_from([0, 10, 55, 61, 79, 80, 81, 95, 100])),
    max_size=40,
)


def _send(device, value: float, offset: int) -> bool:
    pack = [{"bn": f"{device.device_id}:", "n": "fill", "u": "%", "v": value, "t": offset}]
    try:
        device_ingest(device=device, body=orjson.dumps(pack))
    except Rejected:
        return False
    return True


def _open_requests(device) -> int:
    return ServiceRequest.objects.filter(device_id=device.device_id, status__in=OPEN).count()


@example(steps=[(0, 30, 95), (0, 70, 95), (0, 70, 95)])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_never_two_open_requests_and_all_clear_after_the_hysteresis(make_device, steps):
    Rule.objects.get_or_create(
        name="Bin nearly full", kind="litter_bin", measure="fill", comparison=Comparison.ABOVE, threshold=80,
        hysteresis=20, for_seconds=60, clear_after_seconds=120,
    )  # fmt: skip
    n = next(_names)
    devices = [make_device(f"bin-p{n}-a", rate_limit_per_minute=600)[0], make_device(f"bin-p{n}-b")[0]]
    devices[1].rate_limit_per_minute = 600
    devices[1].save()
    with clock.travel(START):
        for which, gap, value in steps:
            clock.advance(timedelta(seconds=max(gap, 1)))
            _send(devices[which], value, min(gap, 0))
            assert all(_open_requests(device) <= 1 for device in devices)
        # Back to normal for longer than clear_after: whatever was open is closed, nothing new opens.
        for _ in range(4):
            clock.advance(timedelta(seconds=60))
            for device in devices:
                assert _send(device, 5, 0)
    for device in devices:
        assert _open_requests(device) == 0
        statuses = set(ServiceRequest.objects.filter(device_id=device.device_id).values_list("status", flat=True))
        assert statuses <= {Status.CLOSED}
