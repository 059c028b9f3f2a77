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
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

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


def accepted_language(header: str) -> str:
    """The first language of an Accept-Language header the site speaks, else the site's own (English)."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiLanguageMiddleware:
    """Open311 answers in the language of Accept-Language alone (no cookie, no session), English by default.

    The short chain has no LocaleMiddleware, and Django keeps a thread's language from one request to
    the next: without this, a worker that had just served a page in Spanish answered the next client
    in Spanish, and a client asking for Spanish got whatever the thread last spoke.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response
