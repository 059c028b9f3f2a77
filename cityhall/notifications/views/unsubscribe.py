"""One-click unsubscribe: the signed link is the credential, so no sign-in and no CSRF token are needed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..links import read_unsubscribe_token
from ..services import unsubscribe_add


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no page, cookie or token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners fetch links and must not unsubscribe anyone); POST records it.

    The page never shows the address: the link may have been forwarded.
    """
    target = read_unsubscribe_token(token)
    if target is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    context = {"channel": target.channel}
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", context)
    unsubscribe_add(channel=target.channel, address=target.address)
    return render(request, "notifications/unsubscribed.html", context)
