"""The city's devices and their readings (scope devices), read-only: cursor pages, one device, its readings.

Rows come from cityhall.devices.selectors, which never hand out a device's credential, its hash or hint.
Readings are newest first, in a window [since, until) of at most READINGS_WINDOW.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Path, Query

from cityhall.core import clock
from cityhall.core.problem_details import Problem
from cityhall.devices import selectors
from cityhall.requests import access

from .. import cursors
from ..auth import caller_of
from ..schemas import REFUSALS, DeviceOut, DevicePage, Moment, ReadingPage

router = Router(tags=["devices"])

DEFAULT_PAGE, MAX_PAGE = 50, 200
DEFAULT_READINGS, MAX_READINGS = 200, 1000
# The widest window one call may ask for, and the one it gets without `since`.
READINGS_WINDOW, DEFAULT_WINDOW = timedelta(days=31), timedelta(days=1)
DeviceId = Annotated[str, Path(..., pattern=r"^[a-z0-9][a-z0-9-]{0,63}$", description="The device's id.")]


@router.get("", response={200: DevicePage, **REFUSALS}, summary="List the city's devices, newest first (scope devices)")
def list_devices(
    request: HttpRequest,
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Devices per page."),
    cursor: str | None = Query(None, max_length=cursors.MAX_CURSOR, description="next_cursor of the page before."),
) -> dict[str, Any]:
    caller = caller_of(request)
    access.partner_may_read_devices(caller.partner)
    after = cursors.after(cursor)
    # One more than a page tells whether there is a next one without a count.
    rows = selectors.partner_device_page(caller.jurisdiction.pk, after=after, limit=limit + 1)
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": [_device_body(row) for row in page],
        "next_cursor": cursors.encode(last["created_at"], last["id"]) if more and last else None,
    }


@router.get("/{device_id}", response={200: DeviceOut, **REFUSALS}, summary="One device (scope devices)")
def get_device(request: HttpRequest, device_id: DeviceId) -> dict[str, Any]:
    return _device_body(_device(request, device_id))


@router.get(
    "/{device_id}/readings",
    response={200: ReadingPage, **REFUSALS},
    summary="A device's readings in a window, newest first (scope devices)",
)
def list_readings(
    request: HttpRequest,
    device_id: DeviceId,
    since: Moment | None = Query(None, description="From this moment on (default: a day before `until`)."),
    until: Moment | None = Query(None, description="Before this moment (default: now); at most 31 days after `since`."),
    limit: int = Query(DEFAULT_READINGS, ge=1, le=MAX_READINGS, description="Readings per page."),
    cursor: str | None = Query(None, max_length=cursors.MAX_CURSOR, description="next_cursor of the page before."),
) -> dict[str, Any]:
    device = _device(request, device_id)
    end = until or clock.now()
    start = since or end - DEFAULT_WINDOW
    if start >= end:
        raise Problem(422, "The window is empty.", code="invalid", errors=[_error("since", "Must be before until.")])
    if end - start > READINGS_WINDOW:
        message = f"The window may span {READINGS_WINDOW.days} days at most."
        raise Problem(422, message, code="invalid", errors=[_error("until", message)])
    after = cursors.after(cursor)
    rows = selectors.partner_readings_page(device, since=start, until=end, after=after, limit=limit + 1)
    page, more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    return {
        "items": [
            {"at": row["at"], "measure": row["name"], "value": row["value"], "unit": row["unit"]} for row in page
        ],
        "next_cursor": cursors.encode(last["at"], last["id"]) if more and last else None,
    }


def _device(request: HttpRequest, device_id: str) -> dict[str, Any]:
    caller = caller_of(request)
    access.partner_may_read_devices(caller.partner)
    row = selectors.partner_device(caller.jurisdiction.pk, device_id)
    if row is None:
        raise Problem(404, f"There is no device “{device_id}” in this city.", code="not-found")
    return row


def _device_body(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["device_id"],
        "kind": row["kind"],
        "lat": row["lat"],
        "lon": row["lng"],
        "department": row["department__slug"],
        "service_code": row["service__code"],
        "last_seen_at": row["last_seen_at"],
        "active": row["active"],
        "revoked_at": row["credential_revoked_at"],
    }


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}
