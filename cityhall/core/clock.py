"""The one place the application reads the time, so tests and simulations can move it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

_state = threading.local()


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
