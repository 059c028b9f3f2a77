"""What other apps read about devices: the readings behind a request a device raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from cityhall.requests.models import Channel, ServiceRequest

from .chart import ReadingsChart
from .kinds import MEASURES, Kind
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
