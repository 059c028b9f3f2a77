"""The site's URL map plus three views that fail on purpose, to reach the 400, 403 and 500 pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/400", suspicious),
    path("test-errors/403", forbidden),
    path("test-errors/500", broken),
    path("open311/v2/test-errors/500.json", broken),
    path("open311/v2/test-errors/500.xml", broken),
    *site_urls,
]
