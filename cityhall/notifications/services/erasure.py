"""Forgetting a person's addresses in the outbox and follows: for an erased account, and for requests
whose retention period has passed.

The outbox keeps each message's address so the sender can reach it; once the person is erased, the
row stays (the city sent something, on this request) but says nothing about whom it went to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db.models import Q

from ..models import Follow, Message, MessageStatus, Unsubscribe
from ..recipients import outbox_addresses

ERASED_ERROR = "Details erased."


def addresses_forget(*, emails: Iterable[str] = (), phones: Iterable[str] = (), request_ids: Iterable[int] = ()) -> int:
    """Blank the address of messages to these emails and phones (or about these requests); drop their
    unsubscribes and the follows made by email alone (with these addresses, or on these requests).

    A message still waiting is skipped rather than sent without an address. The idempotency key (a
    hash that includes the address) is replaced by one that cannot be traced back. Returns how many
    messages were changed.
    """
    addresses = [address for address in outbox_addresses(emails=emails, phones=phones) if address]
    request_ids = list(request_ids)
    rows = Message.objects.filter(Q(address__in=addresses) | Q(request_id__in=request_ids)).exclude(address="")
    changed = 0
    for message in rows.only("pk", "status"):
        forgotten = {
            "address": "",
            "last_error": ERASED_ERROR,
            "idempotency_key": hashlib.sha256(f"erased:{message.pk}".encode()).hexdigest(),
        }
        if message.status in (MessageStatus.PENDING, MessageStatus.SENDING):
            forgotten["status"] = MessageStatus.SKIPPED
        changed += Message.objects.filter(pk=message.pk).update(**forgotten)
    Unsubscribe.objects.filter(address__in=addresses).delete()
    # A signed-in follower's follow goes with their account; one made by email alone is only its address.
    Follow.objects.filter(Q(email__in=addresses) | Q(request_id__in=request_ids), user__isnull=True).delete()
    return changed
