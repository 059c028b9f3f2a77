"""Web push endpoints for push.js: record or forget this browser's subscription (signed-in, CSRF-checked)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User

from .. import services
from ..channels.push import configured_vapid


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _json(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """Body: the browser's PushSubscription.toJSON(): {"endpoint", "keys": {"p256dh", "auth"}}."""
    if configured_vapid() is None:
        return JsonResponse({"error": _("Notifications on devices are not available on this site.")}, status=404)
    body = _json(request)
    endpoint = body.get("endpoint")
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    p256dh, auth = keys.get("p256dh"), keys.get("auth")  # type: ignore[union-attr]
    valid = (
        isinstance(endpoint, str)
        and len(endpoint) <= 1000
        and urlsplit(endpoint).scheme == "https"
        and isinstance(p256dh, str)
        and 0 < len(p256dh) <= 200
        and isinstance(auth, str)
        and 0 < len(auth) <= 100
    )
    if not valid:
        return JsonResponse({"error": _("This browser sent a subscription we cannot use.")}, status=400)
    services.push_subscribe(
        user=_user(request),
        endpoint=endpoint,  # type: ignore[arg-type]
        p256dh=p256dh,  # type: ignore[arg-type]
        auth=auth,  # type: ignore[arg-type]
        user_agent=request.headers.get("user-agent", ""),
    )
    return JsonResponse({"ok": True, "message": _("Notifications are on for this device.")}, status=201)


@login_required
@require_POST
def unsubscribe(request: HttpRequest) -> HttpResponse:
    """JSON {"endpoint"} from push.js, or a form's device id from the preferences page."""
    user = _user(request)
    if request.content_type == "application/json":
        endpoint = _json(request).get("endpoint")
        removed = isinstance(endpoint, str) and services.push_unsubscribe(user=user, endpoint=endpoint)
        return JsonResponse({"ok": True, "removed": removed})
    device = request.POST.get("device", "")
    if device.isdigit() and services.push_unsubscribe(user=user, device_id=int(device)):
        messages.success(request, _("That device will get no more notifications."))
    return HttpResponseRedirect(reverse("notifications:preferences"))
