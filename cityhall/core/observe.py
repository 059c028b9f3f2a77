"""Each HTTP request observed: its request id, one log line and its timings (docs/operations.md).

First in both middleware chains (settings.MIDDLEWARE and API_MIDDLEWARE), so it times everything
Django does. The log line names the route (the URL pattern), the method, the status and the times,
never the path or query asked for, the client's address or the person: those may carry personal data
or tracking tokens, and the proxy's own log has them for whoever may read it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

from . import request_id
from .metrics import REQUEST_DATABASE_SECONDS, REQUEST_SECONDS, UNMATCHED

logger = logging.getLogger("cityhall.http")

# Any other method (a scanner's made-up one) is counted as "other", which bounds the label.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _QueryTimer:
    """Adds up the time spent in database queries (Django's execute_wrapper hook)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def route_of(match: ResolverMatch | None) -> str:
    """The URL pattern's name (`open311:requests`), or its route when it has none: never the path asked."""
    if match is None:
        return UNMATCHED
    return match.view_name if match.url_name else match.route


class RequestObservationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        this_request = request_id.accepted(request.headers.get(request_id.HEADER))
        token = request_id.begin(this_request)
        timer = _QueryTimer()
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(timer):
                response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[request_id.HEADER] = this_request
            self._record(request, response, seconds, timer)
        finally:
            request_id.end(token)
        return response

    @staticmethod
    def _record(request: HttpRequest, response: HttpResponse, seconds: float, timer: _QueryTimer) -> None:
        match = request.resolver_match
        route = route_of(match)
        method = request.method if request.method in METHODS else "other"
        status = response.status_code
        REQUEST_SECONDS.labels(method=method, route=route, status=str(status)).observe(seconds)
        REQUEST_DATABASE_SECONDS.labels(route=route).observe(timer.seconds)
        duration_ms, database_ms = round(seconds * 1000, 1), round(timer.seconds * 1000, 1)
        logger.info(
            "%s %s %s %s ms",
            method,
            route,
            status,
            duration_ms,
            extra={
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": duration_ms,
                "database_ms": database_ms,
                "queries": timer.queries,
            },
        )
