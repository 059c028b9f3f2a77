"""Storing one message in the outbox under its idempotency key: a second run finds the first run's row."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from cityhall.core import clock
from cityhall.requests.models import RequestEvent

from ..channels.push import configured_vapid
from ..channels.sms import configured_provider
from ..models import Channel, Message, MessageStatus, Unsubscribe
from ..preferences import Routed, route
from ..recipients import Recipient

SMS_OFF = "SMS is not configured (CITYHALL_SMS_URL, _ACCOUNT, _TOKEN, _FROM)."
UNSUBSCRIBED = "The recipient unsubscribed from this channel."
PUSH_OFF = "Web push is not configured (CITYHALL_VAPID_PUBLIC_KEY, _PRIVATE_KEY, _SUBJECT)."
DEVICE_GONE = "The device is no longer subscribed to web push."


def idempotency_key(scope: str, template: str, recipient: Recipient) -> str:
    """What makes a message unique, hashed: fixed length, and the address is not spelled out in an index."""
    parts = (scope, template, recipient.channel.value, recipient.address)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def message_store(
    *,
    scope: str,
    template: str,
    recipient: Recipient,
    event: RequestEvent | None = None,
    request_id: int | None = None,
    data: dict[str, Any] | None = None,
    delivery: str | None = None,
    key_template: str = "",
) -> list[Message]:
    """Store one message (or one per push device) under its idempotency key; an existing row is returned.

    The key is taken from the recipient as the rules found them, before their preferences route it.
    """
    base_key = idempotency_key(scope, key_template or template, recipient)
    routed = route(recipient, template, delivery=delivery)
    stored = []
    for index, target in enumerate(routed):
        key = base_key
        if index > 0:  # one row per push device; the first keeps the base key, which "once" checks look for
            key = hashlib.sha256(f"{base_key}\x1f{target.recipient.address}".encode()).hexdigest()
        status, reason = _initial_status(target)
        with transaction.atomic():
            message, _created = Message.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "channel": target.recipient.channel,
                    "recipient_kind": target.recipient.kind,
                    "address": target.recipient.address,
                    "language": target.recipient.language,
                    "template": template,
                    "request_id": event.request_id if event is not None else request_id,
                    "event": event,
                    "status": status,
                    "last_error": reason,
                    "data": data or {},
                    "created_at": clock.now(),
                },
            )
        stored.append(message)
    return stored


def _initial_status(target: Routed) -> tuple[MessageStatus, str]:
    recipient = target.recipient
    if Unsubscribe.objects.filter(channel=recipient.channel, address=recipient.address).exists():
        return MessageStatus.SKIPPED, UNSUBSCRIBED
    if target.status == MessageStatus.SKIPPED:
        return target.status, target.reason
    if recipient.channel == Channel.SMS and configured_provider() is None:
        return MessageStatus.SKIPPED, SMS_OFF
    if recipient.channel == Channel.PUSH and configured_vapid() is None:
        return MessageStatus.SKIPPED, PUSH_OFF
    return target.status, ""
