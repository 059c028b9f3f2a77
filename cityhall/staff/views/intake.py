"""Log a request for a caller (phone or walk-in): the resident's report, plus the channel and the caller."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityhall.catalogue.selectors import site_city
from cityhall.core.errors import ValidationFailed
from cityhall.core.geometry import centre_of
from cityhall.core.map_tiles import tiles_url
from cityhall.requests import access, services
from cityhall.requests.models import Channel

from ..forms import CallerForm, answers_from
from .common import field_errors, staff_page


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def log_for_caller(request: HttpRequest) -> HttpResponse:
    desk = access.desk_actor(request.user)
    jurisdiction = site_city()
    if jurisdiction is None:
        return render(request, "staff/log_for_caller.html", {"form": None})
    form = CallerForm(request.POST or None, request.FILES or None, jurisdiction_id=jurisdiction.pk, auto_id="caller_%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.service_request_log_for_caller(
                service=data["service"],
                location=services.Location(
                    lat=data["lat"], lng=data["lng"], address=data["address"], description=data["location_description"]
                ),
                channel=Channel(data["channel"]),
                contact=services.Contact(
                    name=data["caller_name"], email=data["caller_email"], phone=data["caller_phone"]
                ),
                taken_by=desk,
                description=data["description"],
                attributes=answers_from(request.POST),
                photos_in=list(data["photos"]),
            )
        except ValidationFailed as error:
            for field, message in field_errors(error).items():
                form.add_error(_form_field(field, form), message)
        else:
            messages.success(
                request,
                _("Request %(id)s is logged. Give the caller this number to follow it.") % {"id": created.public_id},
            )
            return redirect("staff:request", public_id=created.public_id)
    chosen = form.cleaned_data.get("service") if form.is_bound and hasattr(form, "cleaned_data") else None
    context: dict[str, Any] = {
        "form": form,
        "question_service": chosen,
        "question_answers": answers_from(request.POST) if request.method == "POST" else {},
        "city_centre": centre_of(jurisdiction.boundary),
        "map_tiles": tiles_url(),
    }
    return render(request, "staff/log_for_caller.html", context, status=400 if form.is_bound else 200)


# The submit service names fields as the Open311 API does; the form names some of them differently.
FIELD_NAMES = {"email": "caller_email", "phone": "caller_phone", "name": "caller_name", "service_code": "service"}
FIELD_NAMES |= {"location": "address", "address_string": "address"}


def _form_field(field: str, form: CallerForm) -> str | None:
    name = FIELD_NAMES.get(field, field)
    return name if name in form.fields else None
