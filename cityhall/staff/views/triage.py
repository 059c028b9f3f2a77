"""Triage one request in one step: category, priority, and route / duplicate / refer / reject."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityhall.catalogue.selectors import response_templates_for
from cityhall.core.errors import NotFound, TransitionRefused, ValidationFailed
from cityhall.live.topics import request_topic
from cityhall.requests import access, queues, selectors, services
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import Status

from ..forms import TriageForm, answers_from
from .common import field_errors, refusal_message, staff_page
from .maps import map_context

SUGGESTION_RADIUS_M = 250


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def triage_request(request: HttpRequest, public_id: str) -> HttpResponse:
    access.triage_desk(request.user)
    service_request, actor = access.request_for_staff(public_id, user=request.user)
    if service_request.status != Status.SUBMITTED:
        messages.info(request, _("Request %(id)s has already been triaged.") % {"id": public_id})
        return redirect("staff:request", public_id=public_id)
    form = TriageForm(request.POST or None, service_request=service_request, auto_id="triage_%s")
    if request.method == "POST" and form.is_valid():
        try:
            triage = _decision(form, request)
            services.service_request_triage(service_request=service_request, actor=actor, triage=triage)
        except ValidationFailed as error:
            for field, message in field_errors(error).items():
                form.add_error(field if field in form.fields else None, message)
        except TransitionRefused as error:
            messages.error(request, refusal_message(error))
            return redirect("staff:request", public_id=public_id)
        else:
            messages.success(request, _("Request %(id)s is triaged.") % {"id": public_id})
            following = queues.next_in_triage(after=service_request)
            return (
                redirect("staff:triage_request", public_id=following.public_id)
                if following
                else redirect("staff:triage")
            )
    chosen = form.cleaned_data.get("service") if form.is_bound and hasattr(form, "cleaned_data") else None
    context: dict[str, Any] = {
        "sr": service_request,
        "form": form,
        "suggestions": suggestions(service_request),
        "templates": response_templates_for(service_request.service, service_request.language),
        "question_service": chosen or service_request.service,
        "question_answers": answers_from(request.POST) if request.method == "POST" else service_request.attributes,
        "live_topic": request_topic(public_id),
        **map_context([service_request]),
    }
    return render(request, "staff/triage_request.html", context, status=400 if form.is_bound else 200)


def suggestions(service_request: ServiceRequest) -> list[selectors.Nearby]:
    """Likely duplicates: the same category, close by, open or resolved this week (nearest first)."""
    if service_request.lat is None or service_request.lng is None:
        return []
    found = selectors.nearby_requests(
        service=service_request.service,
        lat=service_request.lat,
        lng=service_request.lng,
        radius_m=SUGGESTION_RADIUS_M,
        limit=6,
    )
    return [item for item in found if item.request.pk != service_request.pk][:5]


def _decision(form: TriageForm, request: HttpRequest) -> services.Triage:
    data = form.cleaned_data
    outcome = services.Outcome(data["outcome"])
    parent = None
    if outcome is services.Outcome.DUPLICATE:
        wanted = data["duplicate_of"].strip().lstrip("#")
        try:
            parent = access.request_for_staff(wanted, user=request.user)[0] if wanted else None
        except NotFound:
            raise ValidationFailed({"duplicate_of": _("There is no request with that number.")}) from None
    return services.Triage(
        outcome=outcome,
        service=data["service"],
        attributes=answers_from(request.POST),
        priority=data["priority"],
        # Only the chosen decision's fields count: the others may hold what was typed before changing one's mind.
        department=data["department"] if outcome is services.Outcome.ROUTE else None,
        duplicate_of=parent,
        referred_to=data["referred_to"] if outcome is services.Outcome.REFER else "",
        referral_url=data["referral_url"] if outcome is services.Outcome.REFER else "",
        public_note=data["public_note"] if outcome is not services.Outcome.ROUTE else "",
        reason=data["reason"] if outcome is services.Outcome.REJECT else "",
    )
