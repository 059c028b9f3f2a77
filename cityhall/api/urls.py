"""/api/v1/: the operations, with ETags on reads, and problem details for every path and method.

ninja answers a wrong method with Django's bare 405 and knows nothing of unknown paths; both become
problem details here, so nothing under /api/ is ever HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import conditional_page

from cityhall.core import problem_details as problems
from cityhall.core.problem_details import Problem

from .api import api

View = Callable[..., HttpResponse]


def as_problems(view: View) -> View:
    """Reads get an ETag (a hash of the body) and answer 304 to a matching If-None-Match;
    the 405 ninja returns bare becomes a problem detail that keeps its Allow header."""
    conditional = conditional_page(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = conditional(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/html"):
            allowed = response["Allow"]
            refusal = Problem(405, f"This address answers {allowed}.", headers={"Allow": allowed})
            return problems.response(request, refusal)
        patch_vary_headers(response, ["Authorization"])
        return response

    return wrapped


def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problems.response(request, Problem(404, "There is nothing at this address.", code="not-found"))


def _patterns() -> list[Any]:
    found, _, _ = api.urls
    for pattern in found:
        if isinstance(pattern, URLPattern):
            pattern.callback = as_problems(pattern.callback)
    return list(found)


app_name = "api-v1"
urlpatterns = [
    *_patterns(),
    re_path(r"^(?P<rest>.*)$", unknown),
]
