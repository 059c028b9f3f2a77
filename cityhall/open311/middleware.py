"""What every Open311 request goes through first, in both middleware chains (config/wsgi.py).

Clients build URLs by string concatenation: `…/v2//requests.xml` must still work. And they put
every id they want in one query string: past the limit below they get an Open311 error, not a
server's HTML page (gunicorn passes any request line on: cityhall/core/serving.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .errors import error_response, format_of

# Path and query string, as sent. About 1,400 service_request_ids with encoded commas; docs/open311.md.
MAX_REQUEST_URI = 16 * 1024

_SLASHES = re.compile(r"/{2,}")


def collapse_slashes(path: str) -> str:
    return _SLASHES.sub("/", path) if "//" in path else path


def is_api_path(path: str) -> bool:
    """Whether a path, with doubled slashes collapsed, is under the Open311 base."""
    return collapse_slashes(path).startswith(settings.API_PREFIX)


class CollapseSlashesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "//" in request.path_info and is_api_path(request.path_info):
            request.path_info = collapse_slashes(request.path_info)
            request.path = request.path_info
        return self.get_response(request)


class RequestUriLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = len(request.get_full_path())
        if length > MAX_REQUEST_URI and is_api_path(request.path_info):
            return error_response(
                format_of(request.path_info),
                414,
                f"The address is {length:,} characters long; the limit is {MAX_REQUEST_URI:,}. "
                "Ask for fewer service_request_ids at a time.",
            )
        return self.get_response(request)
