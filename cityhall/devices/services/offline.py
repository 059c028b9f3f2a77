"""Silent devices: each raises its own "device offline" request once it has sent nothing for its limit."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from cityhall.core import clock

from ..models import Device
from .alarms import raise_offline


def devices_offline_sweep() -> int:
    """Open an offline request for each silent device that has none open; returns how many were opened."""
    now = clock.now()
    opened = 0
    candidates = Device.objects.filter(credential_hash__isnull=False, credential_revoked_at=None).only(
        "pk", "last_seen_at", "created_at", "offline_after_minutes"
    )
    for candidate in candidates.iterator():
        since = candidate.last_seen_at or candidate.created_at
        if now - since < timedelta(minutes=candidate.offline_after_minutes):
            continue
        with transaction.atomic():
            device = (
                Device.objects.select_for_update(of=("self",))
                .select_related("service__jurisdiction")
                .get(pk=candidate.pk)
            )
            seen = device.last_seen_at or device.created_at
            if now - seen >= timedelta(minutes=device.offline_after_minutes):
                opened += raise_offline(device, now)
    return opened
