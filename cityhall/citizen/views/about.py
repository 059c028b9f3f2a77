"""The pages every government site owes its residents: contact, privacy notice, accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.static import serve

from cityhall.catalogue.selectors import site_city


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "citizen/about_contact.html")


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    city = site_city()
    return render(
        request, "citizen/about_privacy.html", {"erase_after_days": city.anonymise_after_days if city else None}
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "citizen/about_accessibility.html")


@require_safe
def city_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """The city's own public files (its logo), uploaded in the admin under media/city/: open to everyone."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT / "city"))
