"""Open311 clients build URLs by string concatenation: `…/v2//requests.xml` must still work."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
