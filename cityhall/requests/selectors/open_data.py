"""Reads for cityhall.opendata: the rows of its public projection, and the city's internal export
(every request and event, private ones included)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from ..models import RequestEvent, ServiceRequest

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
