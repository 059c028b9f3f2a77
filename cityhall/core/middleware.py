"""Cross-cutting HTTP policy."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Self-hosted assets only; map tiles come from the configured tile server, photos from our own media.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob: https://*.tile.openstreetmap.org; "
    "style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Adds the content security policy to every HTML response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and response.get("Content-Type", "").startswith("text/html"):
            policy = CONTENT_SECURITY_POLICY
            if request.path.startswith("/admin/"):
                # Django's admin uses inline styles in a few widgets.
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            live = live_stream_origin(request)
            if live:
                policy = policy.replace("connect-src 'self'", f"connect-src 'self' {live}")
            response["Content-Security-Policy"] = policy
        return response


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
