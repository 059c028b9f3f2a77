"""Moving a request through the workflow table, one checked action at a time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from cityhall.accounts.models import STAFF_ROLES, User
from cityhall.catalogue import policy
from cityhall.catalogue.models import Crew, Department, Service
from cityhall.catalogue.selectors import crew_has_member
from cityhall.core import clock
from cityhall.core.errors import ValidationFailed
from cityhall.core.stored_files import stored_files_kept_only_on_success

from .. import bounds, events, photos
from ..attributes import Raw, validate_attributes
from ..available import action_refusal, not_in_status
from ..models import Attachment, RequestEvent, ServiceRequest, Support
from ..problems import Problem
from ..workflow import RESOLUTIONS, Action, Need, Resolution, Status, Transition, transition_for

# Supervisors and admins may reopen at any time; everyone else within the jurisdiction's window.


@dataclass(frozen=True)
class Change:
    """What an action carries. Which fields matter depends on the action (see workflow.Need)."""

    public_note: str = ""
    internal_note: str = ""
    reason: str = ""
    department: Department | None = None
    assignee: User | None = None
    crew: Crew | None = None
    resolution: Resolution | None = None
    referred_to: str = ""
    referral_url: str = ""
    duplicate_of: ServiceRequest | None = None
    service: Service | None = None
    attributes: Mapping[str, Raw] = field(default_factory=dict)
    photos: Sequence[photos.PhotoInput] = ()


def service_request_transition(
    *, service_request: ServiceRequest, action: Action, actor: events.Actor, change: Change | None = None
) -> RequestEvent:
    """Take `action` on `service_request` as `actor`, if the table allows it; write the event in the same transaction.

    Raises TransitionRefused (not allowed now / for this actor) or ValidationFailed (something
    required is missing or wrong). Either way nothing is changed.
    """
    change = change or Change()
    clean_photos = photos.sanitise_all(change.photos)
    with stored_files_kept_only_on_success():
        # Stored before the transaction, whose row lock (on SQLite the one writer's lock) must not wait
        # on a disk or a bucket; an action refused inside it deletes them again.
        stored = photos.store_all(clean_photos)
        event = _transition(service_request, action, actor, change, stored)
    service_request.refresh_from_db()
    return event


def _transition(
    service_request: ServiceRequest, action: Action, actor: events.Actor, change: Change, stored: list[Attachment]
) -> RequestEvent:
    with transaction.atomic():
        # Re-read under a row lock so two agents acting at once are applied one after the other.
        locked = (
            ServiceRequest.objects.select_for_update()
            .select_related("service", "jurisdiction")
            .get(pk=service_request.pk)
        )
        now = clock.now()
        rule = _check_rule(locked, action, actor, now)
        _check_needs(locked, rule, change, has_photo=bool(stored))
        draft = _apply(locked, rule, change, actor, now)
        locked.updated_at = now
        locked.save()
        event = events.record(locked, actor, draft, at=now)
        purpose = Attachment.Purpose.COMPLETION if action is Action.RESOLVE else Attachment.Purpose.UPDATE
        # A photo sent with an internal note is as internal as the note (a gate code, a face in the yard).
        photos.attach(locked, stored, event=event, purpose=purpose, at=now, is_public=action is not Action.NOTE)
    return event


def _check_rule(service_request: ServiceRequest, action: Action, actor: events.Actor, now: datetime) -> Transition:
    """The same answer the pages got from available_actions, raised."""
    refused = action_refusal(service_request, action, actor, now)
    if refused is not None:
        raise refused
    status = Status(service_request.status)
    rule = transition_for(status, action)
    if rule is None:  # feedback: allowed, but not a transition (it has its own service)
        raise not_in_status(status, action)
    return rule


def _check_needs(service_request: ServiceRequest, rule: Transition, change: Change, *, has_photo: bool) -> None:
    errors: dict[str, str] = {}
    needs = set(rule.needs)
    if change.resolution is not None and Need.RESOLUTION in needs:
        needs |= RESOLUTIONS[change.resolution].needs
    if Need.DEPARTMENT in needs and (
        change.department is None or change.department.jurisdiction_id != service_request.jurisdiction_id
    ):
        errors["department"] = Problem.DEPARTMENT
    if Need.ASSIGNEE in needs:
        _check_assignee(service_request, change, errors)
    if Need.REASON in needs and not change.reason.strip():
        errors["reason"] = Problem.REASON
    if Need.PUBLIC_NOTE in needs and not change.public_note.strip():
        errors["public_note"] = Problem.PUBLIC_NOTE
    if Need.INTERNAL_NOTE in needs and not change.internal_note.strip():
        errors["internal_note"] = Problem.INTERNAL_NOTE
    if Need.SERVICE in needs and (
        change.service is None or change.service.jurisdiction_id != service_request.jurisdiction_id
    ):
        errors["service_code"] = Problem.SERVICE
    if Need.RESOLUTION in needs:
        _check_resolution(service_request, change, errors, has_photo=has_photo)
    errors |= bounds.check(
        {
            "public_note": change.public_note.strip(),
            "internal_note": change.internal_note.strip(),
            # Only a hold keeps the reason in its own column; other actions make it the public note.
            "reason": change.reason.strip() if rule.action is Action.HOLD else "",
            "referred_to": change.referred_to.strip(),
            "referral_url": change.referral_url.strip(),
        }
    )
    if errors:
        raise ValidationFailed(errors)


def _check_assignee(service_request: ServiceRequest, change: Change, errors: dict[str, str]) -> None:
    """A person, a crew, or both (the person then leads the crew on it); all of the request's department."""
    assignee, crew = change.assignee, change.crew
    if assignee is None and crew is None:
        errors["assignee"] = "Choose a member of staff or a crew."
        return
    if crew is not None and (not crew.active or crew.department_id != service_request.department_id):
        errors["crew"] = f"{crew} is not a crew of this request's department."
    if assignee is None:
        return
    if not assignee.is_active or assignee.role not in STAFF_ROLES:
        errors["assignee"] = Problem.ASSIGNEE_ACTIVE
    elif assignee.department_id is not None and assignee.department_id != service_request.department_id:
        errors["assignee"] = f"{assignee} works for another department."
    elif crew is not None and "crew" not in errors and not crew_has_member(crew, assignee.pk):
        errors["assignee"] = f"{assignee} is not a member of {crew}."


def _crew_after(service_request: ServiceRequest, change: Change) -> Crew | None:
    """The crew named; or, when only a person is, the crew already on it if they are one of it (they lead it)."""
    if change.crew is not None or change.assignee is None or service_request.crew_id is None:
        return change.crew
    current = service_request.crew
    if current is not None and current.active and crew_has_member(current, change.assignee.pk):
        return current
    return None


def _check_resolution(
    service_request: ServiceRequest, change: Change, errors: dict[str, str], *, has_photo: bool
) -> None:
    kind = change.resolution
    if kind is None:
        errors["resolution"] = Problem.RESOLUTION
    elif kind is Resolution.FIXED and service_request.service.closure_needs_photo and not has_photo:
        errors["photos"] = f"{service_request.service.name} needs a completion photo to be marked fixed."
    elif kind is Resolution.REFERRED and not change.referred_to.strip():
        errors["referred_to"] = Problem.REFERRED_TO
    elif kind is Resolution.DUPLICATE:
        parent = change.duplicate_of
        if parent is None or parent.jurisdiction_id != service_request.jurisdiction_id:
            errors["duplicate_of"] = Problem.DUPLICATE_OF
        elif _leads_to(parent, service_request.pk):
            errors["duplicate_of"] = Problem.DUPLICATE_LOOP


def _leads_to(parent: ServiceRequest, target_pk: int) -> bool:
    seen: set[int] = set()
    node: ServiceRequest | None = parent
    while node is not None and node.pk not in seen:
        if node.pk == target_pk:
            return True
        seen.add(node.pk)
        node = node.duplicate_of
    return False


def _apply(
    service_request: ServiceRequest, rule: Transition, change: Change, actor: events.Actor, now: datetime
) -> events.EventDraft:
    source = Status(service_request.status)
    data: dict[str, Any] = {}
    draft = events.EventDraft(
        kind=RequestEvent.Kind.TRANSITION if rule.target else RequestEvent.Kind.COMMENT,
        action=rule.action.value,
        from_status=source.value,
        public_note=change.public_note.strip(),
        internal_note=change.internal_note.strip(),
        data=data,
    )
    if source is Status.ON_HOLD and rule.target not in (None, Status.ON_HOLD):
        _restart_clock(service_request, now)
    match rule.action:
        case Action.ROUTE:
            service_request.department, service_request.assignee, service_request.crew = change.department, None, None
            data["department"] = change.department.name if change.department else None
        case Action.ASSIGN:
            service_request.assignee, service_request.crew = change.assignee, _crew_after(service_request, change)
            data["assignee"] = str(change.assignee) if change.assignee else None
            data["crew"] = str(service_request.crew) if service_request.crew else None
        case Action.HOLD:
            service_request.hold_reason = change.reason.strip()
            draft.public_note = draft.public_note or service_request.hold_reason
            if service_request.expected_at is not None:
                remaining = policy.calendar_for(service_request.jurisdiction).business_time_between(
                    now, service_request.expected_at
                )
                service_request.sla_remaining_seconds = int(remaining.total_seconds())
        case Action.RESOLVE:
            _resolve(service_request, change, actor, now, data)
            draft.public_note = draft.public_note or change.reason.strip()
        case Action.CONFIRM | Action.CLOSE:
            service_request.closed_at = now
        case Action.REOPEN:
            data["previous_assignee"] = str(service_request.assignee) if service_request.assignee else None
            data["previous_assignee_id"] = service_request.assignee_id  # who hears of the reopen (notifications)
            data["previous_resolution"] = service_request.resolution
            service_request.resolution, service_request.resolved_at, service_request.closed_at = "", None, None
            service_request.duplicate_of, service_request.referred_to, service_request.referral_url = None, "", ""
            data["previous_crew"] = str(service_request.crew) if service_request.crew_id else None
            service_request.assignee, service_request.crew = None, None
            service_request.expected_at = policy.expected_by(service_request.jurisdiction, service_request.service, now)
            draft.public_note = draft.public_note or change.reason.strip()
        case Action.COMMENT:
            draft.kind = RequestEvent.Kind.COMMENT
        case Action.NOTE:
            draft.kind = RequestEvent.Kind.NOTE
        case Action.RECATEGORISE:
            _recategorise(service_request, change, data)
            draft.kind = RequestEvent.Kind.RECATEGORISED
    target = rule.target
    if rule.action is Action.REOPEN and service_request.department_id is None:
        target = Status.SUBMITTED  # it never had a department: back to the 311 triage queue
    if target is not None:
        service_request.status = target
        draft.to_status = target.value
    if draft.public_note:
        service_request.status_note = draft.public_note
    return draft


def _restart_clock(service_request: ServiceRequest, now: datetime) -> None:
    """Leaving 'on hold': the SLA resumes with the business time that was left when it paused."""
    if service_request.sla_remaining_seconds is not None:
        remaining = timedelta(seconds=max(service_request.sla_remaining_seconds, 0))
        service_request.expected_at = policy.calendar_for(service_request.jurisdiction).add_business_time(
            now, remaining
        )
    service_request.sla_remaining_seconds = None
    service_request.hold_reason = ""


def _resolve(
    service_request: ServiceRequest, change: Change, actor: events.Actor, now: datetime, data: dict[str, Any]
) -> None:
    assert change.resolution is not None
    service_request.resolution = change.resolution.value
    service_request.resolved_at = now
    data["resolution"] = change.resolution.value
    if change.resolution is Resolution.REFERRED:
        service_request.referred_to, service_request.referral_url = (
            change.referred_to.strip(),
            change.referral_url.strip(),
        )
        data.update(referred_to=service_request.referred_to, referral_url=service_request.referral_url)
    if change.resolution is Resolution.DUPLICATE and change.duplicate_of is not None:
        service_request.duplicate_of = change.duplicate_of
        data["duplicate_of"] = change.duplicate_of.public_id
        _merge_into(change.duplicate_of, service_request, actor, now)


def _merge_into(parent: ServiceRequest, duplicate: ServiceRequest, actor: events.Actor, now: datetime) -> None:
    """Duplicates strengthen, not erase: the duplicate's reporter and supporters now follow the parent."""
    people: list[Support] = []
    if duplicate.reporter_id or duplicate.reporter_email:
        people.append(
            Support(user_id=duplicate.reporter_id, email="" if duplicate.reporter_id else duplicate.reporter_email)
        )
    people += [Support(user_id=s.user_id, email=s.email) for s in duplicate.supports.all()]
    added = 0
    for person in people:
        exists = (
            parent.supports.filter(user_id=person.user_id)
            if person.user_id
            else parent.supports.filter(email=person.email)
        )
        is_parent_reporter = person.user_id is not None and person.user_id == parent.reporter_id
        if person.email and person.email == parent.reporter_email:
            is_parent_reporter = True
        if exists.exists() or is_parent_reporter:
            continue
        Support.objects.create(
            request=parent, user_id=person.user_id, email=person.email, via_duplicate=duplicate, created_at=now
        )
        added += 1
    ServiceRequest.objects.filter(pk=parent.pk).update(support_count=parent.supports.count(), updated_at=now)
    events.record(
        parent,
        actor,
        events.EventDraft(
            kind=RequestEvent.Kind.MERGED,
            public_note="Another report of the same problem was merged into this request.",
            data={"duplicate": duplicate.public_id, "supporters_added": added},
        ),
        at=now,
    )


def _recategorise(service_request: ServiceRequest, change: Change, data: dict[str, Any]) -> None:
    assert change.service is not None
    clean, errors = validate_attributes(change.service, change.attributes)
    if errors:
        raise ValidationFailed(errors)
    data.update(from_service=service_request.service.code, to_service=change.service.code)
    service_request.service, service_request.attributes = change.service, clean
    service_request.expected_at = policy.expected_by(
        service_request.jurisdiction, change.service, service_request.requested_at
    )
