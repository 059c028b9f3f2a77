"""The tracking page of one request, its live fragments, and the requester's verified closure.

GET never changes anything: links from emails (`?fixed=yes|no`) only open the matching form.
Confirm, reopen and feedback are POSTs that go through the request services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from cityhall.core import clock
from cityhall.core.contact import given_email
from cityhall.core.errors import DomainError, NotFound, TransitionRefused, ValidationFailed
from cityhall.core.map_tiles import tiles_url
from cityhall.core.ratelimit import answer_too_many, limit_posts
from cityhall.live.topics import request_topic
from cityhall.requests import access, selectors
from cityhall.requests.available import available_actions
from cityhall.requests.events import Actor
from cityhall.requests.models import ServiceRequest
from cityhall.requests.public_text import as_written, public_text_of
from cityhall.requests.services import Change, service_request_feedback, service_request_transition
from cityhall.requests.workflow import Action, Role, Status

from .track_access import public_request, remember_presented_token, tracking_token
from .track_forms import FeedbackForm, ReopenForm
from .track_timeline import completion_photo, resolution_text, status_badge, timeline_entries
from .track_updates import updates_for


def _context(request: HttpRequest, service_request: ServiceRequest, token: str, **forms: Any) -> dict[str, Any]:
    events = list(selectors.timeline(service_request, include_internal=False))
    status = Status(service_request.status)
    actor = access.actor_for(request.user, service_request, token=token)
    requester = Role.REQUESTER in actor.roles
    # This page offers the requester's own actions; staff act from their workspace.
    offered = available_actions(service_request, actor, clock.now()) if requester else []
    feedback = selectors.feedback_on(service_request) if requester else None
    can_confirm = Action.CONFIRM in offered
    can_reopen = Action.REOPEN in offered
    # "How did we do?" is asked once it is closed for good: not while the resident is asked "Is it
    # fixed?", nor straight after they said it is not (the work starts again).
    can_give_feedback = Action.FEEDBACK in offered and status is Status.CLOSED
    fixed = request.GET.get("fixed", "") if request.method == "GET" else ""
    # The requester and staff read what was written; anyone else the public text (no one's contacts).
    shown = as_written if requester or access.reads_original_text(actor.roles) else public_text_of(service_request)
    return {
        "service_request": service_request,
        "map_tiles": tiles_url(),
        "badge": status_badge(status),
        "is_open": status not in (Status.RESOLVED, Status.CLOSED),
        "resolution": resolution_text(service_request.resolution),
        "timeline": timeline_entries(events, shown=shown, jurisdiction_pk=service_request.jurisdiction_id),
        "description": shown(service_request.description),
        "place_address": shown(service_request.address),
        "place_note": shown(service_request.location_description),
        "completion_photo": completion_photo(service_request, events),
        "is_requester": requester,
        "can_confirm": can_confirm,
        "can_reopen": can_reopen,
        "reopen_window_passed": requester and status in (Status.RESOLVED, Status.CLOSED) and not can_reopen,
        "can_give_feedback": can_give_feedback,
        "feedback": feedback,
        "fixed": fixed if fixed in ("yes", "no") else "",
        "asked_but_not_requester": fixed in ("yes", "no") and not requester and status is Status.RESOLVED,
        "token": token if requester else "",
        "closure_state": f"{status}:{int(requester)}:{int(feedback is not None)}",
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "live_topic": request_topic(service_request.public_id),
        "updates": updates_for(request, service_request, requester=requester),
        "given_email": "" if request.user.is_authenticated else given_email(request),
    }


@require_safe
@answer_too_many
def track(request: HttpRequest, public_id: str) -> HttpResponse:
    """The request as the public, or its requester, sees it; remembers a valid `?token=` for this browser."""
    service_request, token = public_request(request, public_id)
    response = render(request, "citizen/track.html", _context(request, service_request, token))
    remember_presented_token(request, response, service_request)
    return response


@require_safe
@answer_too_many
def track_fragment(request: HttpRequest, public_id: str) -> HttpResponse:
    """The live part of the page (status, dates, timeline), re-fetched by htmx when the request changes."""
    service_request, token = public_request(request, public_id)
    context = _context(request, service_request, token)
    context["oob"] = True  # the timeline comes along out of band: one request refreshes both parts
    return render(request, "citizen/track_live.html", context)


@require_safe
@answer_too_many
def closure_fragment(request: HttpRequest, public_id: str) -> HttpResponse:
    """The "Is it fixed?" panel; 204 (htmx keeps what is shown) unless it changed, so typing is never lost."""
    service_request, token = public_request(request, public_id)
    context = _context(request, service_request, token)
    if request.GET.get("shown") == context["closure_state"]:
        return HttpResponse(status=204)
    return render(request, "citizen/track_closure.html", context)


def _requester_request(request: HttpRequest, public_id: str) -> tuple[ServiceRequest, Actor, str]:
    token = tracking_token(request, public_id)
    try:
        service_request, actor = access.request_for_requester(public_id, user=request.user, token=token)
    except NotFound:
        raise Http404 from None
    return service_request, actor, token


def _refusal_message(error: DomainError) -> str:
    if error.code == "window":
        return gettext("This request was resolved too long ago to reopen it. Please report the problem again.")
    if error.code == "already":
        return gettext("You have already given feedback on this request. Thank you.")
    return gettext("This request has changed since you opened the page, so nothing was done. Please check it again.")


def _back_to_page(request: HttpRequest, service_request: ServiceRequest, anchor: str = "") -> HttpResponseRedirect:
    response = HttpResponseRedirect(reverse("citizen:track", args=[service_request.public_id]) + anchor)
    remember_presented_token(request, response, service_request)
    return response


@require_POST
@limit_posts("closure", per_minute=10)
@answer_too_many
def confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    """Confirm "yes, it's fixed": the requester closes a resolved request."""
    service_request, actor, _token = _requester_request(request, public_id)
    try:
        service_request_transition(service_request=service_request, action=Action.CONFIRM, actor=actor)
    except DomainError as error:
        messages.error(request, _refusal_message(error))
        return _back_to_page(request, service_request)
    messages.success(request, gettext("Thank you for confirming. The request is now closed."))
    return _back_to_page(request, service_request, "#feedback")


@require_POST
@limit_posts("closure", per_minute=10)
@answer_too_many
def reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    """Say "not fixed": back into the department's queue, with the requester's reason and optional photo."""
    service_request, actor, token = _requester_request(request, public_id)
    form = ReopenForm(request.POST, request.FILES)
    if form.is_valid():
        photo = form.cleaned_data["photo"]
        change = Change(reason=form.cleaned_data["reason"], photos=[photo] if photo else [])
        try:
            service_request_transition(
                service_request=service_request, action=Action.REOPEN, actor=actor, change=change
            )
        except ValidationFailed as error:
            form.add_error("photo" if "photos" in error.errors else "reason", _photo_or_reason_error(error))
        except TransitionRefused as error:
            messages.error(request, _refusal_message(error))
            return _back_to_page(request, service_request)
        else:
            messages.success(request, gettext("Thank you. The request is open again and back with the department."))
            return _back_to_page(request, service_request, "#feedback")
    context = _context(request, service_request, token, reopen_form=form)
    context["fixed"] = "no"
    return render(request, "citizen/track.html", context, status=400)


def _photo_or_reason_error(error: ValidationFailed) -> str:
    if "photos" in error.errors:
        return gettext("We could not use this photo. Please choose a JPEG, PNG or HEIC photo.")
    return gettext("Tell us what is still wrong, so the crew knows what to look at.")


@require_POST
@limit_posts("closure", per_minute=10)
@answer_too_many
def feedback(request: HttpRequest, public_id: str) -> HttpResponse:
    """The requester's 1–5 rating and comment, once per request."""
    service_request, actor, token = _requester_request(request, public_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            service_request_feedback(
                service_request=service_request,
                actor=actor,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            messages.error(request, _refusal_message(error))
            return _back_to_page(request, service_request)
        messages.success(request, gettext("Thank you for your feedback. It goes to the department that did the work."))
        return _back_to_page(request, service_request)
    return render(
        request, "citizen/track.html", _context(request, service_request, token, feedback_form=form), status=400
    )
