"""Opaque page cursors over (requested_at, id): where the last page ended, newest first.

A cursor is base64url of "<microseconds since the epoch>.<id>". Partners must treat it as opaque; it is
not signed because it opens nothing: a forged one only starts a page elsewhere in the public list.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta

from cityhall.core.problem_details import Problem

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_CURSOR = 64
MAX_ID = 2**63 - 1  # a bigint: a larger id would be a database error, not an empty page


class BadCursor(ValueError):
    pass


def after(cursor: str | None) -> tuple[datetime, int] | None:
    """Where the page asked for starts (None: at the top), or a 422 problem naming the cursor."""
    try:
        return decode(cursor) if cursor else None
    except BadCursor:
        errors = [{"field": "cursor", "message": "Not a cursor."}]
        raise Problem(422, "This cursor was not given by this API.", code="invalid", errors=errors) from None


def encode(requested_at: datetime, pk: int) -> str:
    micros = (requested_at - EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{micros}.{pk}".encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    if len(cursor) > MAX_CURSOR:
        raise BadCursor()
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        micros, pk = (int(part) for part in text.split("."))
        moment = EPOCH + timedelta(microseconds=micros)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise BadCursor() from None
    if not 1 <= pk <= MAX_ID:
        raise BadCursor()
    return moment, pk
