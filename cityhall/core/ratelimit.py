"""Rate limits on public writes (reports, confirmations, follows): a flood from one address is refused.

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


def allow(scope: str, address: str, per_minute: int) -> bool:
    """Count one more write from `address` in this minute; False once past `per_minute`."""
    minute = int(clock.now().timestamp() // 60)
    key = f"cityhall:rate:{scope}:{address}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new count
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= per_minute


def limit_posts(scope: str, per_minute: int) -> Callable[[View], View]:
    """Refuse POSTs past `per_minute` per client address with 429 and a page in the user's language.

    `CITYHALL_RATE_LIMITS` (scope → per minute) overrides the default for a deployment.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = settings.CITYHALL_RATE_LIMITS.get(scope, per_minute)
            if request.method == "POST" and not allow(scope, client_address(request), limit):
                response = render(request, "core/too_many.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
