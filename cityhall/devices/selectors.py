"""What other apps read about devices: the readings behind a request a device raised; devices and readings for
partners (the JSON API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from cityhall.requests.models import Channel, ServiceRequest

from .chart import ReadingsChart
from .kinds import MEASURES, Kind, measure_of
from .models import Device, Measurement, Rule

# What the staff's chart shows: the readings around the request, at most this many.
CHART_SPAN = timedelta(hours=6)
CHART_POINTS = 500


@dataclass(frozen=True)
class DeviceReadings:
    device_id: str
    kind_label: str
    chart: ReadingsChart
    lowest: float
    highest: float
    latest: float


def readings_for_request(service_request: ServiceRequest) -> DeviceReadings | None:
    """The raising device's readings up to the request's last change (six hours at most); None for others."""
    if service_request.channel != Channel.DEVICE or not service_request.device_id:
        return None
    device = Device.objects.filter(device_id=service_request.device_id).first()
    if device is None:
        return None
    measure = MEASURES[Kind(device.kind)][0]
    end = max(service_request.updated_at, device.last_reading_at or service_request.updated_at)
    rows = list(
        Measurement.objects.filter(device=device, name=measure.name, at__gt=end - CHART_SPAN, at__lte=end)
        .order_by("-at")
        .values_list("at", "value")[:CHART_POINTS]
    )
    if not rows:
        return None
    points = rows[::-1]
    rule = Rule.objects.filter(kind=device.kind, measure=measure.name, active=True).order_by("pk").first()
    values = [value for _at, value in points]
    chart = ReadingsChart(
        title=f"{device.device_id}: {measure.label} ({measure.unit})",
        unit=measure.unit,
        points=points,
        threshold=rule.threshold if rule else None,
        low=measure.low,
        high=measure.high,
    )
    return DeviceReadings(
        device_id=device.device_id,
        kind_label=str(Kind(device.kind).label),
        chart=chart,
        lowest=min(values),
        highest=max(values),
        latest=values[-1],
    )


# ---------------------------------------------------------------- partners (the JSON API, scope devices)

# What a partner sees of a device: never its credential, hash or hint, nor the rate limit's counters.
PARTNER_DEVICE_FIELDS = (
    "id",
    "device_id",
    "kind",
    "lat",
    "lng",
    "department__slug",
    "service__code",
    "last_seen_at",
    "credential_hash",
    "credential_revoked_at",
    "created_at",
)


def _partner_device_row(row: dict[str, Any]) -> dict[str, Any]:
    # Whether a credential stands is read from the hash; the hash itself goes no further.
    has_credential = row.pop("credential_hash") is not None
    row["active"] = has_credential and row["credential_revoked_at"] is None
    return row


def _partner_devices(jurisdiction_id: int) -> QuerySet[Device]:
    return Device.objects.filter(department__jurisdiction_id=jurisdiction_id)


def partner_device_page(
    jurisdiction_id: int, *, after: tuple[datetime, int] | None, limit: int
) -> list[dict[str, Any]]:
    """The city's devices newest registered first, those strictly after the cursor (created_at, id): one query."""
    rows = _partner_devices(jurisdiction_id)
    if after is not None:
        moment, pk = after
        rows = rows.filter(created_at__lte=moment).filter(Q(created_at__lt=moment) | Q(id__lt=pk))
    return [
        _partner_device_row(dict(row))
        for row in rows.order_by("-created_at", "-id").values(*PARTNER_DEVICE_FIELDS)[:limit]
    ]


def partner_device(jurisdiction_id: int, device_id: str) -> dict[str, Any] | None:
    """One of the city's devices by its device id, or None."""
    row = _partner_devices(jurisdiction_id).filter(device_id=device_id).values(*PARTNER_DEVICE_FIELDS).first()
    return _partner_device_row(dict(row)) if row else None


def partner_readings_page(
    device: dict[str, Any], *, since: datetime, until: datetime, after: tuple[datetime, int] | None, limit: int
) -> list[dict[str, Any]]:
    """A partner_device's readings in [since, until), newest first, strictly after the cursor (at, id): one query."""
    rows = Measurement.objects.filter(device_id=device["id"], at__gte=since, at__lt=until)
    if after is not None:
        moment, pk = after
        rows = rows.filter(at__lte=moment).filter(Q(at__lt=moment) | Q(id__lt=pk))
    page: list[dict[str, Any]] = [
        dict(row) for row in rows.order_by("-at", "-id").values("id", "name", "at", "value")[:limit]
    ]
    for row in page:
        measure = measure_of(device["kind"], str(row["name"]))
        # A reported position's records (lat, lon) carry their name as their SenML unit.
        row["unit"] = measure.unit if measure else row["name"]
    return page
