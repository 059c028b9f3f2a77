"""SLA warnings and escalation, with the clock moved: at 75% of the time allowed, and when overdue."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cityhall.catalogue import policy
from cityhall.core import clock
from cityhall.requests.models import ServiceRequest
from cityhall.requests.tests.builders import actor, submit
from cityhall.requests.workflow import Action, Role

from ..models import Message, MessageStatus, SlaWarning
from ..tasks import fail_stuck_messages, notify_events, sweep_sla_deadlines
from .helpers import act, subject_of, text_of
from .test_resident_emails import fix

pytestmark = pytest.mark.django_db
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def a_monday_morning() -> datetime:
    """9:00 on a Monday a few weeks ahead, in Santa Monica (a working day in the test catalogue)."""
    day = (timezone.now() + timedelta(days=21)).astimezone(LOS_ANGELES).date()
    while day.weekday() != 0 or day.isoformat() in ("2027-01-18", "2027-02-15", "2027-05-31", "2027-09-06"):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOS_ANGELES)


def sweep_at(moment: datetime) -> dict[str, int]:
    with clock.travel(moment):
        return sweep_sla_deadlines.call()


def subjects(smtp, address: str) -> list[str]:
    return [subject_of(message) for message in smtp.to(address)]


@pytest.fixture
def pothole(service, people):
    """A pothole (45 business hours allowed) reported Monday 9:00, assigned to the crew at once."""
    start = a_monday_morning()
    with clock.travel(start):
        request = submit(service("potholes"), reporter=people["resident"])
        act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])
    request.refresh_from_db()
    return request


def moment_of_75_percent(request: ServiceRequest) -> datetime:
    calendar = policy.calendar_for(request.jurisdiction)
    return calendar.add_business_time(request.requested_at, timedelta(hours=45 * 0.75))


def test_the_assignee_is_warned_at_75_percent_and_the_supervisor_too_when_it_is_overdue(pothole, smtp):
    warn_at = moment_of_75_percent(pothole)
    assert pothole.requested_at < warn_at < pothole.expected_at

    assert sweep_at(warn_at - timedelta(minutes=10)) == {}
    assert smtp.received == []

    sweep_at(warn_at + timedelta(minutes=10))
    assert subjects(smtp, "crew@example.org") == [f"Due soon: #{pothole.public_id} Potholes"]
    assert subjects(smtp, "supervisor@example.org") == []  # someone has it: no escalation yet
    text = text_of(smtp.to("crew@example.org")[0])
    assert "Three quarters of the time allowed" in text and "(45 business hours)" in text
    assert f"/staff/requests/{pothole.public_id}" in text

    sweep_at(warn_at + timedelta(minutes=20))  # the next sweep: nothing twice
    sweep_at(pothole.expected_at - timedelta(minutes=1))
    assert len(smtp.received) == 1

    sweep_at(pothole.expected_at + timedelta(minutes=5))
    overdue = f"Overdue: #{pothole.public_id} Potholes"
    assert subjects(smtp, "crew@example.org")[-1] == overdue
    assert subjects(smtp, "supervisor@example.org") == [overdue]
    assert "Assigned to: crew" in text_of(smtp.to("supervisor@example.org")[0])

    sweep_at(pothole.expected_at + timedelta(minutes=10))
    assert len(smtp.received) == 3
    assert sorted(SlaWarning.objects.values_list("threshold", flat=True)) == ["breach", "warning"]


def test_the_same_sweep_run_twice_warns_once(pothole, smtp):
    moment = moment_of_75_percent(pothole) + timedelta(minutes=10)
    first, second = sweep_at(moment), sweep_at(moment)
    assert first == {"sent": 1} and second == {}
    assert len(smtp.received) == 1


def test_a_request_nobody_has_yet_warns_the_supervisors_at_75_percent(service, people, smtp):
    with clock.travel(a_monday_morning()):
        request = submit(service("potholes"), reporter=people["resident"])  # routed to Public Works, unassigned
    sweep_at(moment_of_75_percent(request) + timedelta(minutes=10))
    assert subjects(smtp, "supervisor@example.org") == [f"Due soon: #{request.public_id} Potholes"]
    assert "Nobody is assigned to it yet." in text_of(smtp.to("supervisor@example.org")[0])


def test_on_hold_the_clock_is_stopped_and_nobody_is_warned(pothole, people, smtp):
    with clock.travel(pothole.requested_at + timedelta(hours=1)):
        act(pothole, Action.HOLD, actor(people["crew"], Role.CREW), reason="Waiting for asphalt.")
    sweep_at(pothole.expected_at + timedelta(minutes=5))
    assert smtp.received == []


def test_a_residents_not_fixed_reopen_tells_the_last_assignee_and_the_supervisors_and_restarts_the_warnings(
    pothole, people, smtp
):
    sweep_at(moment_of_75_percent(pothole) + timedelta(minutes=10))
    resolved_at = moment_of_75_percent(pothole) + timedelta(hours=1)
    with clock.travel(resolved_at):
        fix(pothole, people["crew"], "Done.")
    with clock.travel(resolved_at + timedelta(days=1)):
        act(pothole, Action.REOPEN, actor(people["resident"], Role.REQUESTER), reason="Still a hole.")
        reopen = pothole.events.get(action="reopen")
        notify_events.call([reopen.pk])  # what the worker runs after the commit
    not_fixed = f"Not fixed, reopened: #{pothole.public_id} Potholes"
    assert subjects(smtp, "crew@example.org")[-1] == not_fixed
    assert subjects(smtp, "supervisor@example.org") == [not_fixed]
    text = text_of(smtp.to("crew@example.org")[-1])
    assert "Reason: Still a hole." in text and "Last assigned to: crew" in text

    pothole.refresh_from_db()  # a new SLA from the reopen: its 75% comes again, and is told again
    sweep_at(moment_of_75_percent_from(pothole, reopen.created_at) + timedelta(minutes=10))
    assert subjects(smtp, "supervisor@example.org")[-1] == f"Due soon: #{pothole.public_id} Potholes"


def moment_of_75_percent_from(request: ServiceRequest, start: datetime) -> datetime:
    return policy.calendar_for(request.jurisdiction).add_business_time(start, timedelta(hours=45 * 0.75))


def test_staff_reopening_a_request_tell_nobody_on_staff(pothole, people, smtp):
    with clock.travel(pothole.requested_at + timedelta(hours=1)):
        fix(pothole, people["crew"], "Done.")
        act(pothole, Action.REOPEN, actor(people["supervisor"], Role.SUPERVISOR), reason="Poor work.")
        notify_events.call([pothole.events.get(action="reopen").pk])
    assert smtp.to("crew@example.org") == smtp.to("supervisor@example.org") == []


def test_assignment_notices_go_to_the_assignee_unless_they_took_it_themselves(service, people, smtp, committed):
    with committed():
        request = submit(service("potholes"), reporter=people["resident"])
    with committed():
        act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["crew"])
    assert subjects(smtp, "crew@example.org") == [f"Assigned to you: #{request.public_id} Potholes"]
    with committed():
        act(request, Action.ASSIGN, actor(people["staff"], Role.STAFF), assignee=people["staff"])
    assert smtp.to("staff@example.org") == []


def test_messages_stuck_in_sending_for_an_hour_are_marked_failed(service, people, smtp):
    request = submit(service("potholes"), reporter=people["resident"])
    notify_events.call(list(request.events.values_list("pk", flat=True)))
    message = Message.objects.get()
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_at=now - timedelta(minutes=30))
    with clock.travel(now):
        assert fail_stuck_messages.call() == 0  # half an hour: it may still be talking to the provider
    with clock.travel(now + timedelta(minutes=31)):
        assert fail_stuck_messages.call() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "Stuck in sending for over an hour" in message.last_error
