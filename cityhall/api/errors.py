"""Django's error views (handler400/403/404/500) under /api/: a problem detail, never the site's HTML page.

Operations' own exceptions are answered in api.py; these catch what escapes before an operation runs
(a middleware's refusal, an unknown /api/ path outside v1, a fault in the chain).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cityhall.core import problem_details as problems
from cityhall.core.problem_details import Problem

PREFIX = "/api/"
View = Callable[..., HttpResponse]
ESCAPED = {
    400: "The request could not be read.",
    403: "This request was refused.",
    404: "There is nothing at this address.",
    500: "Something went wrong on our side; it has been logged.",
}


def error_view(status: int, elsewhere: View) -> View:
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return elsewhere(request) if status == 500 else elsewhere(request, exception)
        return problems.response(request, Problem(status, ESCAPED[status], code="not-found" if status == 404 else None))

    return view


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 while the database is unreachable (cityhall.core.unavailable adds Retry-After)."""
    detail = "The city's database cannot be reached for a moment; retry shortly."
    return problems.response(request, Problem(503, detail, code="unavailable"))
