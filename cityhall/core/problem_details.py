"""Every machine-facing error as an RFC 9457 problem detail (application/problem+json), never HTML:
the JSON API's and the devices' ingest's.

A problem has `type` (a URN naming the kind, listed in docs/api.md; `about:blank` when the HTTP status
says it all), `title` (the kind in words), `status`, `detail` (this occurrence, for the partner's
developer) and `instance` (the path asked). Refused input adds `errors`: one `{field, message}` per
bad field, every one of them, so a partner fixes a call in one go.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:cityhall:problem:"


class Problem(Exception):
    """A refusal to answer as a problem detail; `code` names its type (None: about:blank)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        errors: Sequence[Mapping[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = list(errors)
        self.headers = dict(headers or {})


def field_errors(errors: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"field": field, "message": message} for field, message in errors.items()]


def response(request: HttpRequest, problem: Problem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"{TYPE_PREFIX}{problem.code}" if problem.code else "about:blank",
        "title": HTTPStatus(problem.status).phrase,
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.errors:
        body["errors"] = problem.errors
    answer = HttpResponse(orjson.dumps(body), status=problem.status, content_type=CONTENT_TYPE)
    for name, value in problem.headers.items():
        answer[name] = value
    return answer
