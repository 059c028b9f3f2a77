"""Rate limits per client address: on public writes (reports, confirmations, follows), a flood is
refused; on secrets presented in a link (tracking tokens), wrong guesses are (`count_failure`).

Counted per client address and minute in Django's cache, which lives in the database
(settings.CACHES), so every web process counts against the same limit. The cache's increment is a
read then a write: two writes racing may count as one, so the limit is a bound on abuse, not an
exact quota.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import clock

View = Callable[..., HttpResponse]


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


class RateLimited(Exception):
    """Past a limit, deep inside a view; `answer_too_many` turns it into the 429 page."""


def _key(scope: str, address: str) -> str:
    minute = int(clock.now().timestamp() // 60)
    return f"cityhall:rate:{scope}:{address}:{minute}"


def allow(scope: str, address: str, per_minute: int) -> bool:
    """Count one more write from `address` in this minute; False once past `per_minute`."""
    key = _key(scope, address)
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new count
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= per_minute


def limit_of(scope: str, default: int) -> int:
    """`CITYHALL_RATE_LIMITS` (scope → per minute) overrides the default for a deployment."""
    return int(settings.CITYHALL_RATE_LIMITS.get(scope, default))


def refuse_if_past(scope: str, address: str, per_minute: int) -> None:
    """Raise RateLimited when `address` already failed past the limit this minute (counts nothing).

    Checked before a secret is compared, so that past the limit even a right guess learns nothing.
    """
    if int(cache.get(_key(scope, address)) or 0) > per_minute:
        raise RateLimited()


def count_failure(scope: str, address: str, per_minute: int) -> None:
    """Count one wrong guess from `address`; raise RateLimited once that passes the limit."""
    if not allow(scope, address, per_minute):
        raise RateLimited()


def too_many(request: HttpRequest) -> HttpResponse:
    """The 429 page, in the site's frame and the person's language."""
    response = render(request, "core/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


def answer_too_many(view: View) -> View:
    """Let a view (or what it calls) raise RateLimited; the person gets the 429 page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited:
            return too_many(request)

    return wrapped


def limit_posts(scope: str, per_minute: int) -> Callable[[View], View]:
    """Refuse POSTs past `per_minute` per client address with 429 and a page in the user's language."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = limit_of(scope, per_minute)
            if request.method == "POST" and not allow(scope, client_address(request), limit):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
