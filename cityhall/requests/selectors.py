"""The only code that composes request queries across tables: public lists, nearby, queues, timelines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import TruncDate

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


# --- Reads for dashboards ---
# What cityhall.dashboards needs of requests: one row of facts per request (its rollups are sums of
# these), the oldest open requests and the open workload per person and crew. Definitions of the
# measures are in docs/dashboards.md.

# Roles whose first public move on a request counts as the city's first response (the system's
# routing on submit does not: nobody has looked at the request yet).
_RESPONDERS = ("agent", "staff", "crew", "supervisor", "admin")


def dashboard_facts(tz: tzinfo, request_ids: Sequence[int] | None = None) -> QuerySet[ServiceRequest]:
    """Each request's dimensions and the moments the dashboards measure, as annotations.

    Days are in `tz` (the city's). `request_ids` limits the rows (None: every request). Returned
    unevaluated so the caller can copy it into a table with one INSERT … SELECT.
    """
    rows = ServiceRequest.objects.order_by()
    if request_ids is not None:
        rows = rows.filter(pk__in=request_ids)
    events = RequestEvent.objects.filter(request=OuterRef("pk")).order_by()
    first_response = events.filter(
        actor_role__in=_RESPONDERS, kind__in=[RequestEvent.Kind.TRANSITION, RequestEvent.Kind.COMMENT]
    ).order_by("created_at", "id")
    done = Q(status__in=DONE)
    return rows.annotate(
        f_received_day=TruncDate("requested_at", tzinfo=tz),
        f_open_now=Case(When(status__in=OPEN, then=True), default=False),
        f_reopened=Exists(events.filter(action="reopen")),
        f_duplicate=Case(When(done & Q(resolution="duplicate"), then=True), default=False),
        f_closed_at=Case(When(done, then=F("resolved_at"))),
        f_sla_due=Case(When(done & Q(expected_at__isnull=False, resolved_at__isnull=False), then=True), default=False),
        f_sla_met=Case(When(done & Q(resolved_at__lte=F("expected_at")), then=True), default=False),
        f_verified=Case(
            When(Q(status=Status.CLOSED) & Exists(events.filter(action="confirm")), then=True), default=False
        ),
        f_auto_closed=Case(
            When(
                Q(status=Status.CLOSED, import_source="") & Exists(events.filter(action="close", actor_role="system")),
                then=True,
            ),
            default=False,
        ),
        f_responded_at=Subquery(first_response.values("created_at")[:1]),
        f_rated_at=F("feedback__created_at"),
        f_rating=F("feedback__rating"),
        f_last_event_id=Subquery(events.order_by("-id").values("id")[:1]),
    )


def oldest_open_requests(department_ids: Sequence[int] | None, limit: int) -> list[ServiceRequest]:
    """The open requests waiting longest (of these departments; None: all), oldest first."""
    rows = ServiceRequest.objects.filter(status__in=OPEN)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    return list(
        rows.select_related("service")
        .only("public_id", "requested_at", "status", "service__name", "department_id")
        .order_by("requested_at", "id")[:limit]
    )


def open_workload(
    department_ids: Sequence[int] | None,
) -> tuple[list[tuple[int, str, int]], list[tuple[int, str, int]]]:
    """Open requests per assignee and per crew, busiest first: ([(user id, name, open)], [(crew id, name, open)])."""
    rows = ServiceRequest.objects.filter(status__in=OPEN).order_by()
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    people = (
        rows.filter(assignee__isnull=False)
        .values_list("assignee_id", "assignee__name")
        .annotate(open=Count("id"))
        .order_by("-open", "assignee__name")
    )
    crews = (
        rows.filter(crew__isnull=False)
        .values_list("crew_id", "crew__name")
        .annotate(open=Count("id"))
        .order_by("-open", "crew__name")
    )
    return list(people), list(crews)


def requests_of_events(event_ids: Sequence[int]) -> list[int]:
    """The requests these timeline events belong to."""
    return list(
        RequestEvent.objects.filter(pk__in=event_ids).order_by().values_list("request_id", flat=True).distinct()
    )


def newest_events_by_request(after_event_id: int) -> tuple[dict[int, int], int]:
    """For requests with events newer than `after_event_id`: {request id: its newest event id}, and the newest id."""
    rows = (
        RequestEvent.objects.filter(pk__gt=after_event_id)
        .order_by()
        .values_list("request_id")
        .annotate(newest=Max("id"))
    )
    newest = dict(rows)
    return newest, max(newest.values(), default=after_event_id)
