"""Cross-cutting HTTP policy."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .map_tiles import tiles_source


class ContentSecurityPolicyMiddleware:
    """Adds the content security policy to every HTML response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = content_security_policy(request)
        return response


def content_security_policy(request: HttpRequest, *, form_action: str = "") -> str:
    """Self-hosted assets only, plus the origins this deployment is set up to use.

    Those are the map tile server, the live streams' server when it is another origin, and the
    identity provider a sign-in form leads on to (`form_action`).
    """
    directives = {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", tiles_source()],
        # Django's admin uses inline styles in a few widgets.
        "style-src": ["'self'", "'unsafe-inline'" if request.path.startswith("/admin/") else ""],
        "script-src": ["'self'"],
        "connect-src": ["'self'", live_stream_origin(request)],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", form_action],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {_sources(*sources)}" for name, sources in directives.items())


def _sources(*sources: str) -> str:
    return " ".join(source for source in sources if source)


def live_stream_origin(request: HttpRequest) -> str:
    """The origin of the live streams when another server than this one serves them (docs/live.md)."""
    if settings.CITYHALL_LIVE_URL:
        parts = urlsplit(settings.CITYHALL_LIVE_URL)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    if settings.CITYHALL_LIVE_PORT:
        host = request.get_host()
        hostname = host if host.endswith("]") else host.rsplit(":", 1)[0]
        return f"{request.scheme}://{hostname}:{settings.CITYHALL_LIVE_PORT}"
    return ""
