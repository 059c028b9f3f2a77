"""Health and metrics, for load balancers, `make run` and Prometheus (docs/operations.md).

The front door is the resident app (cityhall.citizen).
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import readiness
from .metrics import CONTENT_TYPE, exposition

# Headers a proxy adds: a request carrying one came through it, whatever address it arrives from.
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers and `make run`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when this process can serve: the database answers, the default storage writes and reads back,
    and every migration is applied; otherwise 503, naming each part that failed."""
    checks = readiness.check_all()
    ready = all(outcome == readiness.OK for outcome in checks.values())
    return JsonResponse({"status": "ready" if ready else "unavailable", **checks}, status=200 if ready else 503)


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format, to a bearer of CITYHALL_METRICS_TOKEN or, without one, to this machine only."""
    refusal = _metrics_refusal(request)
    if refusal is not None:
        return refusal
    return HttpResponse(exposition(), content_type=CONTENT_TYPE)


def _metrics_refusal(request: HttpRequest) -> HttpResponse | None:
    token = settings.CITYHALL_METRICS_TOKEN
    if token:
        scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(offered.strip().encode(), token.encode()):
            return None
        response = _problem(401, "A bearer token is required", "Send Authorization: Bearer <the metrics token>.")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if _from_this_machine(request):
        return None
    return _problem(
        403,
        "Metrics are served to this machine only",
        "Without a metrics token (CITYHALL_METRICS_TOKEN) only a loopback address may read them.",
    )


def _from_this_machine(request: HttpRequest) -> bool:
    """A loopback address, not relayed by a proxy on this machine (which would make every client look local)."""
    if any(request.META.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(str(request.META.get("REMOTE_ADDR", ""))).is_loopback
    except ValueError:
        return False


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    """An RFC 9457 problem details body."""
    return JsonResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )
