"""Idempotent Open311 writes: Open311's tokens and fingerprints over the partners' idempotency store.

A POST with an `Idempotency-Key` header (or, on updates, FixMyStreet's `update_id`) is run once per
API key and token; a retry replays the first answer byte for byte (cityhall.partners.idempotency).
The same token with a different form is refused with 422.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cityhall.partners import idempotency as store
from cityhall.partners.idempotency import HEADER, KEPT_FOR, MAX_TOKEN, REPLAYED_HEADER
from cityhall.partners.models import ApiKey

from .errors import Open311Error

__all__ = ["HEADER", "KEPT_FOR", "MAX_TOKEN", "REPLAYED_HEADER", "fingerprint", "once", "token_of"]

HEADER_PREFIX, UPDATE_ID_PREFIX = "key:", "update_id:"


def token_of(request: HttpRequest, update_id: str = "") -> str:
    """The header's key; otherwise FixMyStreet's update_id. Prefixed so the two never collide."""
    header = request.headers.get(HEADER, "").strip()
    if header:
        problem = store.header_problem(header)
        if problem:
            raise Open311Error(400, problem)
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
    """Run `write` unless this key's token already has an answer; replay that answer instead."""
    try:
        return store.once(key, token, fingerprint(request) if token else "", write)
    except store.KeyReused:
        what = "update_id" if token.startswith(UPDATE_ID_PREFIX) else HEADER
        raise Open311Error(
            422,
            f"This {what} was already used with a different request; send a new one for a different request.",
        ) from None
