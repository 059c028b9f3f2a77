"""The only code that composes request queries across tables: public lists, nearby, queues, timelines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet

from cityhall.accounts.models import User
from cityhall.catalogue.i18n import all_languages, in_language
from cityhall.catalogue.models import Department, Jurisdiction, Service
from cityhall.core import clock
from cityhall.geo.cells import cells_covering, distance_m

from .models import Attachment, RequestEvent, ServiceRequest, Support
from .public_list import fetch_public_rows
from .public_text import REPORTER_OF_EVENT, public_event_row
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
        "id", "request_id", "created_at", "kind", "action", "to_status", "public_note", *REPORTER_OF_EVENT
    ):
        events.setdefault(row["request_id"], []).append(public_event_row(dict(row)))
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
        public_event_row(dict(row))
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
            *REPORTER_OF_EVENT,
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


# The city's own copy of its requests for its warehouse (cityhall/opendata/internal.py names and types
# each column): every request, private services included, with the reporter's contact and the internal
# workings. Never published; the tracking token stays out (it is a password to the request, not data).
REQUEST_EXPORT_FIELDS = (
    "public_id", "service__code", "service__name_en", "service__is_private", "service__sensitive",
    "department__name_en", "status", "resolution", "status_note", "hold_reason", "priority", "requested_at",
    "updated_at", "expected_at", "resolved_at", "closed_at", "address", "zipcode", "location_description",
    "zone__name", "lat", "lng", "description", "channel", "language", "reporter_name", "reporter_email",
    "reporter_phone", "reporter__email", "device_id", "account_id", "api_client", "assignee__email", "crew__name",
    "support_count", "import_source", "external_id",
)  # fmt: skip
EVENT_EXPORT_FIELDS = (
    "id", "request__public_id", "request__service__code", "created_at", "kind", "action", "actor__email",
    "actor_role", "from_status", "to_status", "public_note", "internal_note",
)  # fmt: skip
EXPORT_CHUNK = 2_000


def requests_for_export() -> Iterator[tuple[Any, ...]]:
    """Every request as `REQUEST_EXPORT_FIELDS`, oldest first, read in chunks (a server-side cursor on PostgreSQL)."""
    rows = ServiceRequest.objects.order_by("requested_at", "id").values_list(*REQUEST_EXPORT_FIELDS)
    return rows.iterator(chunk_size=EXPORT_CHUNK)


def events_for_export() -> Iterator[tuple[Any, ...]]:
    """Every timeline event, internal notes included, as `EVENT_EXPORT_FIELDS`, oldest first, in chunks."""
    rows = RequestEvent.objects.order_by("created_at", "id").values_list(*EVENT_EXPORT_FIELDS)
    return rows.iterator(chunk_size=EXPORT_CHUNK)
