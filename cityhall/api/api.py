"""The JSON API at /api/v1/: django-ninja writes its OpenAPI schema from the operations' types.

Every exception an operation (or its authentication) raises is answered here as a problem detail:
the domain's refusals by their kind, ninja's own (bad input, no key) by theirs, and anything else as
a 500 (or a 503 while the database cannot be reached), logged, never Django's HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputInvalid
from ninja.operation import Operation
from ninja.renderers import BaseRenderer

from cityhall.core import problem_details as problems
from cityhall.core.errors import DomainError, NotFound, TransitionRefused, ValidationFailed
from cityhall.core.problem_details import Problem
from cityhall.core.unavailable import RETRY_AFTER_SECONDS, database_unavailable
from cityhall.requests.access import PartnerRefused

from .auth import BearerKey, challenge
from .serialize import render
from .views import applications, devices, requests, services, webhooks

log = logging.getLogger(__name__)

DESCRIPTION = """\
The city's service requests, its devices and their readings, and the review of applications for its
digital services, for partners' systems. Every call
but this schema and its docs page needs a key, sent as `Authorization: Bearer <key>`; errors are
RFC 9457 problem details. The guide (scopes, paging, ETags, idempotent retries) is docs/api.md in
the CityHall repository.
"""


# Swagger UI's options for the docs page (templates/ninja/swagger.html, static/api/docs.css). Without deep
# links each operation's path is plain words inside its expand button, not a 19-px-high link nested in it.
DOCS = Swagger(settings={"deepLinking": False})


class Orjson(BaseRenderer):
    """One JSON writer for every answer, first or replayed: times in RFC 3339 with their offset."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: object, *, response_status: int) -> bytes:
        return render(data)


class CityHallApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """ninja's schema, saying what it cannot: errors are application/problem+json, reads answer 304."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema["paths"].values():
            for method, operation in item.items():
                for status, described in operation["responses"].items():
                    if int(status) >= 400 and "application/json" in described.get("content", {}):
                        described["content"] = {problems.CONTENT_TYPE: described["content"]["application/json"]}
                if method == "get":
                    operation["responses"]["304"] = {
                        "description": "Not Modified: the If-None-Match sent is this answer's ETag."
                    }
        return schema

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__


api = CityHallApi(
    renderer=Orjson(),
    title="CityHall API",
    version="1",
    description=DESCRIPTION,
    auth=BearerKey(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=DOCS,
)
api.add_router("/requests", requests.router)
api.add_router("/services", services.router)
api.add_router("/webhooks", webhooks.router)
api.add_router("/devices", devices.router)
api.add_router("/applications", applications.router)


def answer(request: HttpRequest, problem: Problem) -> HttpResponse:
    return problems.response(request, problem)


@api.exception_handler(Problem)
def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return answer(request, exc)


@api.exception_handler(InputInvalid)
def on_bad_input(request: HttpRequest, exc: InputInvalid) -> HttpResponse:
    errors = []
    for error in exc.errors:
        where = [str(part) for part in error.get("loc", ())]
        # ninja prefixes where the value came from (body, query, path, header) and the body's parameter name.
        field = ".".join(where[2:] if where[:1] == ["body"] else where[1:]) or (where[0] if where else "body")
        errors.append({"field": field, "message": str(error.get("msg", "Invalid."))})
    return answer(request, Problem(422, "The request's input is not valid.", code="invalid", errors=errors))


@api.exception_handler(AuthenticationError)
def on_no_key(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = "Send your key as Authorization: Bearer <key>."
    return answer(request, Problem(401, detail, code="unauthorized", headers=challenge(401)))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own: a body that is not JSON ("Cannot parse request body").
    return answer(request, Problem(exc.status_code, str(exc), code="malformed" if exc.status_code == 400 else None))


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return answer(request, Problem(404, "Not found.", code="not-found"))


@api.exception_handler(DomainError)
def on_refusal(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, ValidationFailed):
        errors = problems.field_errors(exc.errors)
        return answer(request, Problem(422, "Some fields are not valid.", code="invalid", errors=errors))
    if isinstance(exc, NotFound):
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return answer(request, Problem(404, exc.message, code="not-found", errors=errors))
    if isinstance(exc, PartnerRefused):
        return answer(request, Problem(403, exc.message, code="out-of-scope"))
    if isinstance(exc, TransitionRefused):
        return answer(request, Problem(409, exc.message, code="action-refused"))
    errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return answer(request, Problem(422, exc.message, code="invalid", errors=errors))


@api.exception_handler(Exception)
def on_fault(request: HttpRequest, exc: Exception) -> HttpResponse:
    if database_unavailable(exc):
        detail = "The city's database cannot be reached for a moment; retry shortly."
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return answer(request, Problem(503, detail, code="unavailable", headers=headers))
    log.exception("JSON API fault on %s %s", request.method, request.path)
    return answer(request, Problem(500, "Something went wrong on our side; it has been logged.", code="fault"))
