"""Open311 errors: a list of {code, description}, in the format of the URL that failed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .render import respond


class Open311Error(Exception):
    def __init__(self, status: int, description: str, *, code: int | str | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.code = code if code is not None else status


def error_response(
    fmt: str, status: int, descriptions: list[str] | str, *, code: int | str | None = None
) -> HttpResponse:
    items = [descriptions] if isinstance(descriptions, str) else descriptions
    body = [{"code": code if code is not None else status, "description": text} for text in items]
    return respond(fmt, "errors", body, status=status)


def format_of(path: str) -> str:
    """The format a client asked for, from the URL's suffix (XML, the mandatory one, otherwise)."""
    return "json" if path.rstrip("/").endswith(".json") else "xml"


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 a client sees while the database is unreachable (cityhall.core.unavailable adds Retry-After)."""
    return error_response(format_of(request.path_info), 503, "The service is temporarily unavailable; retry shortly.")
