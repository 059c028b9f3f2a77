"""Idempotent Open311 writes: a POST retried with the same Idempotency-Key replays its first answer.

A partner that sees a timeout or a connection reset cannot know whether its request was written, so
it retries. With an `Idempotency-Key` header (or, on updates, FixMyStreet's `update_id`), the retry
gets the first answer again, byte for byte, and nothing is written twice. The same key with a
different form is refused with 422. Keys are scoped to the API key and remembered for KEPT_FOR.

Race-safe by the database, not by looking first: the claim row is inserted in the same transaction
as the write, under a unique constraint. A concurrent twin blocks on that row until the first
transaction ends (PostgreSQL's unique index; SQLite's IMMEDIATE transactions take turns), then
either finds the committed answer and replays it, or, if the first was refused and rolled back,
makes the write itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from cityhall.core import clock

from .errors import Open311Error
from .models import ApiKey, IdempotentWrite

KEPT_FOR = timedelta(hours=24)
HEADER = "Idempotency-Key"
MAX_TOKEN = 255
HEADER_PREFIX, UPDATE_ID_PREFIX = "key:", "update_id:"
# Sent on a replayed answer so a partner's logs can tell a replay from a first answer.
REPLAYED_HEADER = "Idempotent-Replayed"


def token_of(request: HttpRequest, update_id: str = "") -> str:
    """The header's key; otherwise FixMyStreet's update_id. Prefixed so the two never collide."""
    header = request.headers.get(HEADER, "").strip()
    if header:
        if len(header) > MAX_TOKEN or not header.isascii() or not header.isprintable():
            raise Open311Error(400, f"{HEADER} must be at most {MAX_TOKEN} printable ASCII characters.")
        return f"{HEADER_PREFIX}{header}"
    if len(update_id) > MAX_TOKEN:
        raise Open311Error(400, f"update_id is longer than {MAX_TOKEN} characters.")
    return f"{UPDATE_ID_PREFIX}{update_id}" if update_id else ""


def fingerprint(request: HttpRequest) -> str:
    """What the POST asked for: its path (so its format) and every field and file, but not the api_key.

    Built from the parsed form, not the raw body, so a retry whose multipart boundary differs matches.
    """
    digest = hashlib.sha256(request.path_info.encode())
    for source in (request.GET, request.POST):
        for name, values in sorted(source.lists()):
            if name != "api_key":
                digest.update(repr((name, values)).encode())
    for name, uploads in sorted(request.FILES.lists()):
        for upload in uploads:
            digest.update(repr((name, upload.name, upload.size)).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)  # the write reads it again
    return digest.hexdigest()


def once(request: HttpRequest, key: ApiKey, token: str, write: Callable[[], HttpResponse]) -> HttpResponse:
    """Run `write` unless this key's token already has an answer; replay that answer instead.

    Only answers that wrote something are remembered: a refusal rolls back the claim with everything
    else, so a corrected retry with the same token is welcome.
    """
    if not token:
        return write()
    asked = fingerprint(request)
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
            return _replay(IdempotentWrite.objects.get(key=key, token=token), asked, token)
        response = write()
        if response.status_code >= 300:
            transaction.set_rollback(True)
            return response
        claim.status = response.status_code
        claim.content_type = response["Content-Type"]
        claim.body = response.content
        claim.save(update_fields=["status", "content_type", "body"])
    return response


def _replay(earlier: IdempotentWrite, asked: str, token: str) -> HttpResponse:
    if earlier.fingerprint != asked:
        what = "update_id" if token.startswith(UPDATE_ID_PREFIX) else HEADER
        raise Open311Error(
            422,
            f"This {what} was already used with a different request; send a new one for a different request.",
        )
    response = HttpResponse(bytes(earlier.body), status=earlier.status, content_type=earlier.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def sweep() -> int:
    """Forget tokens older than KEPT_FOR; run by the periodic housekeeping. Returns how many."""
    deleted, _ = IdempotentWrite.objects.filter(created_at__lte=clock.now() - KEPT_FOR).delete()
    return deleted
