"""The only code that composes request queries across tables: public lists, nearby, queues, timelines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.catalogue.i18n import all_languages, in_language
from cityhall.catalogue.models import Department, Jurisdiction, Service
from cityhall.core import clock
from cityhall.geo.cells import cells_covering, distance_m

from .models import Attachment, RequestEvent, ServiceRequest, Support
from .public_list import fetch_public_rows
from .workflow import DONE, OPEN, Status


def public_requests() -> QuerySet[ServiceRequest]:
    """Requests anyone may list: never those of private categories."""
    return ServiceRequest.objects.filter(service__is_private=False)


# What the residents' list shows of each request (citizen/list.html): public fields only.
CITY_LIST_FIELDS = (
    "public_id",
    "status",
    "requested_at",
    "address",
    "location_description",
    "support_count",
    "lat",
    "lng",
    *all_languages("service__name"),  # the category is named in the page's language
    "zone__name",
)


def _city_filtered(
    jurisdiction: Jurisdiction | None, *, category: str, area: str, status: str
) -> QuerySet[ServiceRequest]:
    rows = public_requests().filter(jurisdiction=jurisdiction)
    if category:
        rows = rows.filter(service__code=category)
    if area:
        rows = rows.filter(zone__slug=area)
    if status == "open":
        rows = rows.filter(status__in=OPEN)
    elif status == "done":
        rows = rows.filter(status__in=DONE)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("-requested_at", "-id")


def city_requests(
    jurisdiction: Jurisdiction | None, *, category: str = "", area: str = "", status: str = ""
) -> QuerySet[ServiceRequest]:
    """The residents' list of a city's public requests, newest first, with the names it shows.

    Each filter is "" for all: `category` a service code, `area` a zone slug, `status` "open",
    "done" or one status value.
    """
    rows = _city_filtered(jurisdiction, category=category, area=area, status=status)
    return rows.select_related("service", "zone").only(*CITY_LIST_FIELDS)


def city_request_markers(
    jurisdiction: Jurisdiction | None, *, category: str = "", area: str = "", status: str = "", limit: int
) -> list[tuple[str, float, float, str, str, datetime]]:
    """The newest `limit` requests of `city_requests` that have a point, as (public id, lat, lng,
    status, category name, requested at)."""
    rows = _city_filtered(jurisdiction, category=category, area=area, status=status)
    located = rows.filter(lat__isnull=False, lng__isnull=False)
    fields = ("public_id", "lat", "lng", "status", "category", "requested_at")
    return list(located.annotate(category=in_language("service__name")).values_list(*fields)[:limit])


@dataclass(frozen=True)
class Nearby:
    request: ServiceRequest
    distance_m: float


def nearby_requests(
    *,
    service: Service | None,
    lat: float,
    lng: float,
    radius_m: float = 250,
    closed_within: timedelta = timedelta(days=7),
    limit: int = 10,
) -> list[Nearby]:
    """Open (or recently resolved) requests within radius_m, nearest first: the duplicate prompt.

    Served by the (service, cell) index: the query asks for the ring of H3 cells covering the circle,
    then the exact distance trims the corners.
    """
    since = clock.now() - closed_within
    candidates = (
        public_requests()
        .filter(cell__in=cells_covering(lat, lng, radius_m))
        .filter(Q(status__in=OPEN) | Q(status__in=[Status.RESOLVED, Status.CLOSED], resolved_at__gte=since))
        .order_by()
    )
    if service is not None:
        candidates = candidates.filter(service=service)
    # Trim the ring's corners on bare tuples first; build full rows only for the few that are kept.
    distances = {}
    for pk, other_lat, other_lng in candidates.values_list("pk", "lat", "lng")[:2000]:
        if other_lat is None or other_lng is None:  # a cell implies a point; this keeps the types honest
            continue
        distance = distance_m(lat, lng, other_lat, other_lng)
        if distance <= radius_m:
            distances[pk] = distance
    nearest = sorted(distances, key=distances.__getitem__)[:limit]
    if not nearest:
        return []
    rows = ServiceRequest.objects.select_related("service", "reporter", "department").in_bulk(nearest)
    return [Nearby(rows[pk], distances[pk]) for pk in nearest]


def department_queue(department: Department, *, statuses: Sequence[Status] = OPEN) -> QuerySet[ServiceRequest]:
    """A department's open work, soonest due first (no due date last)."""
    return (
        ServiceRequest.objects.filter(department=department, status__in=statuses)
        .select_related("service", "assignee", "zone")
        .order_by(F("expected_at").asc(nulls_last=True), "requested_at")
    )


def triage_queue() -> QuerySet[ServiceRequest]:
    """New requests no rule could route, oldest first."""
    return (
        ServiceRequest.objects.filter(status=Status.SUBMITTED)
        .select_related("service", "zone")
        .order_by("requested_at")
    )


def timeline(request: ServiceRequest, *, include_internal: bool) -> QuerySet[RequestEvent]:
    events = request.events.select_related("actor").prefetch_related("attachments")
    return events if include_internal else events.exclude(kind=RequestEvent.Kind.NOTE)


def overdue(now: datetime | None = None) -> QuerySet[ServiceRequest]:
    """Open requests past their expected-by date (on-hold ones are paused, so not overdue)."""
    moment = now or clock.now()
    active = [s for s in OPEN if s is not Status.ON_HOLD]
    return ServiceRequest.objects.filter(status__in=active, expected_at__lt=moment)


@dataclass(frozen=True)
class PublicFilter:
    """Filters of the public request list (Open311 GET requests and the public map)."""

    ids: Sequence[str] = ()
    service_codes: Sequence[str] = ()
    open311_statuses: Sequence[str] = ()  # "open" / "closed"
    requested_from: datetime | None = None
    requested_to: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    near: tuple[float, float, float] | None = None  # lat, lng, radius in metres
    text: str = ""


def public_request_rows(
    jurisdiction_id: int, where: PublicFilter, *, offset: int, limit: int, extended: bool = False
) -> list[dict[str, object]]:
    """One page of public requests as plain rows, newest first: one query whatever the page size."""
    return fetch_public_rows(jurisdiction_id, where, offset=offset, limit=limit, extended=extended)


def public_photos(request_ids: Sequence[int]) -> dict[int, list[dict[str, object]]]:
    """Public photos of these requests (report photos first), by request id: one query."""
    photos: dict[int, list[dict[str, object]]] = {}
    rows = Attachment.objects.filter(request_id__in=list(request_ids), is_public=True).order_by("created_at", "id")
    for row in rows.values("request_id", "image", "thumbnail", "purpose", "event_id"):
        photos.setdefault(row["request_id"], []).append(dict(row))
    return photos


def public_events(request_ids: Sequence[int]) -> dict[int, list[dict[str, object]]]:
    """The public timeline of these requests, oldest first, by request id: one query."""
    events: dict[int, list[dict[str, object]]] = {}
    rows = RequestEvent.objects.filter(request_id__in=list(request_ids)).exclude(kind=RequestEvent.Kind.NOTE)
    for row in rows.order_by("created_at", "id").values(
        "id", "request_id", "created_at", "kind", "action", "to_status", "public_note"
    ):
        events.setdefault(row["request_id"], []).append(dict(row))
    return events


def public_updates(
    jurisdiction_id: int, *, since: datetime, until: datetime, limit: int = 1000
) -> list[dict[str, object]]:
    """Public timeline events in a window, oldest first (FixMyStreet's servicerequestupdates)."""
    rows = (
        RequestEvent.objects.filter(
            request__jurisdiction_id=jurisdiction_id,
            request__service__is_private=False,
            created_at__gte=since,
            created_at__lte=until,
        )
        .exclude(kind=RequestEvent.Kind.NOTE)
        .order_by("created_at", "id")
    )
    return [
        dict(row)
        for row in rows.values(
            "id",
            "request_id",
            "request__public_id",
            "request__status",
            "request__resolution",
            "created_at",
            "kind",
            "action",
            "to_status",
            "public_note",
        )[:limit]
    ]


def public_id_for_batch_token(jurisdiction_id: int, token: str) -> str | None:
    """The request created for an Open311 batch token, if it exists yet."""
    if not token:
        return None
    return (
        ServiceRequest.objects.filter(jurisdiction_id=jurisdiction_id, batch_token=token)
        .values_list("public_id", flat=True)
        .first()
    )


def support_of(request: ServiceRequest, *, user: User | None, emails: Sequence[str]) -> Support | None:
    """This person's "me too" on a request: by their account, or an address they gave."""
    addresses = [email.strip().lower() for email in emails if email]
    whose = Q(user=user) if user is not None else Q(pk__in=[])
    if addresses:
        whose |= Q(email__in=addresses)
    return request.supports.filter(whose).select_related("user").first()


def heard_by(public_ids: Sequence[str], *, user: User | None, emails: Sequence[str]) -> set[str]:
    """Which of these requests this person reported or supports already (by account or an address they gave)."""
    addresses = [email.strip().lower() for email in emails if email]
    if user is None and not addresses:
        return set()
    reported = Q(reporter=user) if user is not None else Q(pk__in=[])
    supported = Q(supports__user=user) if user is not None else Q(pk__in=[])
    for address in addresses:
        reported |= Q(reporter_email__iexact=address)
    if addresses:
        supported |= Q(supports__email__in=addresses)
    found = ServiceRequest.objects.filter(public_id__in=list(public_ids)).filter(reported | supported)
    return set(found.values_list("public_id", flat=True))


# --- Reads for notifications ---
# The notifications app (above the domain) reads requests only through these: who to tell, what a
# digest lists, which deadlines a sweep warns about, what an area's feed shows.


def open_not_on_hold() -> tuple[Status, ...]:
    """The statuses in which a request's SLA clock runs: open, and not on hold (its clock is stopped)."""
    return tuple(status for status in OPEN if status is not Status.ON_HOLD)


def is_overdue(service_request: ServiceRequest, now: datetime) -> bool:
    """Past its expected-by moment with the clock running (a request on hold is not overdue)."""
    return bool(
        service_request.expected_at is not None
        and service_request.expected_at < now
        and service_request.status in open_not_on_hold()
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
    rows = ServiceRequest.objects.filter(
        status__in=open_not_on_hold(), department__isnull=False, expected_at__lt=now
    ).values_list("department")
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
    return ServiceRequest.objects.filter(assignee=user, status__in=open_not_on_hold(), expected_at__lt=now)


def overdue_in_department(department_id: int | None, now: datetime) -> QuerySet[ServiceRequest]:
    """A department's overdue requests, most overdue first (none without a department)."""
    if department_id is None:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(department_id=department_id, status__in=open_not_on_hold(), expected_at__lt=now)
        .select_related("service", "assignee")
        .order_by("expected_at")
    )


def running_in_queue(jurisdiction: Jurisdiction, department_id: int | None) -> QuerySet[ServiceRequest]:
    """One queue's requests whose clock runs: a department's, or triage's (department None).

    Served by the `request_queue` index (department, status, expected_at) when the caller bounds
    expected_at.
    """
    in_queue = Q(department__isnull=True) if department_id is None else Q(department_id=department_id)
    return ServiceRequest.objects.filter(in_queue, status__in=open_not_on_hold(), jurisdiction=jurisdiction)


def due_by(deadlines: Mapping[datetime, Sequence[int]]) -> Q:
    """A filter for requests due by a moment, per category: moment → the service ids it holds for
    (one term per distinct moment, not per category; none: nothing)."""
    due = Q(pk__in=[])
    for deadline, service_ids in deadlines.items():
        due |= Q(service_id__in=list(service_ids), expected_at__lte=deadline)
    return due
