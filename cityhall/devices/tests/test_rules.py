"""Rules turn readings into requests: one per device and condition, noted on further alarms, resolved when clear."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from cityhall.core import clock
from cityhall.devices.models import Comparison, Rule
from cityhall.devices.services import devices_offline_sweep
from cityhall.requests.models import Channel, RequestEvent, ServiceRequest
from cityhall.requests.workflow import Resolution, Status

from .conftest import PIER, Sender

pytestmark = pytest.mark.django_db
# 09:00 in Santa Monica.
MORNING = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)


@pytest.fixture
def full_bin(db) -> Rule:
    return Rule.objects.create(
        name="Bin nearly full", kind="litter_bin", measure="fill", comparison=Comparison.ABOVE, threshold=80,
        hysteresis=20, for_seconds=60, clear_after_seconds=120,
    )  # fmt: skip


def _requests(sender: Sender) -> list[ServiceRequest]:
    return list(ServiceRequest.objects.filter(device_id=sender.device.device_id).order_by("pk"))


def _send(sender: Sender, values: list[float], *, every: int = 30) -> None:
    for value in values:
        assert sender.reading(value).status_code == 202
        clock.advance(timedelta(seconds=every))


def test_a_filling_bin_opens_one_request_once_the_condition_holds(bin_sender, full_bin, public_works):
    with clock.travel(MORNING):
        _send(bin_sender, [50, 85, 90])  # above for 30 s only: not yet
        assert _requests(bin_sender) == []
        _send(bin_sender, [92, 96, 99])
    (opened,) = _requests(bin_sender)
    assert opened.channel == Channel.DEVICE and (opened.lat, opened.lng) == PIER
    assert opened.department == public_works and opened.status == Status.ROUTED
    assert opened.service == bin_sender.device.service
    assert opened.description.startswith("Bin nearly full: fill level 92 % at")


def test_further_alarms_are_events_on_the_open_request(bin_sender, full_bin):
    with clock.travel(MORNING):
        _send(bin_sender, [85, 90, 95])
        _send(bin_sender, [70, 90, 91])  # dips into the band, then alarms again
        _send(bin_sender, [85])
    (opened,) = _requests(bin_sender)
    notes = list(
        RequestEvent.objects.filter(request=opened, kind=RequestEvent.Kind.NOTE).values_list("internal_note", flat=True)
    )
    assert len(notes) == 1 and notes[0].startswith("Alarm again: fill level 90 %")


def test_a_request_is_resolved_and_closed_once_the_reading_stays_clear(bin_sender, full_bin):
    with clock.travel(MORNING):
        _send(bin_sender, [85, 90, 95])
        _send(bin_sender, [61, 55])  # above threshold minus hysteresis: still the same alarm
        assert _requests(bin_sender)[0].status == Status.ROUTED
        _send(bin_sender, [12, 10, 8, 5], every=60)  # clear from the first: closes at 120 s
    (closed,) = _requests(bin_sender)
    assert closed.status == Status.CLOSED and closed.resolution == Resolution.FIXED
    assert closed.status_note.startswith("Back to normal: fill level 8 % at")
    with clock.travel(MORNING + timedelta(hours=1)):
        _send(bin_sender, [90, 95, 99])
    assert [r.status for r in _requests(bin_sender)] == [Status.CLOSED, Status.ROUTED]


def test_no_request_opens_in_quiet_hours(bin_sender, full_bin):
    full_bin.quiet_start, full_bin.quiet_end = time(22, 0), time(7, 0)
    full_bin.save()
    # 06:50 in Santa Monica, quiet until 07:00.
    with clock.travel(datetime(2026, 6, 1, 13, 50, tzinfo=UTC)):
        _send(bin_sender, [85, 90, 95, 97], every=180)  # the last at 06:59
        assert _requests(bin_sender) == []
        _send(bin_sender, [98])  # 07:02
    assert len(_requests(bin_sender)) == 1


def test_staff_closing_the_request_lets_a_new_alarm_open_another(bin_sender, full_bin, people):
    from cityhall.requests.services import Change, service_request_transition
    from cityhall.requests.tests.builders import actor
    from cityhall.requests.workflow import Action
    from cityhall.requests.workflow import Role as Acting

    with clock.travel(MORNING):
        _send(bin_sender, [85, 90, 95])
        (first,) = _requests(bin_sender)
        service_request_transition(
            service_request=first, action=Action.RESOLVE, actor=actor(people["staff"], Acting.STAFF),
            change=Change(resolution=Resolution.FIXED, public_note="Emptied."),
        )  # fmt: skip
        _send(bin_sender, [96, 97, 98])
    assert len(_requests(bin_sender)) == 2


def test_a_silent_device_raises_one_offline_request_resolved_when_it_speaks(bin_sender, full_bin):
    with clock.travel(MORNING):
        _send(bin_sender, [10])
    with clock.travel(MORNING + timedelta(minutes=20)):
        assert devices_offline_sweep() == 0
    with clock.travel(MORNING + timedelta(minutes=31)):
        assert devices_offline_sweep() == 1
        assert devices_offline_sweep() == 0
    (offline,) = _requests(bin_sender)
    assert offline.description.startswith("Device offline: bin-0042 has sent nothing since")
    with clock.travel(MORNING + timedelta(minutes=40)):
        _send(bin_sender, [12])
    offline.refresh_from_db()
    assert offline.status == Status.CLOSED and offline.status_note == "bin-0042 is sending again."


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_public_reads_a_device_request_at_the_city_time(client, bin_sender, full_bin, language):
    with clock.travel(MORNING):
        _send(bin_sender, [85, 90, 95])
        _send(bin_sender, [12, 10, 8, 5], every=60)
    (closed,) = _requests(bin_sender)
    page = client.get(f"/requests/{closed.public_id}", headers={"accept-language": language}).content.decode()
    # The stored words are English; the moments are Santa Monica's clock (16:01 UTC is 9:01 AM), whole.
    assert "Bin nearly full: fill level 95 % at 9:01 AM on June 1, 2026." in page
    assert "Back to normal: fill level 8 % at 9:03 AM on June 1, 2026." in page
    assert "UTC" not in page
