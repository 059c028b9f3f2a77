"""Every read other code needs of digital services and applications, by name."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, QuerySet

from cityhall.accounts.models import User
from cityhall.catalogue.models import Department
from cityhall.core.errors import NotFound

from .models import Application, ApplicationEvent, ApplicationStep, DigitalService, FormVersion, Status, StepStatus

MAX_LISTED = 100


def services_offered() -> QuerySet[DigitalService]:
    """The services a resident may apply for: active, with a published form."""
    published = FormVersion.objects.filter(service=OuterRef("pk"))
    return DigitalService.objects.filter(is_active=True).filter(Exists(published))


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
