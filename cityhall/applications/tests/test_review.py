"""The approval workflow through the public services, on the real database."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from cityhall.applications import bounds, selectors, services
from cityhall.applications.access import application_for_staff
from cityhall.applications.events import application_events_committed
from cityhall.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    ApplicationStep,
    Status,
    StepStatus,
    WorkflowStep,
)
from cityhall.applications.services.steps import calendar_of
from cityhall.applications.workflow import Action
from cityhall.core import clock
from cityhall.core.errors import NotFound, TransitionRefused, ValidationFailed

from .builders import actor, decide, steps, submitted, without_second_factor

pytestmark = pytest.mark.django_db

MONDAY_9AM = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # 9:00 in Santa Monica


def kinds(application: Application) -> list[str]:
    return list(ApplicationEvent.objects.filter(application=application).order_by("pk").values_list("kind", flat=True))


def snapshot(application: Application):
    return (
        Application.objects.filter(pk=application.pk).values().get(),
        list(ApplicationStep.objects.filter(application=application).order_by("position").values()),
        ApplicationEvent.objects.filter(application=application).count(),
    )


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_a_parallel_stage_needs_both_approvals_then_the_next_stage_opens(
    two_stage_tree, people, django_capture_on_commit_callbacks
):
    heard = []
    application_events_committed.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="test")
    try:
        with clock.travel(MONDAY_9AM), django_capture_on_commit_callbacks(execute=True):
            application = submitted(two_stage_tree, people["resident"])
    finally:
        application_events_committed.disconnect(dispatch_uid="test")
    forester, historic, sign_off = steps(application)
    assert application.status == Status.IN_REVIEW
    assert [s.status for s in (forester, historic, sign_off)] == ["open", "open", "waiting"]
    # Two business days of 8:00-17:00 weekdays from Monday 9:00: Wednesday 9:00.
    assert forester.due_at == MONDAY_9AM + timedelta(days=2) and sign_off.due_at is None
    assert heard[-1]["application_ids"] == [application.pk] and len(heard[-1]["event_ids"]) == 3
    assert kinds(application) == ["started", "saved", "submitted", "step_opened", "step_opened"]

    # Editing the service's steps afterwards (and republishing) changes nothing in flight.
    WorkflowStep.objects.filter(service=two_stage_tree).update(name_en="Renamed", department=historic.department)
    services.form_publish(two_stage_tree, by=people["admin"])
    assert [step.label("en") for step in steps(application)] == [
        "Urban forester review",
        "Historic district review",
        "Public Works sign-off",
    ]
    assert steps(application)[0].label("es") == "Urban forester review (es)"

    decide(application, forester, people["staff"], Action.APPROVE)
    # Public Works staff may not take Planning's step: refused, and nothing changes.
    before = snapshot(application)
    with pytest.raises(TransitionRefused) as refused:
        decide(application, historic, people["staff"], Action.APPROVE)
    assert refused.value.code == "forbidden" and snapshot(application) == before
    assert [s.status for s in steps(application)] == ["approved", "open", "waiting"]

    decide(application, historic, people["other_staff"], Action.APPROVE)
    assert [s.status for s in steps(application)] == ["approved", "approved", "open"]
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW
    # The second step is for supervisors only.
    with pytest.raises(TransitionRefused):
        decide(application, sign_off, people["staff"], Action.APPROVE_WITH_CONDITIONS, conditions="x")
    with pytest.raises(ValidationFailed) as missing:
        decide(application, sign_off, people["supervisor"], Action.APPROVE_WITH_CONDITIONS, conditions="  ")
    assert missing.value.field == "conditions"
    decide(application, sign_off, people["supervisor"], Action.APPROVE_WITH_CONDITIONS, conditions="Keep the nest.")

    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.decided_at is not None
    assert selectors.conditions_of(application) == ["Keep the nest."]
    assert kinds(application)[-4:] == ["step_approved", "step_opened", "step_approved", "approved"]


def test_asking_pauses_the_clock_and_the_answer_moves_each_due_date_by_the_business_time_paused(two_stage_tree, people):
    with clock.travel(MONDAY_9AM):
        application = submitted(two_stage_tree, people["resident"])
    forester, historic, _sign_off = steps(application)
    asked_at = MONDAY_9AM + timedelta(hours=3)  # Monday noon
    decide(application, historic, people["other_staff"], Action.ASK_INFO, question="Is it in the parkway?", at=asked_at)
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED and application.info_requested_at == asked_at
    # While the applicant is asked, the steps are still open but no one decides them.
    with pytest.raises(TransitionRefused):
        decide(application, forester, people["staff"], Action.APPROVE, at=asked_at)
    assert [step.due_at for step in steps(application)] == [forester.due_at, historic.due_at, None]
    assert selectors.steps_overdue(MONDAY_9AM + timedelta(days=30)) == []  # paused: not overdue

    answered_at = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)  # Saturday: the weekend is no business time
    resident = actor(people["resident"], application)
    with pytest.raises(ValidationFailed) as rejected:
        services.application_respond(
            application, actor=resident, answer="Yes.", uploads=[services.Upload(io.BytesIO(b"#!/bin/sh"), "a.sh")]
        )
    assert rejected.value.field == "files" and Application.objects.get(pk=application.pk).status == "info_requested"
    services.application_respond(
        application,
        actor=resident,
        answer="Yes, in the parkway.",
        uploads=[services.Upload(png(), "tree.png")],
        now=answered_at,
    )

    application.refresh_from_db()
    calendar = calendar_of(application)
    paused = calendar.business_time_between(asked_at, answered_at)
    assert paused == timedelta(hours=5 + 4 * 9)  # Monday 12-17, then Tuesday to Friday
    for before, after in zip([forester, historic], steps(application)[:2], strict=True):
        assert calendar.business_time_between(before.due_at, after.due_at) == paused
        assert after.due_at > before.due_at
    assert application.status == Status.IN_REVIEW and application.info_requested_at is None
    event = ApplicationEvent.objects.filter(application=application, kind="info_provided").get()
    assert event.text == "Yes, in the parkway." and event.data["paused_seconds"] == paused.total_seconds()
    assert ApplicationFile.objects.filter(application=application, field_key="response").count() == 1


def test_a_denial_cancels_every_other_step_and_needs_a_reason(two_stage_tree, people):
    application = submitted(two_stage_tree, people["resident"])
    forester, historic, _sign_off = steps(application)
    before = snapshot(application)
    with pytest.raises(ValidationFailed) as missing:
        decide(application, historic, people["other_staff"], Action.DENY, reason="")
    assert missing.value.field == "reason" and snapshot(application) == before

    decide(application, historic, people["other_staff"], Action.DENY, reason="A protected heritage tree.")
    application.refresh_from_db()
    assert application.status == Status.DENIED
    assert [s.status for s in steps(application)] == ["cancelled", "denied", "cancelled"]
    assert kinds(application)[-4:] == ["step_denied", "step_cancelled", "step_cancelled", "denied"]
    with pytest.raises(TransitionRefused):
        decide(application, forester, people["staff"], Action.APPROVE)


def test_the_applicant_withdraws_before_a_decision_and_no_one_else_may(two_stage_tree, people):
    application = submitted(two_stage_tree, people["resident"])
    before = snapshot(application)
    for key in ("other_resident", "staff", "admin"):
        with pytest.raises(TransitionRefused):
            services.application_withdraw(application, actor=actor(people[key], application))
    assert snapshot(application) == before
    services.application_withdraw(application, actor=actor(people["resident"], application), reason="Moved away.")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert {s.status for s in steps(application)} == {StepStatus.CANCELLED}
    assert selectors.steps_open_for(steps(application)[0].department) == []


def test_an_unanswered_question_expires_the_application_after_the_days_allowed(two_stage_tree, people):
    application = submitted(two_stage_tree, people["resident"])
    asked_at = clock.now()
    decide(application, steps(application)[0], people["staff"], Action.ASK_INFO, question="Photo?", at=asked_at)
    limit = timedelta(days=bounds.INFO_RESPONSE_DAYS)
    assert services.applications_expire(asked_at + limit - timedelta(seconds=1)) == 0
    assert services.applications_expire(asked_at + limit) == 1
    assert services.applications_expire(asked_at + limit + timedelta(days=1)) == 0  # once
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
    assert {s.status for s in steps(application)} == {StepStatus.CANCELLED}
    assert kinds(application)[-1] == "expired"


def test_deciding_needs_a_second_factor_asking_does_not(two_stage_tree, people):
    application = submitted(two_stage_tree, people["resident"])
    forester = steps(application)[0]
    staff = without_second_factor(people["staff"])
    before = snapshot(application)
    for action, words in ((Action.APPROVE, {}), (Action.DENY, {"reason": "No."})):
        with pytest.raises(TransitionRefused) as refused:
            decide(application, forester, staff, action, **words)
        assert refused.value.code == "no_second_factor"
        assert "second factor" in refused.value.message
    assert snapshot(application) == before
    decide(application, forester, staff, Action.ASK_INFO, question="Which branch?")
    assert Application.objects.get(pk=application.pk).status == Status.INFO_REQUESTED


def test_staff_see_the_applications_their_department_reviews(two_stage_tree, digital_services, people):
    application = submitted(two_stage_tree, people["resident"])
    for key in ("staff", "supervisor", "other_staff", "agent", "admin"):
        found, _actor = application_for_staff(people[key], application.reference)
        assert found == application
    for key in ("resident", "other_resident", "crew"):
        with pytest.raises(NotFound):
            application_for_staff(people[key], application.reference)
    records = submitted(
        digital_services["public-records"],
        people["resident"],
        {
            "records": "Permits for 1200 Pine St.",
            "departments": ["planning"],
            "delivery": "electronic",
            "for_organization": "no",
            "contact_email": "rosa@example.com",
        },
    )
    with pytest.raises(NotFound):  # the City Clerk's and the City Attorney's, not Public Works'
        application_for_staff(people["staff"], records.reference)
    draft = services.application_start(two_stage_tree, applicant=people["resident"])
    with pytest.raises(NotFound):
        application_for_staff(people["admin"], draft.reference)


def test_a_departments_queue_lists_its_open_steps_earliest_due_first(two_stage_tree, people, public_works):
    with clock.travel(MONDAY_9AM + timedelta(days=1)):
        later = submitted(two_stage_tree, people["resident"])
    with clock.travel(MONDAY_9AM):
        earlier = submitted(two_stage_tree, people["resident"])
    queue = selectors.steps_open_for(public_works)
    assert [step.application_id for step in queue] == [earlier.pk, later.pk]
    overdue = selectors.steps_overdue(MONDAY_9AM + timedelta(days=2, minutes=1), department=public_works)
    assert [step.application_id for step in overdue] == [earlier.pk]
    timeline = selectors.application_timeline(earlier)
    assert [event.kind for event in timeline][-2:] == ["step_opened", "step_opened"]
