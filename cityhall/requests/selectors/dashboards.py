"""Reads for cityhall.dashboards: a row of facts per request for its rollups, which requests changed,
the oldest open requests, the workload, residents' comments and the backlog at a past moment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TypeVar

from django.db.models import Case, Count, Exists, F, Max, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate

from cityhall.accounts.selectors import people_with_ids
from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.i18n import all_languages

from ..models import Feedback, RequestEvent, ServiceRequest
from ..workflow import DONE, OPEN, Action, Resolution, Role, Status

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


def request_ids_of_events(event_ids: Sequence[int]) -> list[int]:
    """The requests these events belong to, each once, in id order."""
    ids = RequestEvent.objects.filter(pk__in=list(event_ids)).values_list("request_id", flat=True)
    return sorted(set(ids))
