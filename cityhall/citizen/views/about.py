"""The pages every government site owes its residents: contact, privacy notice, accessibility statement;
and its robots.txt."""

from __future__ import annotations

import mimetypes

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cityhall.catalogue.selectors import is_city_logo, site_city
from cityhall.core.storage import stored_file_response


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
def robots(request: HttpRequest) -> HttpResponse:
    """What crawlers may index: the public site, not a person's pages, the staff's or the machines'."""
    return render(request, "citizen/robots.txt", content_type="text/plain; charset=utf-8")


@require_safe
def city_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """The city's logo, uploaded in the admin under media/city/: open to everyone.

    Only a jurisdiction's current logo is served, looked up by its storage name, so no other stored file
    (nor a path that climbs out of city/) is reachable from here.
    """
    name = f"city/{path}"
    if not is_city_logo(name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        return stored_file_response(name, content_type=content_type)
    except FileNotFoundError:
        raise Http404 from None
