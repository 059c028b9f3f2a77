"""Idempotent partner writes: a write retried with the same Idempotency-Key replays its first answer.

A partner that sees a timeout or a connection reset cannot know whether its write happened, so it
retries. With an `Idempotency-Key` header (or, on Open311 updates, FixMyStreet's `update_id`), the
retry gets the first answer again, byte for byte, and nothing is written twice. The same key for a
different write is refused (`KeyReused`). Keys belong to the partner's API key and are remembered for
KEPT_FOR. Open311 and the JSON API share this store; each interface prefixes its tokens and says what
a write asked for (its fingerprint) in its own terms.

Race-safe by the database, not by looking first: the claim row is inserted in the same transaction
as the write, under a unique constraint. A concurrent twin blocks on that row until the first
transaction ends (PostgreSQL's unique index; SQLite's IMMEDIATE transactions take turns), then
either finds the committed answer and replays it, or, if the first was refused and rolled back,
makes the write itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse

from cityhall.core import clock

from .models import ApiKey, IdempotentWrite

KEPT_FOR = timedelta(hours=24)
HEADER = "Idempotency-Key"
MAX_TOKEN = 255
# Sent on a replayed answer so a partner's logs can tell a replay from a first answer.
REPLAYED_HEADER = "Idempotent-Replayed"


class KeyReused(Exception):
    """This token already answered a different write."""


def header_problem(value: str) -> str:
    """What is wrong with an Idempotency-Key header's value ("" when nothing is)."""
    if len(value) > MAX_TOKEN or not value.isascii() or not value.isprintable():
        return f"{HEADER} must be at most {MAX_TOKEN} printable ASCII characters."
    return ""


def once(key: ApiKey, token: str, asked: str, write: Callable[[], HttpResponse]) -> HttpResponse:
    """Run `write` unless this key's token already has an answer; replay that answer instead.

    `asked` is the write's fingerprint; the same token with another raises KeyReused. Only answers
    that wrote something (2xx) are remembered: a refusal rolls back the claim with everything else,
    so a corrected retry with the same token is welcome.
    """
    if not token:
        return write()
    now = clock.now()
    with transaction.atomic():
        # An expired token is forgotten before it is claimed again (the sweep may not have run yet).
        IdempotentWrite.objects.filter(key=key, token=token, created_at__lte=now - KEPT_FOR).delete()
        try:
            with transaction.atomic():
                claim = IdempotentWrite.objects.create(
                    key=key, token=token, fingerprint=asked, status=0, content_type="", body=b"", created_at=now
                )
        except IntegrityError:
            return _replay(IdempotentWrite.objects.get(key=key, token=token), asked)
        response = write()
        if response.status_code >= 300:
            transaction.set_rollback(True)
            return response
        claim.status = response.status_code
        claim.content_type = response["Content-Type"]
        claim.body = response.content
        claim.save(update_fields=["status", "content_type", "body"])
    return response


def _replay(earlier: IdempotentWrite, asked: str) -> HttpResponse:
    if earlier.fingerprint != asked:
        raise KeyReused()
    response = HttpResponse(bytes(earlier.body), status=earlier.status, content_type=earlier.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def sweep() -> int:
    """Forget tokens older than KEPT_FOR; run by the periodic housekeeping. Returns how many."""
    deleted, _ = IdempotentWrite.objects.filter(created_at__lte=clock.now() - KEPT_FOR).delete()
    return deleted
