"""Requests, services and updates in Open311's field names. Reporter details are never read here."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cityhall.catalogue.models import Service
from cityhall.requests.workflow import STATUSES, Resolution, Status, fms_status, resolution_name, status_name

Url = Callable[[str], str]
STATUS_BY_VALUE = {status.value: status for status in Status}
OPEN311_STATUS = {status.value: STATUSES[status].open311 for status in Status}


# Formatting a moment in the city's zone costs more than the rest of a row, and clients poll the
# same first pages over and over: formatted moments are remembered (bounded) per process.
_formatted: dict[tuple[str, int], str] = {}
MAX_REMEMBERED = 50_000


def w3c(moment: datetime | int | None, zone: ZoneInfo) -> str | None:
    """W3C datetime with the city's offset, e.g. 2026-11-21T09:48:00-08:00.

    `moment` is a datetime or whole seconds since 1970, as the public list and updates read them: making
    a datetime of those only to take its seconds again cost a list as much as the rest of its moments.
    """
    if moment is None:
        return None
    key = (zone.key, moment if type(moment) is int else int(moment.timestamp()))  # type: ignore[union-attr]
    text = _formatted.get(key)
    if text is None:
        if len(_formatted) >= MAX_REMEMBERED:
            _formatted.clear()
        text = _formatted[key] = datetime.fromtimestamp(key[1], zone).isoformat()
    return text


def service(item: Service) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.description or None,
        "metadata": bool(getattr(item, "attribute_count", 0)),
        "type": item.type,
        "keywords": item.keywords or None,
        "group": item.group.name if item.group else None,
    }


def definition(item: Service) -> dict[str, Any]:
    attributes = []
    for order, attribute in enumerate(item.attributes.all(), start=1):
        attributes.append(
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description or None,
                "order": order,
                "description": attribute.description,
                "values": [{"key": v.key, "name": v.name} for v in attribute.values.all()] if attribute.is_list else [],
            }
        )
    return {"service_code": item.code, "attributes": attributes}


def request(
    row: dict[str, Any],
    zone: ZoneInfo,
    url: Url,
    photos: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One request; with `events` and `photos` (extensions=true), also its notes and extended attributes."""
    media_url = url(row["report_photo"]) if row["report_photo"] else (row["media_url"] or None)
    body = {
        "service_request_id": row["public_id"],
        "status": OPEN311_STATUS[row["status"]],
        "status_notes": row["status_note"] or None,
        "service_name": row["service__name"],
        "service_code": row["service__code"],
        "description": row["description"] or None,
        "agency_responsible": row["department__name"],
        "service_notice": None,
        "requested_datetime": w3c(row["requested_at"], zone),
        "updated_datetime": w3c(row["updated_at"], zone),
        "expected_datetime": w3c(row["expected_at"], zone),
        "address": row["address"] or row["location_description"] or None,
        "address_id": row["address_id"] or None,
        "zipcode": row["zipcode"] or None,
        "lat": row["lat"],
        "long": row["lng"],
        "media_url": media_url,
    }
    if events is not None:
        status = STATUS_BY_VALUE[row["status"]]
        resolution = Resolution(row["resolution"]) if row["resolution"] else None
        body["notes"] = [note(event, zone) for event in events]
        body["extended_attributes"] = {
            "channel": row["channel"],
            "zone": row["zone__name"],
            "status_extended": fms_status(status, resolution),
            "resolution": resolution_name(resolution) if resolution else None,
            "referred_to": row["referred_to"] or None,
            "referral_url": row["referral_url"] or None,
            "duplicate": resolution is Resolution.DUPLICATE,
            "parent_service_request_id": row["duplicate_of__public_id"],
            "supporters": row["support_count"],
            "expected_datetime": w3c(row["expected_at"], zone),
            "photos": [url(p["image"]) for p in photos or []],
        }
    return body


NOTE_TYPES = {"submitted": "opened", "imported": "opened", "supported": "activity", "merged": "activity"}


def note(event: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    to_status = event["to_status"]
    if event["action"] == "reopen":
        kind = "reopened"
    elif to_status in (Status.RESOLVED, Status.CLOSED):
        kind = "closed"
    else:
        kind = NOTE_TYPES.get(event["kind"], "activity")
    summary = status_name(Status(to_status)) if to_status else event["kind"].replace("_", " ").capitalize()
    return {
        "datetime": w3c(event["created_at"], zone),
        "type": kind,
        "summary": summary,
        "description": event["public_note"] or None,
    }


def update(event: dict[str, Any], zone: ZoneInfo, url: Url) -> dict[str, Any]:
    """A FixMyStreet request_update: the status the request had after this event (with its `photo`)."""
    photo = event["photo"]
    status = event["to_status"] or event["request__status"]
    fms, name = _update_words(status, event["request__resolution"])
    return {
        "update_id": str(event["id"]),
        "service_request_id": event["request__public_id"],
        "status": fms,
        "updated_datetime": w3c(event["created_at"], zone),
        "description": event["public_note"] or name,
        "media_url": url(photo) if photo else None,
        "external_status_code": status,
    }


@functools.cache
def _update_words(status_value: str, resolution_value: str) -> tuple[str, str]:
    """An update's FixMyStreet status and English status name, by the stored values: a few dozen pairs,
    worked out once per process instead of for every row of every feed."""
    status = Status(status_value)
    resolution = Resolution(resolution_value) if resolution_value else None
    if status not in (Status.RESOLVED, Status.CLOSED):
        resolution = None
    return fms_status(status, resolution), status_name(status)
