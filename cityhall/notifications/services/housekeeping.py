"""Upkeep of the outbox: messages left "sending" by a worker that died mid-send are marked failed."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..models import Message, MessageStatus

STUCK_AFTER = timedelta(hours=1)
STUCK = (
    "Stuck in sending for over an hour: the worker stopped while talking to the provider, so the "
    "message may or may not have gone out. Not retried (it must never go twice)."
)


def stuck_messages_fail(now: datetime) -> int:
    """Mark rows claimed more than an hour ago and never finished as failed, so the admin shows them."""
    return Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=MessageStatus.FAILED, last_error=STUCK
    )
