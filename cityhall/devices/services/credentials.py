"""Issuing and revoking a device's own credential (only its hash is stored)."""

from __future__ import annotations

from cityhall.core import clock

from ..models import Device


def device_credential_issue(*, device: Device) -> str:
    """A new credential for the device, to show once; the one it had stops working at once."""
    credential = device.issue_credential()
    Device.objects.filter(pk=device.pk).update(
        credential_hash=device.credential_hash, credential_hint=device.credential_hint, credential_revoked_at=None
    )
    return credential


def device_credential_revoke(*, device: Device) -> None:
    """Refuse the device's messages from now on (revoking twice keeps the first date)."""
    Device.objects.filter(pk=device.pk, credential_revoked_at__isnull=True).update(credential_revoked_at=clock.now())
    device.refresh_from_db(fields=["credential_revoked_at"])
