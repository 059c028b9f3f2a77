"""What of a request the public may have: the one rule behind every dataset, format and API.

`public_request` and `public_update` return a request's (or timeline event's) public row, or None
when nothing of it is public. They never return the reporter's name, email, phone or account, the
device or Open311 account ids, the tracking token, internal notes, answers, photos, or anything of a
private service. Published free text (description, status notes, place, replies) loses every email
address and phone number and the reporter's own contacts (`cityhall.requests.public_text`, the same
rule the site's public pages use). Services the catalogue marks *sensitive* are published with no
description or place text, and their point moved to the center of a square cell of
`CITYHALL_OPENDATA_SENSITIVE_CELL_METERS` (150 m by default).

The projection (`services/projection.py`) stores exactly these rows; `rebuild` feeds the same
functions from plain `values()` rows (`REQUEST_FIELDS`, `UPDATE_FIELDS`) so the rule runs once per
row without building model instances.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from cityhall.requests.models import RequestEvent, ServiceRequest
from cityhall.requests.public_text import public_text_rule
from cityhall.requests.services.privacy import contacts_of
from cityhall.requests.workflow import STATUSES, Status

METERS_PER_DEGREE = 111_320  # of latitude, and of longitude at the equator
COORDINATE_DECIMALS = 6  # ~0.1 m: more would only repeat floating-point noise

# What the rule reads from a request, as `values()` paths. The reporter's fields are read only to
# scrub them out of published text.
REQUEST_FIELDS = (
    "id", "public_id", "service__code", "service__name_en", "service__name_es", "service__is_private",
    "service__sensitive", "service__group__name_en", "department__name_en", "status", "resolution",
    "status_note", "requested_at", "updated_at", "expected_at", "resolved_at", "closed_at", "address",
    "location_description", "zone__name", "lat", "lng", "description", "channel", "support_count",
    "jurisdiction__timezone", "reporter_name", "reporter_email", "reporter_phone", "reporter__name",
    "reporter__email", "reporter__phone",
)  # fmt: skip

# What the rule reads from a timeline event (and its request, to know whether and how it is public).
UPDATE_FIELDS = (
    "id", "request_id", "kind", "action", "to_status", "public_note", "created_at", "request__public_id",
    "request__service__code", "request__service__is_private", "request__service__sensitive",
    "request__reporter_name", "request__reporter_email", "request__reporter_phone", "request__reporter__name",
    "request__reporter__email", "request__reporter__phone",
)  # fmt: skip


def public_request(service_request: ServiceRequest) -> dict[str, Any] | None:
    """The request's public row (the projection's columns), or None for a private service."""
    return public_request_row(_values_of(service_request, REQUEST_FIELDS))


def public_update(event: RequestEvent) -> dict[str, Any] | None:
    """The event's public row, or None for an internal note or an event of a private service."""
    return public_update_row(_values_of(event, UPDATE_FIELDS))


def public_request_row(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """`public_request` for a `values(*REQUEST_FIELDS)` row."""
    if row["service__is_private"]:
        return None
    sensitive = bool(row["service__sensitive"])
    shown = public_text_rule(_contacts(row, ""))
    status = Status(row["status"])
    closed_at = (row["resolved_at"] or row["closed_at"]) if STATUSES[status].open311 == "closed" else None
    requested_at: datetime = row["requested_at"]
    expected_at = row["expected_at"]
    lat, lng = row["lat"], row["lng"]
    if sensitive and lat is not None and lng is not None:
        lat, lng = generalized(lat, lng)
    return {
        "request_id": row["id"],
        "service_request_id": row["public_id"],
        "service_code": row["service__code"],
        "service_name": row["service__name_en"] or "",
        "service_name_es": row["service__name_es"] or "",
        "category_group": row["service__group__name_en"] or "",
        "department": row["department__name_en"] or "",
        "status": STATUSES[status].open311,
        "status_detail": status.value,
        "resolution": row["resolution"],
        "status_notes": "" if sensitive else shown(row["status_note"]),
        "requested_datetime": requested_at,
        "updated_datetime": row["updated_at"],
        "expected_datetime": expected_at,
        "closed_datetime": closed_at,
        "address": "" if sensitive else shown(row["address"] or row["location_description"]),
        "neighborhood": row["zone__name"] or "",
        "latitude": lat,
        "longitude": lng,
        "location_generalized": sensitive and lat is not None,
        "description": "" if sensitive else shown(row["description"]),
        "channel": row["channel"],
        "support_count": row["support_count"],
        "requested_date": requested_at.astimezone(ZoneInfo(row["jurisdiction__timezone"])).date(),
        "hours_to_close": round((closed_at - requested_at).total_seconds() / 3600, 2) if closed_at else None,
        "sla_met": (closed_at <= expected_at) if closed_at and expected_at else None,
    }


def public_update_row(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """`public_update` for a `values(*UPDATE_FIELDS)` row."""
    if row["kind"] == RequestEvent.Kind.NOTE or row["request__service__is_private"]:
        return None
    to_status = Status(row["to_status"]) if row["to_status"] else None
    note = (
        "" if row["request__service__sensitive"] else public_text_rule(_contacts(row, "request__"))(row["public_note"])
    )
    return {
        "event_id": row["id"],
        "request_id": row["request_id"],
        "service_request_id": row["request__public_id"],
        "service_code": row["request__service__code"],
        "updated_datetime": row["created_at"],
        "update_type": row["kind"],
        "action": row["action"],
        "status": STATUSES[to_status].open311 if to_status else "",
        "status_detail": to_status.value if to_status else "",
        "description": note,
    }


def generalized(lat: float, lng: float) -> tuple[float, float]:
    """The center of the square cell (of the configured side, in meters) that holds this point."""
    side = float(settings.CITYHALL_OPENDATA_SENSITIVE_CELL_METERS)
    lat_step = side / METERS_PER_DEGREE
    cell_lat = (math.floor(lat / lat_step) + 0.5) * lat_step
    lng_step = side / (METERS_PER_DEGREE * max(math.cos(math.radians(cell_lat)), 0.01))
    cell_lng = (math.floor(lng / lng_step) + 0.5) * lng_step
    return round(cell_lat, COORDINATE_DECIMALS), round(cell_lng, COORDINATE_DECIMALS)


def _contacts(row: Mapping[str, Any], prefix: str) -> set[str]:
    typed = tuple(row[f"{prefix}reporter_{field}"] for field in ("name", "email", "phone"))
    account = tuple(row[f"{prefix}reporter__{field}"] for field in ("name", "email", "phone"))
    if not any(typed) and not any(account):  # most rows (imported history): nothing to look for
        return set()
    return contacts_of([typed, account])


def _values_of(instance: object, paths: tuple[str, ...]) -> dict[str, Any]:
    """An instance read like `values(*paths)`: relations followed, a missing one giving None."""
    found: dict[str, Any] = {}
    for path in paths:
        value: Any = instance
        for step in path.split("__"):
            value = None if value is None else getattr(value, step)
        found[path] = value
    return found
