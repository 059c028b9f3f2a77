"""Every read other code needs of digital services and applications, by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.catalogue.models import Department
from cityhall.core.errors import NotFound

from .models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    DigitalService,
    FormVersion,
    Status,
    StepStatus,
    WorkflowStep,
)

MAX_LISTED = 100


def services_offered() -> QuerySet[DigitalService]:
    """The services a resident may apply for: active, with a published form."""
    published = FormVersion.objects.filter(service=OuterRef("pk"))
    return DigitalService.objects.filter(is_active=True).filter(Exists(published))


def services_reviewed_by(department: Department) -> QuerySet[DigitalService]:
    """The services a department's queue can hold, for its filter: a step of theirs in the service's
    workflow now, or one still open on an application of an earlier version."""
    in_workflow = WorkflowStep.objects.filter(service=OuterRef("pk"), department=department)
    still_open = _open_steps().filter(application__service=OuterRef("pk"), department=department)
    return DigitalService.objects.filter(Exists(in_workflow) | Exists(still_open)).order_by("name")


def service_offered(code: str) -> DigitalService:
    service = services_offered().filter(code=code).first()
    if service is None:
        raise NotFound()
    return service


def applications_of(user: User, *, limit: int = MAX_LISTED) -> list[Application]:
    rows = Application.objects.filter(applicant=user).select_related("service").order_by("-updated_at")
    return list(rows[:limit])


def events_of(application: Application) -> list[ApplicationEvent]:
    return list(ApplicationEvent.objects.filter(application=application).order_by("at", "pk"))


def latest_version(service: DigitalService) -> FormVersion | None:
    return FormVersion.objects.filter(service=service).order_by("-number").first()


def steps_of(application: Application) -> list[ApplicationStep]:
    """The application's review steps in order, with their department and decider."""
    return list(
        ApplicationStep.objects.filter(application=application)
        .select_related("department", "decided_by")
        .order_by("position")
    )


def _open_steps() -> QuerySet[ApplicationStep]:
    return ApplicationStep.objects.filter(
        status=StepStatus.OPEN, application__status__in=[Status.IN_REVIEW, Status.INFO_REQUESTED]
    ).select_related("application__service", "department")


def steps_open_for(department: Department, *, limit: int = MAX_LISTED) -> list[ApplicationStep]:
    """A department's queue: its open steps, earliest due first (so the overdue lead)."""
    rows = _open_steps().filter(department=department).order_by("due_at", "pk")
    return list(rows[:limit])


def steps_overdue(
    now: datetime, *, department: Department | None = None, limit: int = MAX_LISTED
) -> list[ApplicationStep]:
    """Open steps past their due date whose clock runs (not waiting for the applicant), most overdue first."""
    rows = _open_steps().filter(due_at__lt=now, application__status=Status.IN_REVIEW)
    if department is not None:
        rows = rows.filter(department=department)
    return list(rows.order_by("due_at", "pk")[:limit])


def application_timeline(application: Application, *, internal: bool = False) -> list[ApplicationEvent]:
    """The application's events in order, with actor and step; internal notes only when `internal` (staff)."""
    rows = ApplicationEvent.objects.filter(application=application).select_related("actor", "step")
    if not internal:
        rows = rows.exclude(kind=ApplicationEvent.Kind.NOTE)
    return list(rows.order_by("at", "pk"))


def conditions_of(application: Application) -> list[str]:
    """The conditions of an approval: every step's, in step order."""
    return [step.conditions for step in steps_of(application) if step.conditions]


# ---------------------------------------------------------------- partners (the JSON API, webhooks) and messages

# What a partner may read of a timeline: the moves of the review, never a draft's, never a note (and never
# any event's words: a question, an answer or a reason may hold personal data).
PARTNER_EVENT_KINDS = (
    ApplicationEvent.Kind.SUBMITTED,
    ApplicationEvent.Kind.STEP_OPENED,
    ApplicationEvent.Kind.STEP_APPROVED,
    ApplicationEvent.Kind.STEP_DENIED,
    ApplicationEvent.Kind.STEP_CANCELLED,
    ApplicationEvent.Kind.INFO_REQUESTED,
    ApplicationEvent.Kind.INFO_PROVIDED,
    ApplicationEvent.Kind.APPROVED,
    ApplicationEvent.Kind.DENIED,
    ApplicationEvent.Kind.WITHDRAWN,
    ApplicationEvent.Kind.EXPIRED,
    ApplicationEvent.Kind.DOCUMENT_ISSUED,
)


@dataclass(frozen=True)
class PartnerApplicationFilter:
    service_codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    department: str = ""
    updated_since: datetime | None = None


def _of_city(jurisdiction_id: int) -> QuerySet[Application]:
    """Submitted applications of a city: its departments' services, and those without a department (the site's)."""
    rows = Application.objects.exclude(status=Status.DRAFT).filter(submitted_at__isnull=False)
    return rows.filter(Q(service__department__jurisdiction_id=jurisdiction_id) | Q(service__department__isnull=True))


def _for_partner(rows: QuerySet[Application]) -> QuerySet[Application]:
    steps = ApplicationStep.objects.select_related("department").order_by("position")
    return rows.select_related("service").prefetch_related(Prefetch("steps", queryset=steps))


def partner_application_page(
    jurisdiction_id: int,
    where: PartnerApplicationFilter,
    *,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[Application]:
    """A page of a city's submitted applications, newest submitted first, with their steps (two queries)."""
    rows = _of_city(jurisdiction_id)
    if where.service_codes:
        rows = rows.filter(service__code__in=where.service_codes)
    if where.statuses:
        rows = rows.filter(status__in=where.statuses)
    if where.department:
        involved = ApplicationStep.objects.filter(application=OuterRef("pk"), department__slug=where.department)
        rows = rows.filter(Q(service__department__slug=where.department) | Exists(involved))
    if where.updated_since is not None:
        rows = rows.filter(updated_at__gte=where.updated_since)
    if after is not None:
        moment, pk = after
        rows = rows.filter(Q(submitted_at__lt=moment) | Q(submitted_at=moment, pk__lt=pk))
    return list(_for_partner(rows).order_by("-submitted_at", "-pk")[:limit])


def partner_application(jurisdiction_id: int, reference: str) -> Application | None:
    """One submitted application of a city, with its steps; None when the city has no such one."""
    return _for_partner(_of_city(jurisdiction_id).filter(reference=reference)).first()


def partner_application_events(application: Application) -> list[ApplicationEvent]:
    """The review's moves of one application, oldest first (PARTNER_EVENT_KINDS), with their step."""
    rows = ApplicationEvent.objects.filter(application=application, kind__in=PARTNER_EVENT_KINDS)
    return list(rows.select_related("step__department").order_by("at", "pk"))


def events_by_ids(event_ids: list[int]) -> list[ApplicationEvent]:
    """Committed events by id, in order, with their application (service, applicant) and step: for listeners."""
    rows = ApplicationEvent.objects.filter(pk__in=event_ids).select_related(
        "application__service__department", "application__applicant", "step__department"
    )
    return list(rows.order_by("at", "pk"))


def digital_service_ids(codes: list[str]) -> dict[str, int]:
    """The ids of the digital services with these codes, offered or not (codes not found are left out)."""
    return dict(DigitalService.objects.filter(code__in=codes).values_list("code", "pk"))


def steps_open_page(
    department: Department,
    now: datetime,
    *,
    service_id: int | None = None,
    overdue_only: bool = False,
    offset: int = 0,
    limit: int = MAX_LISTED,
) -> tuple[list[ApplicationStep], int]:
    """One page of a department's queue (earliest due first, so the overdue lead) and how many match in all.

    Filters: one service; only the overdue (past due while the clock runs, as `steps_overdue`).
    """
    rows = _open_steps().filter(department=department).select_related("application__applicant")
    if service_id is not None:
        rows = rows.filter(application__service_id=service_id)
    if overdue_only:
        rows = rows.filter(due_at__lt=now, application__status=Status.IN_REVIEW)
    return list(rows.order_by("due_at", "pk")[offset : offset + limit]), rows.count()


def latest_application_event_id() -> int:
    """The id of the newest application event, 0 when there is none (where a live stream starts)."""
    return ApplicationEvent.objects.aggregate(last=Max("id"))["last"] or 0


def application_events_after(after: int, *, limit: int) -> list[tuple[int, str, tuple[int, ...]]]:
    """The next `limit` application events after this id, in id order, as (event id, reference, the ids of
    the departments owning one of its steps): what a live stream needs to tell who cares. Two queries."""
    rows = list(
        ApplicationEvent.objects.filter(id__gt=after)
        .order_by("id")
        .values_list("id", "application_id", "application__reference")[:limit]
    )
    departments: dict[int, set[int]] = {}
    steps = ApplicationStep.objects.filter(application_id__in={row[1] for row in rows})
    for application_id, department_id in steps.values_list("application_id", "department_id"):
        departments.setdefault(application_id, set()).add(department_id)
    return [(event_id, reference, tuple(sorted(departments.get(pk, ())))) for event_id, pk, reference in rows]
