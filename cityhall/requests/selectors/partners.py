"""Reads for the partners' JSON API and webhooks (cityhall.api, cityhall.partners): public requests a
page at a time by cursor, one request, and public events, each scrubbed as a partner may read it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from ..models import RequestEvent, ServiceRequest
from ..public_text import REPORTER_OF_EVENT, public_event_row, public_row_text
from .scopes import public_requests


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
