"""Reads for cityhall.notifications (above the domain), which reads requests only through these: who to
tell, what a digest lists, which deadlines a sweep warns about, what an area's feed shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.catalogue.models import Jurisdiction, Service

from ..models import Attachment, RequestEvent, ServiceRequest, Support
from ..workflow import OPEN
from .scopes import ACTIVE


def is_overdue(service_request: ServiceRequest, now: datetime) -> bool:
    """Past its expected-by moment with the clock running (a request on hold is not overdue)."""
    return bool(
        service_request.expected_at is not None
        and service_request.expected_at < now
        and service_request.status in ACTIVE
    )


def events_by_ids(event_ids: Sequence[int]) -> QuerySet[RequestEvent]:
    """These timeline events in the order they happened, with what every message about them reads."""
    return (
        RequestEvent.objects.filter(pk__in=list(event_ids))
        .select_related("request__reporter", "request__service", "request__department", "request__jurisdiction")
        .order_by("created_at", "pk")
    )


def requests_by_ids(request_ids: Sequence[int]) -> dict[int, ServiceRequest]:
    """These requests by id, with their assignee, department and category."""
    return ServiceRequest.objects.select_related("assignee", "department", "service").in_bulk(list(request_ids))


def supports_of(service_request: ServiceRequest) -> QuerySet[Support]:
    """Everyone who said "me too" (or whose duplicate was merged in), oldest first, with their account."""
    return service_request.supports.select_related("user").order_by("created_at", "id")


def completion_photo(event: RequestEvent) -> Attachment | None:
    """The first public photo taken when the work was done, attached to this event."""
    return (
        Attachment.objects.filter(event=event, purpose=Attachment.Purpose.COMPLETION, is_public=True)
        .select_related("request__service")
        .order_by("created_at", "id")
        .first()
    )


def public_events_of_kinds(
    kinds: Sequence[tuple[str, str]],
    *,
    since: datetime,
    zone_id: int | None = None,
    cells: Sequence[int] = (),
    services: Sequence[Service] = (),
) -> QuerySet[RequestEvent]:
    """Events of these (kind, action)s since a moment, newest first, on public requests in a zone
    or in H3 cells (neither: none), of these categories (none: all)."""
    of_kinds = Q()
    for kind, action in kinds:
        of_kinds |= Q(kind=kind, action=action)
    events = RequestEvent.objects.filter(of_kinds, created_at__gte=since, request__service__is_private=False)
    if zone_id is not None:
        events = events.filter(request__zone_id=zone_id)
    elif cells:
        events = events.filter(request__cell__in=list(cells))
    else:
        return events.none()
    if services:
        events = events.filter(request__service__in=list(services))
    return events.select_related("request__service").order_by("-created_at", "-pk")


def open_count_by_assignee() -> dict[int, int]:
    """How many open requests each assignee holds, by user id."""
    rows = ServiceRequest.objects.filter(status__in=OPEN, assignee__isnull=False).values_list("assignee")
    return dict(rows.annotate(n=Count("pk")).order_by())


def overdue_count_by_department(now: datetime) -> dict[int, int]:
    """How many requests are overdue in each department's queue, by department id."""
    rows = ServiceRequest.objects.filter(status__in=ACTIVE, department__isnull=False, expected_at__lt=now).values_list(
        "department"
    )
    return dict(rows.annotate(n=Count("pk")).order_by())


def open_work_of(user: User) -> QuerySet[ServiceRequest]:
    """A person's open requests, soonest due first (no due date last), then oldest."""
    return (
        ServiceRequest.objects.filter(assignee=user, status__in=OPEN)
        .select_related("service")
        .order_by(F("expected_at").asc(nulls_last=True), "requested_at")
    )


def overdue_work_of(user: User, now: datetime) -> QuerySet[ServiceRequest]:
    """A person's open requests past their expected-by moment, with the clock running."""
    return ServiceRequest.objects.filter(assignee=user, status__in=ACTIVE, expected_at__lt=now)


def overdue_in_department(department_id: int | None, now: datetime) -> QuerySet[ServiceRequest]:
    """A department's overdue requests, most overdue first (none without a department)."""
    if department_id is None:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(department_id=department_id, status__in=ACTIVE, expected_at__lt=now)
        .select_related("service", "assignee")
        .order_by("expected_at")
    )


def running_in_queue(jurisdiction: Jurisdiction, department_id: int | None) -> QuerySet[ServiceRequest]:
    """One queue's requests whose clock runs: a department's, or triage's (department None).

    Served by the `request_queue` index (department, status, expected_at) when the caller bounds
    expected_at.
    """
    in_queue = Q(department__isnull=True) if department_id is None else Q(department_id=department_id)
    return ServiceRequest.objects.filter(in_queue, status__in=ACTIVE, jurisdiction=jurisdiction)


def due_by(deadlines: Mapping[datetime, Sequence[int]]) -> Q:
    """A filter for requests due by a moment, per category: moment → the service ids it holds for
    (one term per distinct moment, not per category; none: nothing)."""
    due = Q(pk__in=[])
    for deadline, service_ids in deadlines.items():
        due |= Q(service_id__in=list(service_ids), expected_at__lte=deadline)
    return due
