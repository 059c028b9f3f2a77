"""A signed-in person's choices applied to one message: which topics, which channel, now or in the digest."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cityhall.accounts.selectors import phone_of

from .channels.push import configured_vapid
from .models import Channel, Delivery, MessageStatus, RecipientKind
from .models.subscriptions import TOPIC_TEMPLATES
from .recipients import Recipient, normalise_phone
from .selectors import device_ids_of, preference_of

MUTED = "Turned off in the recipient's preferences."
# Whose messages follow the resident's preferences; staff notices are work and always go by email.
RESIDENT_KINDS = frozenset(
    {RecipientKind.REPORTER, RecipientKind.SUPPORTER, RecipientKind.FOLLOWER, RecipientKind.WATCHER}
)


@dataclass(frozen=True)
class Routed:
    """Where one message goes, and whether it waits for the daily digest (or is not sent at all)."""

    recipient: Recipient
    status: MessageStatus = MessageStatus.PENDING
    reason: str = ""


def route(recipient: Recipient, template: str, *, delivery: str | None = None) -> list[Routed]:
    """Apply the person's preferences; `delivery` overrides theirs (an area alert has its own)."""
    if recipient.user_id is None or recipient.kind not in RESIDENT_KINDS:
        return [Routed(recipient)]
    preference = preference_of(recipient.user_id)
    if TOPIC_TEMPLATES.get(template) in preference.muted:
        return [Routed(recipient, MessageStatus.SKIPPED, MUTED)]
    held = (delivery or preference.delivery) == Delivery.DAILY
    status = MessageStatus.HELD if held else MessageStatus.PENDING
    targets = _channel_targets(recipient, recipient.user_id, preference.channel)
    return [Routed(target, status) for target in targets]


def _channel_targets(recipient: Recipient, user_id: int, channel: str) -> list[Recipient]:
    """The chosen channel when it can reach them; otherwise the address they came with."""
    if channel == Channel.SMS:
        phone = normalise_phone(phone_of(user_id))
        if phone:
            return [replace(recipient, channel=Channel.SMS, address=phone)]
    if channel == Channel.PUSH and configured_vapid() is not None:
        devices = device_ids_of(user_id)
        if devices:
            return [replace(recipient, channel=Channel.PUSH, address=push_address(pk)) for pk in devices]
    return [recipient]


def push_address(subscription_id: int) -> str:
    """A push message's address names the device's subscription row (endpoints are long and secret)."""
    return f"push:{subscription_id}"


def subscription_id_of(address: str) -> int:
    """The device row a push address names (0, which no row has, for anything else)."""
    prefix, _, number = address.partition(":")
    return int(number) if prefix == "push" and number.isdigit() else 0
