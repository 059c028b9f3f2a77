"""Show times in the city's own time zone (admin, pages), not the server's UTC."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cityhall.core.ttl_cache import TtlCache

from .models import Jurisdiction

_timezones: TtlCache[str | None] = TtlCache(seconds=60)


def deployment_timezone() -> str | None:
    """The time zone of the deployment's first jurisdiction, re-read at most once a minute."""
    return _timezones.get(
        "first", lambda: Jurisdiction.objects.order_by("pk").values_list("timezone", flat=True).first()
    )


class CityTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = deployment_timezone()
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
