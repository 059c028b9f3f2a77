"""The request id: one per HTTP request, carried into the tasks it enqueues, printed on every log line.

A proxy or client may send its own in X-Request-ID, so one id follows a request across machines; it is
kept only when it is short (64 characters) and plain (letters, digits and `-_.:=+/`), otherwise a new one is made,
so nothing a client sends reaches a log line unchecked.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"
MAX_LENGTH = 64
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:=+/-]{1,64}")

_current: ContextVar[str | None] = ContextVar("cityhall_request_id", default=None)


def new() -> str:
    return uuid.uuid4().hex


def accepted(offered: str | None) -> str:
    """The client's id when it is well formed, else a new one."""
    if offered and _WELL_FORMED.fullmatch(offered):
        return offered
    return new()


def current() -> str | None:
    return _current.get()


def begin(request_id: str) -> Token[str | None]:
    return _current.set(request_id)


def end(token: Token[str | None]) -> None:
    _current.reset(token)
