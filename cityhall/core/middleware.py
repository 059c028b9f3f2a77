"""Cross-cutting HTTP policy."""

from __future__ import annotations

from collections.abc import Callable

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
            response["Content-Security-Policy"] = policy
        return response
