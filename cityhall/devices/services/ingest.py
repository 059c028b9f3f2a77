"""One path for every message a device sends, over HTTP or MQTT: limit, check, store, then the rules."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q

from cityhall.core import clock

from .. import senml
from ..models import Device, Measurement, Rejection
from ..senml import Reading, Reason, Rejected
from .alarms import evaluate


def device_ingest(*, device: Device, body: bytes) -> list[Reading]:
    """Store the readings of one SenML pack from this device; raises Rejected (counted) and stores nothing then.

    The device's row is locked while the pack is checked and stored, so two messages from one device
    are taken one after the other: the replay check and the rules see every earlier reading.
    """
    now = clock.now()
    try:
        if not _within_limit(device, now):
            raise Rejected(Reason.RATE_LIMITED, f"At most {device.rate_limit_per_minute} messages a minute.")
        with transaction.atomic():
            locked = (
                Device.objects.select_for_update(of=("self",)).select_related("service__jurisdiction").get(pk=device.pk)
            )
            readings = senml.parse(
                body, device_id=locked.device_id, kind=locked.kind, now=now, last_at=locked.last_reading_at
            )
            _store(locked, readings, now)
            evaluate(locked, readings)
    except Rejected as rejected:
        _count(device, rejected, now)
        raise
    return readings


def _store(device: Device, readings: list[Reading], now: datetime) -> None:
    position = {reading.name: reading.value for reading in readings if reading.name in senml.POSITION}
    values = [reading for reading in readings if reading.name not in senml.POSITION]
    Measurement.objects.bulk_create(
        [Measurement(device=device, name=reading.name, at=reading.at, value=reading.value) for reading in values]
    )
    device.last_reading_at = max(reading.at for reading in readings)
    device.last_seen_at = now
    fields = ["last_reading_at", "last_seen_at"]
    if device.location_reported and "lat" in position and "lon" in position:
        device.lat, device.lng = position["lat"], position["lon"]
        fields += ["lat", "lng"]
    device.save(update_fields=fields)


def _within_limit(device: Device, now: datetime) -> bool:
    """Count one message in this minute unless the device's limit is reached; atomic across processes."""
    minute = now.replace(second=0, microsecond=0)
    this_minute = Device.objects.filter(pk=device.pk, window_start=minute, window_count__lt=F("rate_limit_per_minute"))
    if this_minute.update(window_count=F("window_count") + 1):
        return True
    opened = Device.objects.filter(Q(window_start__isnull=True) | Q(window_start__lt=minute), pk=device.pk)
    if opened.update(window_start=minute, window_count=1):
        return True
    # Another process opened this minute between the two statements: count against it.
    return bool(this_minute.update(window_count=F("window_count") + 1))


def _count(device: Device, rejected: Rejected, now: datetime) -> None:
    Rejection.objects.bulk_create([Rejection(device=device, reason=rejected.reason)], ignore_conflicts=True)
    Rejection.objects.filter(device=device, reason=rejected.reason).update(
        count=F("count") + 1, last_at=now, last_detail=rejected.detail[:300]
    )
