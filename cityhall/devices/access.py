"""The door to a device: its credential, presented over HTTP (a bearer token) or checked by the MQTT broker."""

from __future__ import annotations

from enum import StrEnum

from .models import Device, hash_credential

MAX_CREDENTIAL = 200


class CredentialRefusal(StrEnum):
    MISSING = "missing"
    INVALID = "invalid"
    REVOKED = "revoked"


class CredentialRefused(Exception):
    def __init__(self, refusal: CredentialRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def device_for_credential(credential: str | None) -> Device:
    """The device holding this credential; raises CredentialRefused when there is none or it was revoked."""
    raw = (credential or "").strip()
    if not raw:
        raise CredentialRefused(CredentialRefusal.MISSING)
    if len(raw) > MAX_CREDENTIAL:
        raise CredentialRefused(CredentialRefusal.INVALID)
    device = Device.objects.filter(credential_hash=hash_credential(raw)).first()
    if device is None:
        raise CredentialRefused(CredentialRefusal.INVALID)
    if device.credential_revoked_at is not None:
        raise CredentialRefused(CredentialRefusal.REVOKED)
    return device


def device_for_topic(device_id: str) -> Device | None:
    """The device an MQTT topic names, when its credential stands (the broker has checked it; see docs/devices.md)."""
    return Device.objects.filter(device_id=device_id, credential_hash__isnull=False, credential_revoked_at=None).first()
