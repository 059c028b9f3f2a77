"""The staff header's "Go to request" box: an exact request number opens its workspace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from cityhall.core.errors import NotFound
from cityhall.requests import access

from ..numbers import is_request_number, typed_request_number
from .common import staff_page


@require_safe
@staff_page
def go_to_request(request: HttpRequest) -> HttpResponse:
    """Eight digits of a request this person may work on: its workspace. Anything else: "No request …" (404)."""
    number = typed_request_number(request.GET.get("number"))
    if is_request_number(number):
        try:
            access.request_for_staff(number, user=request.user)
        except NotFound:
            pass
        else:
            return redirect("staff:request", public_id=number)
    return render(request, "staff/go.html", {"number": number}, status=404 if number else 200)
