"""Open311 clients build URLs by string concatenation: `…/v2//requests.xml` must still work."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_SLASHES = re.compile(r"/{2,}")


class CollapseSlashesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "//" in request.path_info and _SLASHES.sub("/", request.path_info).startswith(settings.API_PREFIX):
            request.path_info = _SLASHES.sub("/", request.path_info)
            request.path = request.path_info
        return self.get_response(request)
