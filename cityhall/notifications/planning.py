"""From committed events to outbox rows: who hears what (rules.py), each message stored exactly once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import transaction

from cityhall.core import clock
from cityhall.requests.models import RequestEvent

from . import rules
from .channels.sms import configured_provider
from .models import Channel, Message, MessageStatus, RecipientKind, Unsubscribe
from .recipients import Recipient, audience_of

SMS_OFF = "SMS is not configured (CITYHALL_SMS_URL, _ACCOUNT, _TOKEN, _FROM)."
UNSUBSCRIBED = "The recipient unsubscribed from this channel."


def idempotency_key(scope: str, template: str, recipient: Recipient) -> str:
    """What makes a message unique, hashed: fixed length, and the address is not spelled out in an index."""
    parts = (scope, template, recipient.channel.value, recipient.address)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def plan_messages(event_ids: Iterable[int]) -> list[Message]:
    """Store the messages these events call for (once, however often this runs); return them in order."""
    events = (
        RequestEvent.objects.filter(pk__in=list(event_ids))
        .select_related("request__reporter", "request__service", "request__department", "request__jurisdiction")
        .order_by("created_at", "pk")
    )
    planned: list[Message] = []
    for event in events:
        rule = rules.rule_for(event)
        if rule is None or _told_by_the_receipt(event):
            continue
        for recipient in audience_of(event.request, rule.audience):
            if rule.not_to_reporter_acting and _acted_themselves(event, recipient):
                continue
            message = _store(event, rule, recipient)
            if message is not None:
                planned.append(message)
    return planned


def _store(event: RequestEvent, rule: rules.Rule, recipient: Recipient) -> Message | None:
    template, key = rule.template, idempotency_key(f"event:{event.pk}", rule.template, recipient)
    if rule.once_per_request:
        # Routed and assigned share one key per request, so whichever comes first is the only one sent.
        key = idempotency_key(f"request:{event.request_id}", rule.once_per_request, recipient)
        if Message.objects.filter(idempotency_key=key).exclude(event=event).exists():
            if not rules.is_staff_reply(event):
                return None
            # They already know who has it; a public note written with this step is still a reply.
            template, key = "reply", idempotency_key(f"event:{event.pk}", "reply", recipient)
    status, reason = _initial_status(recipient)
    with transaction.atomic():
        message, _created = Message.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "channel": recipient.channel,
                "recipient_kind": recipient.kind,
                "address": recipient.address,
                "language": recipient.language,
                "template": template,
                "request_id": event.request_id,
                "event": event,
                "status": status,
                "last_error": reason,
                "created_at": clock.now(),
            },
        )
    return message


def _initial_status(recipient: Recipient) -> tuple[MessageStatus, str]:
    if Unsubscribe.objects.filter(channel=recipient.channel, address=recipient.address).exists():
        return MessageStatus.SKIPPED, UNSUBSCRIBED
    if recipient.channel == Channel.SMS and configured_provider() is None:
        return MessageStatus.SKIPPED, SMS_OFF
    return MessageStatus.PENDING, ""


def _told_by_the_receipt(event: RequestEvent) -> bool:
    """Routing in the same moment as the submission: the receipt already names the department."""
    return event.action == "route" and event.created_at == event.request.requested_at


def _acted_themselves(event: RequestEvent, recipient: Recipient) -> bool:
    return recipient.kind == RecipientKind.REPORTER and event.actor_role in rules.REPORTER_ROLES
