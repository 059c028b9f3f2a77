"""The only code that composes request queries across tables: public lists, nearby, queues, timelines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, TypeVar

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, TruncDate

from cityhall.accounts.models import User
from cityhall.accounts.selectors import people_with_ids
from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.i18n import all_languages, in_language
from cityhall.catalogue.models import Jurisdiction, Service
from cityhall.core import clock
from cityhall.geo.cells import cells_covering, distance_m

from .models import Attachment, Feedback, RequestEvent, ServiceRequest, Support
from .public_list import PublicFilter as PublicFilter  # the public list's filter, for its callers
from .public_list import fetch_public_rows
from .public_text import REPORTER_OF_EVENT, public_event_row, public_row_text
from .public_updates import fetch_public_updates
from .row_shape import RowShape as RowShape  # how a caller wants each public row, for its callers
from .workflow import DONE, OPEN, Action, Resolution, Role, Status

# "Open but not on hold": the statuses in which a request's SLA clock runs (a hold pauses it), defined
# once for the queues, the SLA board and the notifications' digests and planning.
ACTIVE: tuple[Status, ...] = tuple(status for status in OPEN if status is not Status.ON_HOLD)


def active_requests() -> QuerySet[ServiceRequest]:
    """Requests that are open and not on hold."""
    return ServiceRequest.objects.filter(status__in=ACTIVE)


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


# ---------------------------------------------------------------- one request's parts (staff and residents)


def photos_of(service_request: ServiceRequest) -> list[Attachment]:
    """Every photo of a request, internal ones too: callers show them to staff or filter with access."""
    return list(service_request.attachments.all())


def duplicates_of(service_request: ServiceRequest) -> list[ServiceRequest]:
    """The requests merged into this one as its duplicates, with their category."""
    return list(service_request.duplicates.select_related("service"))


def feedback_on(service_request: ServiceRequest) -> Feedback | None:
    """The reporter's "How did we do?" answer, if they gave one."""
    return Feedback.objects.filter(request=service_request).first()


# ---------------------------------------------------------------- a person's requests (My requests, export)


def requests_reported_by(user: User, *, limit: int) -> list[ServiceRequest]:
    """The newest requests this account reported, with their category."""
    return list(
        ServiceRequest.objects.select_related("service").filter(reporter=user).order_by("-requested_at")[:limit]
    )


def requests_supported_by(user: User, *, limit: int) -> list[ServiceRequest]:
    """The newest requests this account said "me too" to, with their category."""
    found = ServiceRequest.objects.select_related("service").filter(supports__user=user)
    return list(found.order_by("-requested_at")[:limit])


def requests_by_public_id(public_ids: Sequence[str]) -> dict[str, ServiceRequest]:
    """These requests by public id (unknown ids left out), with their category: one query.

    Hands out requests whatever their privacy: callers decide who may see each (access.requests_for_device).
    """
    return ServiceRequest.objects.select_related("service").in_bulk(list(public_ids), field_name="public_id")


def personal_requests(user: User, *, verified_emails: Sequence[str]) -> list[ServiceRequest]:
    """A person's requests for their data export, oldest first: those of their account, and those reported
    without one from an address they proved is theirs. Each comes with its public timeline (`events`,
    staff notes left out) and the photos sent with the report (`report_photos`).
    """
    public_events = Prefetch(
        "events", queryset=RequestEvent.objects.exclude(kind=RequestEvent.Kind.NOTE).order_by("created_at", "id")
    )
    # The photos they sent with the report, as stored: already stripped of location and camera data.
    their_photos = Prefetch(
        "attachments", queryset=Attachment.objects.filter(purpose=Attachment.Purpose.REPORT), to_attr="report_photos"
    )
    return list(
        ServiceRequest.objects.annotate(email_lower=Lower("reporter_email"))
        .filter(Q(reporter=user) | Q(reporter__isnull=True, email_lower__in=list(verified_emails)))
        .select_related("service")
        .prefetch_related(public_events, their_photos)
        .order_by("requested_at", "id")
    )


def personal_supports(user: User, *, emails: Sequence[str]) -> QuerySet[Support]:
    """A person's "me too"s, by their account or an address of theirs, oldest first, with the request's category."""
    return (
        Support.objects.filter(Q(user=user) | Q(email__in=list(emails)))
        .select_related("request__service")
        .order_by("created_at", "id")
    )


# ---------------------------------------------------------------- the events table as a change feed (live)


# On PostgreSQL each transaction that writes events sends a NOTIFY on this channel when it commits
# (a trigger: migrations/0016_notify_on_events.py). It carries nothing; the table is the truth.
EVENTS_CHANNEL = "cityhall_events"


def latest_event_id() -> int:
    """The id of the newest event, 0 when there is none."""
    return RequestEvent.objects.aggregate(last=Max("id"))["last"] or 0


def events_after(after: int, *, limit: int) -> list[tuple[int, str, int | None, str, str, str]]:
    """The next `limit` events after this id, in id order, as (event id, request public id, department id,
    request status, from status, to status): what a live stream needs to tell who cares.
    """
    rows = RequestEvent.objects.filter(id__gt=after).order_by("id")
    fields = ("id", "request__public_id", "request__department_id", "request__status", "from_status", "to_status")
    return list(rows.values_list(*fields)[:limit])


def support_of(service_request: ServiceRequest, *, user: User | None, emails: Sequence[str]) -> Support | None:
    """This person's "me too" on a request: by their account, or an address they gave."""
    addresses = [email.strip().lower() for email in emails if email]
    whose = Q(user=user) if user is not None else Q(pk__in=[])
    if addresses:
        whose |= Q(email__in=addresses)
    return service_request.supports.filter(whose).select_related("user").first()


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


# ---------------------------------------------------------------- reads for open data's projection
# Open data keeps a public copy of every request and public event (cityhall/opendata); it reads the
# rows here, as plain values with the fields its privacy rule names, and never writes them.


def request_rows(
    fields: Sequence[str],
    *,
    ids: Sequence[int] | None = None,
    service_ids: Sequence[int] | None = None,
    oldest_first: bool = False,
) -> QuerySet[ServiceRequest, dict[str, Any]]:
    """Requests as `values(*fields)` rows: these ids, these services' requests, or every request
    (`oldest_first`: in the order they were made, else the model's newest first)."""
    rows = ServiceRequest.objects.order_by("requested_at", "pk") if oldest_first else ServiceRequest.objects.all()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if service_ids is not None:
        rows = rows.filter(service_id__in=list(service_ids))
    values: QuerySet[ServiceRequest, dict[str, Any]] = rows.values(*fields)
    return values


def public_event_rows(
    fields: Sequence[str], *, request_ids: Sequence[int] | None = None, service_ids: Sequence[int] | None = None
) -> QuerySet[RequestEvent, dict[str, Any]]:
    """Timeline events a resident may see (no internal notes) as `values(*fields)` rows, like `request_rows`."""
    rows = RequestEvent.objects.exclude(kind=RequestEvent.Kind.NOTE)
    if request_ids is not None:
        rows = rows.filter(request_id__in=list(request_ids))
    if service_ids is not None:
        rows = rows.filter(request__service_id__in=list(service_ids))
    values: QuerySet[RequestEvent, dict[str, Any]] = rows.values(*fields)
    return values


def request_ids_of_events(event_ids: Sequence[int]) -> list[int]:
    """The requests these events belong to, each once, in id order."""
    ids = RequestEvent.objects.filter(pk__in=list(event_ids)).values_list("request_id", flat=True)
    return sorted(set(ids))


# ---------------------------------------------------------------- the city's internal export
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


# --- Reads for dashboards ---
# What cityhall.dashboards needs of requests: one row of facts per request (its rollups are sums of
# these), the oldest open requests, the workload per person and crew, the residents' comments and
# the backlog at a past moment. Definitions of the measures are in docs/dashboards.md.

# Roles whose first public move on a request counts as the city's first response (the system's
# routing on submit does not: nobody has looked at the request yet).
_RESPONDERS = (Role.AGENT, Role.STAFF, Role.CREW, Role.SUPERVISOR, Role.ADMIN)


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
    closed_by_the_system = Exists(events.filter(action=Action.CLOSE, actor_role=Role.SYSTEM))
    return rows.annotate(
        f_received_day=TruncDate("requested_at", tzinfo=tz),
        f_open_now=Case(When(status__in=OPEN, then=True), default=False),
        f_reopened=Exists(events.filter(action=Action.REOPEN)),
        f_duplicate=Case(When(done & Q(resolution=Resolution.DUPLICATE), then=True), default=False),
        f_closed_at=Case(When(done, then=F("resolved_at"))),
        f_sla_due=Case(When(done & Q(expected_at__isnull=False, resolved_at__isnull=False), then=True), default=False),
        f_sla_met=Case(When(done & Q(resolved_at__lte=F("expected_at")), then=True), default=False),
        f_verified=Case(
            When(Q(status=Status.CLOSED) & Exists(events.filter(action=Action.CONFIRM)), then=True), default=False
        ),
        f_auto_closed=Case(
            When(Q(status=Status.CLOSED, import_source="") & closed_by_the_system, then=True),
            default=False,
        ),
        f_responded_at=Subquery(first_response.values("created_at")[:1]),
        # Whom the workload credits with a closure: the person who took the latest resolve step
        # (an imported closure has none) and the crew the request was with (a done request keeps it).
        f_closed_by=Case(When(done, then=_resolver())),
        f_closed_crew=Case(When(done, then=F("crew_id"))),
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
        # Every language's name: `name` alone leaves the translated columns deferred, one query per row.
        .only("public_id", "requested_at", "status", *all_languages("service__name"), "department_id")
        .order_by("requested_at", "id")[:limit]
    )


_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class Slice:
    """Which requests a dashboard reads, by what they are now: a department, some categories, a
    neighborhood, a channel (None or empty: all). The dashboards' filters, less the period."""

    department_id: int | None = None
    service_ids: frozenset[int] | None = None
    zone_id: int | None = None
    channel: str = ""


def _sliced(rows: QuerySet[_M], where: Slice, prefix: str = "") -> QuerySet[_M]:
    """`rows` narrowed to the slice; `prefix` reaches the request from another table ("request__")."""
    if where.department_id is not None:
        rows = rows.filter(**{f"{prefix}department_id": where.department_id})
    if where.service_ids is not None:
        rows = rows.filter(**{f"{prefix}service_id__in": sorted(where.service_ids)})
    if where.zone_id is not None:
        rows = rows.filter(**{f"{prefix}zone_id": where.zone_id})
    if where.channel:
        rows = rows.filter(**{f"{prefix}channel": where.channel})
    return rows


def _resolver() -> Subquery:
    """The person who took a request's latest resolve step (correlated to the request)."""
    return Subquery(
        RequestEvent.objects.filter(request=OuterRef("pk"), action=Action.RESOLVE)
        .order_by("-created_at", "-id")
        .values("actor_id")[:1]
    )


def open_work(where: Slice) -> tuple[dict[int, int], dict[int, int]]:
    """Open requests now on each person's name (the assignee) and with each crew: ({person: n}, {crew: n})."""
    rows = _sliced(ServiceRequest.objects.order_by(), where).filter(status__in=OPEN)
    people = dict(rows.filter(assignee__isnull=False).values_list("assignee_id").annotate(n=Count("id")))
    crews = dict(rows.filter(crew__isnull=False).values_list("crew_id").annotate(n=Count("id")))
    return people, crews


def names_of_workers(people_ids: Iterable[int], crew_ids: Iterable[int]) -> tuple[dict[int, str], dict[int, str]]:
    """The names of these people and crews: ({person: name}, {crew: name})."""
    people = {user.pk: str(user) for user in people_with_ids(set(people_ids)).only("name", "email")}
    return people, catalogue.crew_names(set(crew_ids))


def recent_feedback(where: Slice, *, since: datetime, before: datetime, limit: int) -> tuple[int, list[Feedback]]:
    """Residents' ratings that came with a comment, given in [since, before): how many, and the newest
    `limit` of them with their request and its category. Staff only: the comments are residents' own words."""
    rows = _sliced(Feedback.objects.order_by(), where, prefix="request__").filter(
        created_at__gte=since, created_at__lt=before
    )
    rows = rows.exclude(comment="")
    newest = rows.select_related("request__service").order_by("-created_at", "-id")[:limit]
    return rows.count(), list(newest)


def open_count_at(where: Slice, moment: datetime) -> int:
    """How many requests were open at `moment`, read from the timeline: received by then, and the last
    status their events gave them by then an open one. (The rollups know the backlog now only.)"""
    status_then = (
        RequestEvent.objects.filter(request=OuterRef("pk"), created_at__lte=moment)
        .exclude(to_status="")
        .order_by("-created_at", "-id")
        .values("to_status")[:1]
    )
    # Open then means open now, or a status change since: the rest were done at `moment` already.
    changed_since = RequestEvent.objects.filter(created_at__gt=moment).exclude(to_status="").values("request_id")
    candidates = _sliced(ServiceRequest.objects.order_by(), where).filter(
        Q(status__in=OPEN) | Q(pk__in=changed_since), requested_at__lte=moment
    )
    return (
        candidates.annotate(status_then=Coalesce(Subquery(status_then), Value(Status.SUBMITTED.value)))
        .filter(status_then__in=OPEN)
        .count()
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


# --- The partners' JSON API: public requests a page at a time, by cursor ---


@dataclass(frozen=True)
class PartnerFilter:
    """Filters of the JSON API's request list (each empty one is no filter)."""

    service_ids: Sequence[int] = ()
    statuses: Sequence[str] = ()
    requested_after: datetime | None = None
    requested_before: datetime | None = None
    updated_after: datetime | None = None


# What a partner reads of each request: public fields, the free text scrubbed by public_row_text (which
# reads the reporter's contacts to hide them, then drops them from the row).
PARTNER_FIELDS = (
    "id",
    "public_id",
    "service_id",
    "department_id",
    "status",
    "resolution",
    "status_note",
    "description",
    "address",
    "location_description",
    "zipcode",
    "lat",
    "lng",
    "channel",
    "support_count",
    "duplicate_of__public_id",
    "requested_at",
    "updated_at",
    "expected_at",
    "reporter_name",
    "reporter_email",
    "reporter_phone",
)


def partner_request_page(
    jurisdiction_id: int, where: PartnerFilter, *, after: tuple[datetime, int] | None, limit: int
) -> list[dict[str, Any]]:
    """Public requests newest first, those strictly after the cursor (requested_at, id): one query.

    Keyset paging: a request submitted while a partner pages is newer than its cursor, so it shifts
    nothing; the next page starts where the last one ended, whatever was inserted meanwhile.
    """
    rows = public_requests().filter(jurisdiction_id=jurisdiction_id)
    if where.service_ids:
        rows = rows.filter(service_id__in=list(where.service_ids))
    if where.statuses:
        rows = rows.filter(status__in=list(where.statuses))
    if where.requested_after is not None:
        rows = rows.filter(requested_at__gte=where.requested_after)
    if where.requested_before is not None:
        rows = rows.filter(requested_at__lt=where.requested_before)
    if where.updated_after is not None:
        rows = rows.filter(updated_at__gte=where.updated_after)
    if after is not None:
        moment, pk = after
        # "(requested_at, id) before the cursor", with requested_at <= moment said on its own: then both
        # databases read the index on requested_at from the cursor on (a plain OR scans it from the top).
        rows = rows.filter(requested_at__lte=moment).filter(Q(requested_at__lt=moment) | Q(id__lt=pk))
    page = [dict(row) for row in rows.order_by("-requested_at", "-id").values(*PARTNER_FIELDS)[:limit]]
    for row in page:
        public_row_text(row)
    return page


def partner_request(service_request: ServiceRequest) -> dict[str, Any]:
    """One request (handed out by access.request_for_partner_to_read) as partner_request_page reads it."""
    row = dict(ServiceRequest.objects.filter(pk=service_request.pk).values(*PARTNER_FIELDS).get())
    public_row_text(row)
    return row


@dataclass(frozen=True)
class PartnerEvent:
    """A public event of a public request, with the request as partner_request reads it, and where it is
    (its jurisdiction, category and zone) for the partners' webhook filters."""

    event: dict[str, Any]
    request: dict[str, Any]
    jurisdiction_id: int
    service_id: int
    zone_id: int | None


def partner_events(event_ids: Sequence[int]) -> list[PartnerEvent]:
    """These events as a partner may read them, oldest first: no internal notes, no private categories,
    free text scrubbed, reporters' contacts dropped. Two queries."""
    events = (
        RequestEvent.objects.filter(pk__in=list(event_ids), request__service__is_private=False)
        .exclude(kind=RequestEvent.Kind.NOTE)
        .order_by("created_at", "id")
        .values(
            "id", "request_id", "created_at", "kind", "action", "from_status", "to_status", "public_note",
            *REPORTER_OF_EVENT,
        )
    )  # fmt: skip
    event_rows = [public_event_row(dict(row)) for row in events]
    found = ServiceRequest.objects.filter(pk__in={row["request_id"] for row in event_rows})
    requests: dict[int, dict[str, Any]] = {}
    for values in found.values(*PARTNER_FIELDS, "jurisdiction_id", "zone_id"):
        row = dict(values)
        public_row_text(row)
        requests[row["id"]] = row
    return [
        PartnerEvent(
            event=row,
            request=requests[row["request_id"]],
            jurisdiction_id=requests[row["request_id"]]["jurisdiction_id"],
            service_id=requests[row["request_id"]]["service_id"],
            zone_id=requests[row["request_id"]]["zone_id"],
        )
        for row in event_rows
    ]
