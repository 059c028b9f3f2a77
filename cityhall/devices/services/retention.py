"""Measurements are kept for CITYHALL_DEVICE_RETENTION_DAYS, then swept by the periodic task."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from cityhall.core import clock

from ..models import Measurement

BATCH = 5000


def measurements_sweep() -> int:
    """Delete measurements older than the retention period, a batch at a time; returns how many went."""
    before = clock.now() - timedelta(days=settings.CITYHALL_DEVICE_RETENTION_DAYS)
    removed = 0
    while True:
        batch = list(Measurement.objects.filter(at__lt=before).values_list("pk", flat=True)[:BATCH])
        if not batch:
            return removed
        removed += Measurement.objects.filter(pk__in=batch).delete()[0]
