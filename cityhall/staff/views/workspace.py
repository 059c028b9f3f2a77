"""The request workspace: everything about one request on one page, and the actions this person may take."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cityhall.catalogue import selectors as catalogue
from cityhall.core import clock
from cityhall.core.errors import NotFound, TransitionRefused, ValidationFailed
from cityhall.devices.selectors import readings_for_request
from cityhall.live.topics import request_topic
from cityhall.requests import access, selectors, services
from cityhall.requests.available import action_refusal, available_actions
from cityhall.requests.events import Actor
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import Action, Status

from ..forms import ActionForm, answers_from
from ..labels import ACTION_DONE
from .common import field_errors, refusal_message, safe_next, staff_page
from .maps import map_context

# Confirming, rating and "me too" are the resident's words about a request, never a staff action.
RESIDENT_ACTIONS = frozenset({Action.CONFIRM, Action.SUPPORT, Action.FEEDBACK})


def offered_actions(service_request: ServiceRequest, actor: Actor) -> list[Action]:
    """Exactly what the domain allows this person now, less the resident's own actions."""
    return [a for a in available_actions(service_request, actor, clock.now()) if a not in RESIDENT_ACTIONS]


@require_safe
@staff_page
def workspace(request: HttpRequest, public_id: str) -> HttpResponse:
    service_request, actor = access.request_for_staff(public_id, user=request.user)
    return _render(request, service_request, actor)


@require_POST
@staff_page
def act(request: HttpRequest, public_id: str) -> HttpResponse:
    """Take one action. Bad input re-renders the page with the reasons; a refusal changes nothing."""
    service_request, actor = access.request_for_staff(public_id, user=request.user)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        action = None
    if action is None or action in RESIDENT_ACTIONS:
        messages.error(request, _("Your role does not allow this action on this request."))
        return _render(request, service_request, actor, status=403)
    refused = action_refusal(service_request, action, actor, clock.now())
    if refused is not None:  # nothing is offered that the domain refuses: a stale page or a forged form
        messages.error(request, refusal_message(refused))
        return _render(request, service_request, actor, status=409 if refused.code == "window" else 403)
    form = ActionForm(request.POST, request.FILES, service_request=service_request, auto_id=f"{action}_%s")
    if form.is_valid():
        try:
            change = _change(form, action, request, service_request)
            services.service_request_transition(
                service_request=service_request, action=action, actor=actor, change=change
            )
        except ValidationFailed as error:
            for field, message in field_errors(error).items():
                form.add_error(field if field in form.fields else None, message)
        except TransitionRefused as error:
            messages.error(request, refusal_message(error))
            return _render(request, service_request, actor, status=409)
        else:
            messages.success(request, ACTION_DONE[action])
            return redirect(safe_next(request, reverse("staff:request", args=[public_id])))
    return _render(request, service_request, actor, failed=(action, form), status=400)


def _change(form: ActionForm, action: Action, request: HttpRequest, service_request: ServiceRequest) -> services.Change:
    data = form.cleaned_data
    parent = None
    if data["duplicate_of"].strip():
        try:
            parent, _actor = access.request_for_staff(data["duplicate_of"].strip().lstrip("#"), user=request.user)
        except NotFound:
            raise ValidationFailed({"duplicate_of": _("There is no request with that number.")}) from None
    return services.Change(
        public_note=data["public_note"],
        internal_note=data["internal_note"],
        reason=data["reason"],
        department=data["department"],
        assignee=data["assignee"],
        crew=data["crew"],
        resolution=data["resolution"],
        referred_to=data["referred_to"],
        referral_url=data["referral_url"],
        duplicate_of=parent,
        service=data["service"],
        attributes=answers_from(request.POST) if action is Action.RECATEGORISE else {},
        photos=list(data["photos"]),
    )


def _render(
    request: HttpRequest,
    service_request: ServiceRequest,
    actor: Actor,
    *,
    failed: tuple[Action, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    service_request.refresh_from_db()  # a refused action may have raced with another person's
    actions = offered_actions(service_request, actor)
    fresh = {"resolution": "fixed"} if service_request.status == Status.IN_PROGRESS else {}
    forms = {
        action: (
            failed[1]
            if failed and failed[0] is action
            else ActionForm(service_request=service_request, auto_id=f"{action}_%s", initial=fresh)
        )
        for action in actions
    }
    recategorise_to = failed[1].cleaned_data.get("service") if failed and failed[0] is Action.RECATEGORISE else None
    context: dict[str, Any] = {
        "sr": service_request,
        "actor": actor,
        "actions": [(action, forms[action]) for action in actions],
        "offered": [action.value for action in actions],
        "next": safe_next(request, ""),
        "failed_action": failed[0].value if failed else "",
        "timeline": selectors.timeline(service_request, include_internal=True),
        "photos": selectors.photos_of(service_request),
        "answers": _answers(service_request),
        "nearby": _nearby(service_request),
        "duplicates": selectors.duplicates_of(service_request),
        "parent": service_request.duplicate_of,
        "question_service": recategorise_to or service_request.service,
        "question_answers": answers_from(request.POST) if recategorise_to else {},
        "live_topic": request_topic(service_request.public_id),
        "device_readings": readings_for_request(service_request),
        **map_context([service_request]),
    }
    return render(request, "staff/workspace.html", context, status=status)


def _answers(service_request: ServiceRequest) -> list[tuple[str, str]]:
    """The answers to the category's questions, as people read them (list choices by their names)."""
    questions = {a.code: a for a in catalogue.questions_of(service_request.service)}
    shown = []
    for code, value in (service_request.attributes or {}).items():
        question = questions.get(code)
        names = {v.key: v.name for v in question.values.all()} if question else {}
        items = value if isinstance(value, list) else [value]
        shown.append((question.description if question else code, ", ".join(names.get(str(i), str(i)) for i in items)))
    return shown


def _nearby(service_request: ServiceRequest) -> list[selectors.Nearby]:
    if service_request.lat is None or service_request.lng is None:
        return []
    found = selectors.nearby_requests(
        service=service_request.service, lat=service_request.lat, lng=service_request.lng, limit=7
    )
    return [item for item in found if item.request.pk != service_request.pk][:6]


@require_safe
@staff_page
def questions(request: HttpRequest) -> HttpResponse:
    """The questions of a category, as form fields: swapped in when a form's category changes."""
    try:
        service = catalogue.service_or_none(int(request.GET.get("service", "")))
    except ValueError:
        service = None
    if service is None:
        return HttpResponse("")
    return render(request, "staff/_questions.html", {"question_service": service, "question_answers": {}})
