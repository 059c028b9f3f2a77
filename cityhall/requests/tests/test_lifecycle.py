"""The lifecycle through the services: verified closure, SLA pauses, duplicates, reopen, auto-close."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cityhall.core import clock
from cityhall.core.errors import TransitionRefused, ValidationFailed
from cityhall.requests import access, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.services import Change
from cityhall.requests.workflow import Action, Resolution, Role

from .builders import actor, jpeg_with_gps, submit

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


def act(request, action, who, **change):
    return services.service_request_transition(
        service_request=request, action=action, actor=who, change=Change(**change)
    )


def test_from_report_to_confirmed_closure_and_a_reopen(service, people, public_works):
    """End to end: a resident reports; staff assign; the crew works and resolves with a photo;
    the resident confirms; later reopens, and it lands back in the department's queue."""
    resident = people["resident"]
    request = submit(service("graffiti-public-property"), reporter=resident)
    assert request.status == "routed" and request.department == public_works

    staff = access.actor_for(people["staff"], request)
    act(request, Action.ASSIGN, staff, assignee=people["crew"])
    crew = access.actor_for(people["crew"], request)
    act(request, Action.START, crew)
    with pytest.raises(ValidationFailed) as refused:
        act(request, Action.RESOLVE, crew, resolution=Resolution.FIXED, public_note="Painted over.")
    assert "completion photo" in refused.value.errors["photos"]
    with pytest.raises(ValidationFailed) as refused:
        act(request, Action.RESOLVE, crew, resolution=Resolution.FIXED, photos=[jpeg_with_gps()])
    assert "public_note" in refused.value.errors
    act(
        request,
        Action.RESOLVE,
        crew,
        resolution=Resolution.FIXED,
        public_note="Painted over.",
        photos=[jpeg_with_gps()],
    )
    assert request.status == "resolved" and request.resolution == "fixed"
    assert request.status_note == "Painted over."
    assert request.attachments.filter(purpose="completion").count() == 1

    requester = access.actor_for(resident, request)
    assert Role.REQUESTER in requester.roles
    act(request, Action.CONFIRM, requester)
    assert request.status == "closed" and request.closed_at is not None

    act(request, Action.REOPEN, requester, reason="The tag is back on the wall.")
    assert request.status == "routed" and request.department == public_works
    assert request.resolution == "" and request.assignee is None
    timeline = list(request.events.values_list("action", flat=True))
    assert timeline == ["", "route", "assign", "start", "resolve", "confirm", "reopen"]
    last = request.events.last()
    assert last.public_note == "The tag is back on the wall." and last.data["previous_assignee"]


def test_anonymous_reporter_acts_with_the_tracking_token(service, people):
    request = submit(service("potholes"))
    act(
        request,
        Action.RESOLVE,
        actor(people["staff"], Role.STAFF),
        resolution=Resolution.NO_ACTION,
        reason="Not a pothole.",
    )
    stranger = access.actor_for(None, request, token="wrong")
    with pytest.raises(TransitionRefused):
        act(request, Action.CONFIRM, stranger)
    holder = access.actor_for(None, request, token=request.tracking_token)
    act(request, Action.CONFIRM, holder)
    assert request.status == "closed"


def test_department_roles_only_count_in_the_owning_department(service, people):
    request = submit(service("potholes"))  # Public Works
    assert Role.STAFF in access.roles_for(people["staff"], request)
    assert access.roles_for(people["other_staff"], request) == {Role.PUBLIC}
    assert Role.AGENT in access.roles_for(people["agent"], request)
    with pytest.raises(TransitionRefused):
        act(request, Action.START, access.actor_for(people["other_staff"], request))
    from cityhall.core.errors import NotFound

    with pytest.raises(NotFound):
        access.request_for_staff(request.public_id, user=people["other_staff"])
    with pytest.raises(NotFound):
        access.request_for_staff(request.public_id, user=people["resident"])


def test_on_hold_pauses_the_sla_clock(service, people):
    # Monday 2026-03-02 09:00 in Santa Monica; potholes have 45 business hours (5 days of 9 h).
    start = datetime(2026, 3, 2, 9, 0, tzinfo=LA)
    with clock.travel(start):
        request = submit(service("potholes"))
        assert request.expected_at == datetime(2026, 3, 9, 9, 0, tzinfo=LA)
        crew = actor(people["crew"], Role.CREW)
        act(request, Action.START, crew)
        clock.advance(timedelta(hours=2))  # 11:00: 43 business hours left
        act(request, Action.HOLD, crew, reason="Waiting for asphalt.")
        assert request.status_note == "Waiting for asphalt."
        assert request.sla_remaining_seconds == 43 * 3600
        clock.advance(timedelta(days=7))  # a week on hold, the clock stopped
        act(request, Action.RESUME, crew)
    # Resumed Monday 2026-03-09 11:00 with 43 h left -> 4 days 7 h of business time later.
    assert request.expected_at == datetime(2026, 3, 16, 9, 0, tzinfo=LA)
    assert request.sla_remaining_seconds is None and request.hold_reason == ""


def test_a_merged_duplicate_brings_its_reporter_and_supporters_to_the_parent(service, people):
    parent = submit(service("potholes"), reporter=people["resident"])
    duplicate = submit(service("potholes"), contact=services.Contact(email="second@example.org"))
    services.service_request_support(service_request=duplicate, email="third@example.org")
    services.service_request_support(
        service_request=duplicate, user=people["resident"]
    )  # already the parent's reporter
    act(
        duplicate,
        Action.RESOLVE,
        actor(people["agent"], Role.AGENT),
        resolution=Resolution.DUPLICATE,
        duplicate_of=parent,
    )
    parent.refresh_from_db()
    assert duplicate.duplicate_of == parent and duplicate.status == "resolved"
    assert sorted(parent.supports.values_list("email", flat=True)) == ["second@example.org", "third@example.org"]
    assert parent.support_count == 2
    assert parent.events.filter(kind="merged").count() == 1
    with pytest.raises(ValidationFailed):  # a cycle is refused
        act(
            parent,
            Action.RESOLVE,
            actor(people["agent"], Role.AGENT),
            resolution=Resolution.DUPLICATE,
            duplicate_of=duplicate,
        )


def test_support_counts_each_person_once_and_not_the_reporter(service, people):
    request = submit(service("streetlights"), reporter=people["resident"], attributes={"PROBLEM": "OUT"})
    assert services.service_request_support(service_request=request, user=people["other_resident"]) is True
    assert services.service_request_support(service_request=request, user=people["other_resident"]) is False
    assert services.service_request_support(service_request=request, user=people["resident"]) is False
    assert services.service_request_support(service_request=request, email="Neighbour2@Example.org") is True
    assert services.service_request_support(service_request=request, email="neighbour2@example.org") is False
    request.refresh_from_db()
    assert request.support_count == 2


def test_referral_needs_the_agency_and_records_the_link(service, people):
    request = submit(service("other"))
    agent = actor(people["agent"], Role.AGENT)
    with pytest.raises(ValidationFailed) as refused:
        act(request, Action.RESOLVE, agent, resolution=Resolution.REFERRED)
    assert "referred_to" in refused.value.errors
    act(
        request,
        Action.RESOLVE,
        agent,
        resolution=Resolution.REFERRED,
        referred_to="LA County Public Works",
        referral_url="https://dpw.lacounty.gov/",
        public_note="This street is maintained by the County.",
    )
    assert request.referred_to == "LA County Public Works"
    assert request.referral_url == "https://dpw.lacounty.gov/"


def test_reopen_is_refused_after_the_window_except_for_supervisors(service, people, santa_monica):
    request = submit(service("other-streets-and-sidewalks"), reporter=people["resident"])
    resolved_on = clock.now()
    with clock.travel(resolved_on):
        act(
            request, Action.RESOLVE, actor(people["staff"], Role.STAFF), resolution=Resolution.FIXED, public_note="Done"
        )
    with clock.travel(resolved_on + timedelta(days=santa_monica.reopen_window_days + 1)):
        with pytest.raises(TransitionRefused) as refused:
            act(request, Action.REOPEN, access.actor_for(people["resident"], request), reason="Still broken")
        assert "report it again" in str(refused.value)
        act(request, Action.REOPEN, actor(people["supervisor"], Role.SUPERVISOR), reason="Crew missed a slab")
    assert request.status == "routed"


def test_resolved_requests_close_themselves_after_the_jurisdiction_delay(service, people, santa_monica):
    old = submit(service("other-streets-and-sidewalks"))
    recent = submit(service("other-streets-and-sidewalks"))
    staff = actor(people["staff"], Role.STAFF)
    with clock.travel(clock.now() - timedelta(days=santa_monica.auto_close_days + 1)):
        act(old, Action.RESOLVE, staff, resolution=Resolution.FIXED, public_note="Done")
    act(recent, Action.RESOLVE, staff, resolution=Resolution.FIXED, public_note="Done")
    assert services.service_requests_auto_close() == 1
    assert services.service_requests_auto_close() == 0  # idempotent
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("closed", "resolved")
    assert old.events.last().actor_role == "system"


def test_recategorising_applies_the_new_questions_and_sla(service, people):
    request = submit(service("other-streets-and-sidewalks"))
    agent = actor(people["agent"], Role.AGENT)
    with pytest.raises(ValidationFailed) as refused:
        act(request, Action.RECATEGORISE, agent, service=service("potholes"))
    assert "attribute[SIZE]" in refused.value.errors
    act(request, Action.RECATEGORISE, agent, service=service("potholes"), attributes={"SIZE": "S"})
    request.refresh_from_db()
    assert request.service.code == "potholes" and request.attributes == {"SIZE": "S"}
    assert request.events.last().data == {"from_service": "other-streets-and-sidewalks", "to_service": "potholes"}


def test_internal_notes_are_not_public_events(service, people):
    request = submit(service("potholes"))
    act(request, Action.NOTE, actor(people["staff"], Role.STAFF), internal_note="Reporter sounded upset")
    from cityhall.requests.selectors import timeline

    assert "note" not in {e.kind for e in timeline(request, include_internal=False)}
    assert "note" in {e.kind for e in timeline(request, include_internal=True)}
    assert ServiceRequest.objects.get(pk=request.pk).status_note == ""


@pytest.mark.django_db(transaction=True)  # the worker commits as a real one does
def test_the_task_worker_runs_the_auto_close_task(service, people, santa_monica):
    from django.core.management import call_command

    from cityhall.requests.tasks import auto_close_resolved_requests

    request = submit(service("other-streets-and-sidewalks"))
    with clock.travel(clock.now() - timedelta(days=santa_monica.auto_close_days + 1)):
        act(
            request, Action.RESOLVE, actor(people["staff"], Role.STAFF), resolution=Resolution.FIXED, public_note="Done"
        )
    result = auto_close_resolved_requests.enqueue()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    request.refresh_from_db()
    assert request.status == "closed"
