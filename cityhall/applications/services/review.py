"""The approval workflow's writes: decide a step, ask and answer, withdraw, expire, note.

Each validates everything first (bounds, then `available.action_refusal`, the function the pages
ask), then writes in one transaction with the application's row locked (`SELECT … FOR UPDATE`) and
the refusal asked again of the locked rows, an `ApplicationEvent` for every change. A decision
(approved or denied) enqueues the decision document after the commit (`tasks.issue_decision_document`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction

from cityhall.core import clock
from cityhall.core.errors import TransitionRefused, ValidationFailed

from .. import bounds
from ..available import action_refusal
from ..documents import CheckedDocument, DocumentRejected, check_document
from ..events import SYSTEM, Actor, EventDraft, record, record_all
from ..models import Application, ApplicationEvent, ApplicationFile, ApplicationStep, Status, StepStatus
from ..problems import Problem
from ..workflow import Action, Need, transition_for
from .forms import Upload, file_store
from .steps import calendar_of, stage_open

# The words each action needs, by the name the service reports an error under.
TEXT_NEEDS = {
    Need.CONDITIONS: ("conditions", Problem.CONDITIONS),
    Need.REASON: ("reason", Problem.REASON),
    Need.QUESTION: ("question", Problem.QUESTION),
    Need.ANSWER: ("answer", Problem.ANSWER),
    Need.NOTE: ("note", Problem.NOTE),
}
RESPONSE_FILES = "response"  # the field key an answer's files are stored under


def _text(action: Action, status: Status, given: dict[Need, str]) -> dict[Need, str]:
    """The action's words, trimmed and bounded; ValidationFailed names the field of each missing or too long."""
    rule = transition_for(status, action)
    needs = rule.needs if rule else frozenset()
    errors = {}
    kept = {}
    for need, (field, problem) in TEXT_NEEDS.items():
        text = (given.get(need) or "").strip()
        if len(text) > bounds.MAX_DECISION_TEXT or (need in needs and not text):
            errors[field] = problem
        kept[need] = text
    if errors:
        raise ValidationFailed(errors)
    return kept


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",)).select_related("service__department").get(pk=application.pk)
    )


def _refuse(
    application: Application, action: Action, actor: Actor, now: datetime, step: ApplicationStep | None = None
) -> None:
    refusal = action_refusal(application, action, actor, now, step=step)
    if refusal is not None:
        raise refusal


def _set_status(application: Application, status: Status, now: datetime, *fields: str) -> None:
    application.status = status
    application.updated_at = now
    application.save(update_fields=["status", "updated_at", *fields])


def _cancel_rest(application: Application) -> list[EventDraft]:
    rest = list(
        ApplicationStep.objects.filter(application=application, status__in=[StepStatus.OPEN, StepStatus.WAITING])
    )
    for step in rest:
        step.status = StepStatus.CANCELLED
        step.save(update_fields=["status"])
    return [EventDraft(ApplicationEvent.Kind.STEP_CANCELLED, step=step) for step in rest]


def _enqueue_document(application_id: int) -> None:
    from ..tasks import issue_decision_document  # the task module imports the services

    transaction.on_commit(lambda: issue_decision_document.enqueue(application_id))


def application_step_decide(
    application: Application,
    step: ApplicationStep,
    *,
    action: Action,
    actor: Actor,
    conditions: str = "",
    reason: str = "",
    question: str = "",
    now: datetime | None = None,
) -> Application:
    """A step owner's decision on an open step: approve (with conditions), deny, or ask the applicant.

    Approving the last step of a stage opens the next stage; approving the last stage approves the
    application. Denying a step denies the application and cancels the other steps. Asking pauses the
    steps' clock until the applicant answers. Returns the application as written.
    """
    now = now or clock.now()
    words = _text(
        action, Status(application.status), {Need.CONDITIONS: conditions, Need.REASON: reason, Need.QUESTION: question}
    )
    if action not in (Action.APPROVE, Action.APPROVE_WITH_CONDITIONS, Action.DENY, Action.ASK_INFO):
        raise ValidationFailed({"action": Problem.NOT_NOW})
    _refuse(application, action, actor, now, step)
    with transaction.atomic():
        locked = _locked(application)
        steps = list(ApplicationStep.objects.select_for_update().filter(application=locked))
        current = next((row for row in steps if row.pk == step.pk), None)
        _refuse(locked, action, actor, now, current)
        assert current is not None  # the refusal says "no step" otherwise
        status_from = locked.status
        if action is Action.ASK_INFO:
            locked.info_requested_at = now
            _set_status(locked, Status.INFO_REQUESTED, now, "info_requested_at")
            drafts = [
                EventDraft(
                    ApplicationEvent.Kind.INFO_REQUESTED,
                    status_from=status_from,
                    status_to=locked.status,
                    step=current,
                    text=words[Need.QUESTION],
                )
            ]
        elif action is Action.DENY:
            current.status = StepStatus.DENIED
            current.decided_at, current.decided_by, current.reason = now, actor.user, words[Need.REASON]
            current.save(update_fields=["status", "decided_at", "decided_by", "reason"])
            locked.decided_at = now
            _set_status(locked, Status.DENIED, now, "decided_at")
            drafts = [
                EventDraft(ApplicationEvent.Kind.STEP_DENIED, step=current, text=words[Need.REASON]),
                *_cancel_rest(locked),
                EventDraft(
                    ApplicationEvent.Kind.DENIED,
                    status_from=status_from,
                    status_to=locked.status,
                    step=current,
                    text=words[Need.REASON],
                ),
            ]
            _enqueue_document(locked.pk)
        else:
            current.status = StepStatus.APPROVED
            current.decided_at, current.decided_by = now, actor.user
            current.conditions = words[Need.CONDITIONS] if action is Action.APPROVE_WITH_CONDITIONS else ""
            current.save(update_fields=["status", "decided_at", "decided_by", "conditions"])
            drafts = [EventDraft(ApplicationEvent.Kind.STEP_APPROVED, step=current, text=current.conditions)]
            if all(row.status == StepStatus.APPROVED for row in steps if row.stage == current.stage):
                drafts += stage_open(locked, steps, now)
            if all(row.status == StepStatus.APPROVED for row in steps):
                locked.decided_at = now
                _set_status(locked, Status.APPROVED, now, "decided_at")
                conditions_all = [row.conditions for row in steps if row.conditions]
                drafts.append(
                    EventDraft(
                        ApplicationEvent.Kind.APPROVED,
                        status_from=status_from,
                        status_to=locked.status,
                        data={"conditions": conditions_all},
                    )
                )
                _enqueue_document(locked.pk)
            else:
                locked.updated_at = now
                locked.save(update_fields=["updated_at"])
        record_all(locked, drafts, actor=actor.user, at=now)
    return locked


def _check_response_files(application: Application, uploads: Sequence[Upload]) -> list[CheckedDocument]:
    if len(uploads) > bounds.MAX_FILES_PER_RESPONSE:
        raise ValidationFailed({"files": Problem.TOO_MANY_RESPONSE_FILES})
    held = ApplicationFile.objects.filter(application=application).count()
    if held + len(uploads) > bounds.MAX_FILES_PER_APPLICATION:
        raise ValidationFailed({"files": Problem.TOO_MANY_FILES})
    try:
        return [check_document(upload.stream, upload.name) for upload in uploads]
    except DocumentRejected as rejected:
        raise ValidationFailed({"files": rejected.message}) from rejected


def application_respond(
    application: Application,
    *,
    actor: Actor,
    answer: str,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Application:
    """The applicant answers the city's question (with files, checked as the form's uploads are).

    The review goes on, and every open step's due date moves later by the business time the question waited.
    """
    now = now or clock.now()
    words = _text(Action.RESPOND, Status(application.status), {Need.ANSWER: answer})
    _refuse(application, Action.RESPOND, actor, now)
    checked = _check_response_files(application, uploads)
    with transaction.atomic():
        locked = _locked(application)
        _refuse(locked, Action.RESPOND, actor, now)
        asked = locked.info_requested_at or now
        calendar = calendar_of(locked)
        paused = calendar.business_time_between(asked, now) if calendar else max(now - asked, timedelta())
        for step in ApplicationStep.objects.select_for_update().filter(application=locked, status=StepStatus.OPEN):
            if step.due_at is not None:
                step.due_at = calendar.add_business_time(step.due_at, paused) if calendar else step.due_at + paused
                step.save(update_fields=["due_at"])
        stored = [file_store(locked, RESPONSE_FILES, document, now) for document in checked]
        status_from = locked.status
        locked.info_requested_at = None
        _set_status(locked, Status.IN_REVIEW, now, "info_requested_at")
        record(
            locked,
            ApplicationEvent.Kind.INFO_PROVIDED,
            actor=actor.user,
            at=now,
            status_from=status_from,
            status_to=locked.status,
            text=words[Need.ANSWER],
            data={"files": stored, "paused_seconds": int(paused.total_seconds())},
        )
    return locked


def application_withdraw(
    application: Application, *, actor: Actor, reason: str = "", now: datetime | None = None
) -> Application:
    """The applicant withdraws an application the city has not decided; its steps are cancelled."""
    now = now or clock.now()
    words = _text(Action.WITHDRAW, Status(application.status), {Need.REASON: reason})
    _refuse(application, Action.WITHDRAW, actor, now)
    with transaction.atomic():
        locked = _locked(application)
        _refuse(locked, Action.WITHDRAW, actor, now)
        _end(locked, Status.WITHDRAWN, ApplicationEvent.Kind.WITHDRAWN, actor=actor, now=now, text=words[Need.REASON])
    return locked


def _end(
    locked: Application, status: Status, kind: ApplicationEvent.Kind, *, actor: Actor, now: datetime, text: str = ""
) -> None:
    """Withdrawn or expired without a decision: the steps left are cancelled, `decided_at` says when it ended."""
    status_from = locked.status
    drafts = _cancel_rest(locked)
    locked.info_requested_at = None
    locked.decided_at = now
    _set_status(locked, status, now, "info_requested_at", "decided_at")
    drafts.append(EventDraft(kind, status_from=status_from, status_to=locked.status, text=text))
    record_all(locked, drafts, actor=actor.user, at=now)


def application_note(
    application: Application,
    *,
    actor: Actor,
    note: str,
    step: ApplicationStep | None = None,
    now: datetime | None = None,
) -> ApplicationEvent:
    """An internal note by staff of an involved department (never shown to the applicant)."""
    now = now or clock.now()
    words = _text(Action.NOTE, Status(application.status), {Need.NOTE: note})
    if step is not None and step.application_id != application.pk:
        raise ValidationFailed({"step": Problem.NO_STEP})
    _refuse(application, Action.NOTE, actor, now)
    with transaction.atomic():
        locked = _locked(application)
        _refuse(locked, Action.NOTE, actor, now)
        return record(locked, ApplicationEvent.Kind.NOTE, actor=actor.user, at=now, step=step, text=words[Need.NOTE])


def application_expire(application: Application, *, actor: Actor = SYSTEM, now: datetime | None = None) -> Application:
    """The application expires: its information request waited `bounds.INFO_RESPONSE_DAYS` unanswered."""
    now = now or clock.now()
    _refuse(application, Action.EXPIRE, actor, now)
    with transaction.atomic():
        locked = _locked(application)
        _refuse(locked, Action.EXPIRE, actor, now)
        _end(locked, Status.EXPIRED, ApplicationEvent.Kind.EXPIRED, actor=actor, now=now)
    return locked


def applications_expire(now: datetime | None = None) -> int:
    """Expires every application whose information request waited `bounds.INFO_RESPONSE_DAYS`; how many."""
    now = now or clock.now()
    since = now - timedelta(days=bounds.INFO_RESPONSE_DAYS)
    waiting = Application.objects.filter(status=Status.INFO_REQUESTED, info_requested_at__lte=since)
    expired = 0
    for application in waiting.order_by("info_requested_at")[: bounds.MAX_EXPIRED_PER_RUN]:
        try:
            application_expire(application, now=now)
        except TransitionRefused:
            continue  # answered meanwhile
        expired += 1
    return expired
