"""Public reads, for the residents' pages and Open311: the city's list and map, nearby requests, a
request's timeline, and public rows, photos, events and updates a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from cityhall.catalogue.i18n import all_languages, in_language
from cityhall.catalogue.models import Jurisdiction, Service
from cityhall.core import clock
from cityhall.geo.cells import cells_covering, distance_m

from ..models import Attachment, RequestEvent, ServiceRequest
from ..public_list import PublicFilter, fetch_public_rows
from ..public_text import REPORTER_OF_EVENT, public_event_row
from ..public_updates import fetch_public_updates
from ..row_shape import RowShape
from ..workflow import DONE, OPEN, Status
from .scopes import public_requests

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


def timeline(service_request: ServiceRequest, *, include_internal: bool) -> QuerySet[RequestEvent]:
    """A request's events, oldest first, each with its photos (read them with `event.attachments.all()`)."""
    events = service_request.events.select_related("actor").prefetch_related("attachments")
    return events if include_internal else events.exclude(kind=RequestEvent.Kind.NOTE)


def public_request_rows(
    jurisdiction_id: int,
    where: PublicFilter,
    *,
    offset: int,
    limit: int,
    extended: bool = False,
    seconds: bool = False,
    shape: RowShape | None = None,
) -> list[Any]:
    """One page of public requests as plain rows, newest first: one query whatever the page size.

    Moments are datetimes, or with `seconds` whole seconds since 1970 (for a caller that formats them
    itself). With `shape`, each row already in the caller's form (remembered per process: RowShape).
    """
    return fetch_public_rows(
        jurisdiction_id, where, offset=offset, limit=limit, extended=extended, seconds=seconds, shape=shape
    )


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
    jurisdiction_id: int,
    *,
    since: datetime,
    until: datetime,
    limit: int = 1000,
    seconds: bool = False,
    shape: RowShape | None = None,
) -> list[Any]:
    """Public timeline events in a window, oldest first (FixMyStreet's servicerequestupdates), each with
    its newest public photo's file name (`photo`, or None): one query. `created_at` is a datetime, or
    with `seconds` whole seconds since 1970. With `shape`, each already in the caller's form (RowShape)."""
    return fetch_public_updates(jurisdiction_id, since=since, until=until, limit=limit, seconds=seconds, shape=shape)


def public_id_for_batch_token(jurisdiction_id: int, token: str) -> str | None:
    """The request created for an Open311 batch token, if it exists yet."""
    if not token:
        return None
    return (
        ServiceRequest.objects.filter(jurisdiction_id=jurisdiction_id, batch_token=token)
        .values_list("public_id", flat=True)
        .first()
    )


def has_requests(jurisdiction: Jurisdiction, *, made_here: bool = False) -> bool:
    """Whether the city has any request (`made_here`: any not brought in by an import)."""
    rows = ServiceRequest.objects.filter(jurisdiction=jurisdiction)
    return (rows.filter(import_source="") if made_here else rows).exists()
