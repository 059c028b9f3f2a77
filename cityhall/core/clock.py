"""The one place the application reads the time, so tests and simulations can move it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

_state = threading.local()

# The years a date an API client sends may name (Open311's and the JSON API's filters). Refused
# outside them, not clamped: a window reaching year 1 or 9999 cannot be computed (90 days before
# 0001-01-01 does not exist, and an offset can push a date past either end of the calendar), and
# quietly moving a bound would answer a question the client did not ask. No 311 record is older
# than 1900 or due after 2999.
CLIENT_YEARS = (1900, 2999)


def now() -> datetime:
    """The current time, aware, in UTC (or the travelled-to time inside `travel`)."""
    override: datetime | None = getattr(_state, "at", None)
    return override if override is not None else timezone.now()


@contextmanager
def travel(to: datetime) -> Iterator[None]:
    """Run a block as if it were `to` (aware). Used by the demo to write a believable past, and by tests."""
    if timezone.is_naive(to):
        raise ValueError("travel() needs an aware datetime")
    previous = getattr(_state, "at", None)
    _state.at = to
    try:
        yield
    finally:
        _state.at = previous


def advance(delta: timedelta) -> None:
    """Inside `travel`, move the travelled-to time forward."""
    if getattr(_state, "at", None) is None:
        raise RuntimeError("advance() only works inside travel()")
    _state.at = _state.at + delta
