"""`{% live_stream topic … %}`: make the page listen to its topics (docs/live.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from cityhall.core.middleware import live_stream_origin
from cityhall.live.feed import source_for
from cityhall.live.topics import sign

register = template.Library()


def stream_base(request: HttpRequest) -> str:
    """Where the stream is served: configured, the ASGI server's own port, or this server."""
    if settings.CITYHALL_LIVE_URL:
        return settings.CITYHALL_LIVE_URL.rstrip("/") + "/stream"
    if settings.CITYHALL_LIVE_PORT:
        return f"{live_stream_origin(request)}/live/stream"
    return reverse("live:stream")


@register.simple_tag(takes_context=True)
def live_stream(context: template.Context, *topics: str) -> str:
    request: HttpRequest = context["request"]
    query = urlencode({"t": sign(topics), "after": source_for(topics).latest()})
    return format_html(
        '<span hidden data-live-stream="{}" data-live-poll="{}"></span><script src="{}" defer></script>',
        f"{stream_base(request)}?{query}",
        f"{reverse('live:poll')}?{query}",
        static("live/live.js"),
    )
