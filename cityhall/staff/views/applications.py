"""The approvers' side of digital services: a department's queue of review steps, and one application's file.

Every page goes through the applications domain's doors (`applications.access`): an application a
person may not see is a 404. What a page offers is `available.available_actions`, and a post calls the
review services, which ask `action_refusal` again: a refusal re-renders the page with its words and
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from cityhall.accounts.roles import Role
from cityhall.applications import access as applications_access
from cityhall.applications import bounds, selectors, services
from cityhall.applications.available import action_refusal, available_actions
from cityhall.applications.events import Actor
from cityhall.applications.models import Application, ApplicationStep
from cityhall.applications.problems import Problem
from cityhall.applications.workflow import STEP_ACTIONS, Action
from cityhall.catalogue import selectors as catalogue
from cityhall.core import clock
from cityhall.core.errors import NotFound, TransitionRefused, ValidationFailed
from cityhall.core.storage import stored_file_response
from cityhall.live.topics import application_topic, applications_queue_topic
from cityhall.requests import access
from cityhall.requests.queues import PAGE_SIZE

from ..application_answers import answered_sections
from ..labels import APPLICATION_DONE
from ..numbers import int_or_none
from .common import staff_page
from .queues import offset_of, paging

# The words each action takes, by the name the review services report an error under.
ACTION_FIELDS = {
    Action.APPROVE_WITH_CONDITIONS: "conditions",
    Action.DENY: "reason",
    Action.ASK_INFO: "question",
    Action.NOTE: "note",
}


@require_safe
@staff_page
def queue(request: HttpRequest, department_id: int | None = None) -> HttpResponse:
    """A department's open review steps; the desk and admins first pick a department."""
    user: Any = request.user
    if department_id is None and user.department_id is None and user.role != Role.CREW:
        return render(request, "staff/applications_departments.html", {"departments": catalogue.departments()})
    department = access.department_for_staff(department_id, user=user)
    now = clock.now()
    service_id = int_or_none(request.GET.get("service"))
    overdue_only = request.GET.get("overdue") == "1"
    rows, total = selectors.steps_open_page(
        department, now, service_id=service_id, overdue_only=overdue_only, offset=offset_of(request), limit=PAGE_SIZE
    )
    context = {
        "department": department,
        "rows": rows,
        "page": {"total": total},
        "services": selectors.services_reviewed_by(department),
        "service_id": service_id,
        "overdue_only": overdue_only,
        "live_topic": applications_queue_topic(department.pk),
        **paging(request, len(rows), total),
    }
    return render(request, "staff/applications_queue.html", context)


def _door(request: HttpRequest, reference: str) -> tuple[Application, Actor]:
    try:
        return applications_access.application_for_staff(request.user, reference)
    except NotFound:
        raise Http404 from None


@require_safe
@staff_page
def application(request: HttpRequest, reference: str) -> HttpResponse:
    found, actor = _door(request, reference)
    return _render(request, found, actor)


@dataclass
class Failed:
    """The action that was refused or whose words did not pass, to re-render with its errors."""

    action: Action
    step_id: int | None
    errors: dict[str, str] = field(default_factory=dict)
    text: str = ""


@require_POST
@staff_page
def act(request: HttpRequest, reference: str) -> HttpResponse:
    """Take one action on the application or one of its steps; nothing is written unless it all passes."""
    found, actor = _door(request, reference)
    posted = request.POST.get("action", "")
    action = next((known for known in Action if known.value == posted), None)
    if action is None or action not in (*STEP_ACTIONS, Action.NOTE):
        messages.error(request, str(Problem.FORBIDDEN.label))  # the refusal the domain gives, in its words
        return _render(request, found, actor, status=403)
    step = _step(found, request.POST.get("step")) if action in STEP_ACTIONS else None
    words = request.POST.get(ACTION_FIELDS.get(action, ""), "")
    failed = Failed(action, step.pk if step else None, text=words)
    now = clock.now()
    refused = action_refusal(found, action, actor, now, step=step)
    if refused is not None:
        return _refused(request, found, actor, failed, refused)
    try:
        if action is Action.NOTE:
            services.application_note(found, actor=actor, note=words, now=now)
        else:
            assert step is not None  # the refusal says "no step" otherwise
            services.application_step_decide(found, step, action=action, actor=actor, now=now, **_words(action, words))
    except ValidationFailed as error:
        failed.errors = {name: str(message) for name, message in error.translated_errors.items()}
        return _render(request, found, actor, failed=failed, status=400)
    except TransitionRefused as error:  # someone else acted first
        return _refused(request, found, actor, failed, error)
    messages.success(request, str(APPLICATION_DONE[action]))
    return redirect("staff:application", reference=reference)


def _words(action: Action, text: str) -> dict[str, str]:
    name = ACTION_FIELDS.get(action)
    return {name: text} if name else {}


def _step(found: Application, posted: str | None) -> ApplicationStep | None:
    wanted = int_or_none(posted)
    return next((step for step in selectors.steps_of(found) if step.pk == wanted), None)


def _refused(
    request: HttpRequest, found: Application, actor: Actor, failed: Failed, refused: TransitionRefused
) -> HttpResponse:
    failed.errors = {"action": str(refused.translated)}
    status = 403 if refused.code in ("forbidden", "no_second_factor") else 409
    return _render(request, found, actor, failed=failed, status=status)


@dataclass(frozen=True)
class StepView:
    """One review step as the page shows it: its facts, what this person may do on it, and why not."""

    step: ApplicationStep
    label: str
    instructions: str
    actions: list[Action]
    blocked: str  # why this step's owner cannot decide it (no second factor), else ""


def _steps(found: Application, actor: Actor) -> list[StepView]:
    now = clock.now()
    language = (get_language() or "en").split("-")[0]
    shown = []
    for step in selectors.steps_of(found):
        actions = available_actions(found, actor, now, step=step)
        refusal = action_refusal(found, Action.APPROVE, actor, now, step=step)
        blocked = str(refusal.translated) if refusal is not None and refusal.code == "no_second_factor" else ""
        instructions: dict[str, str] = step.instructions or {}
        shown.append(
            StepView(step, step.label(), instructions.get(language) or instructions.get("en", ""), actions, blocked)
        )
    return shown


def _render(
    request: HttpRequest, found: Application, actor: Actor, *, failed: Failed | None = None, status: int = 200
) -> HttpResponse:
    found.refresh_from_db()  # a refused action may have raced with another person's
    steps = _steps(found, actor)
    context = {
        "application": found,
        "signature": getattr(found, "signature", None),
        "sections": answered_sections(found),
        "steps": steps,
        "notes": Action.NOTE in available_actions(found, actor, clock.now()),
        "has_actions": any(view.actions for view in steps),
        "max_text": bounds.MAX_DECISION_TEXT,
        "blocked": next((view.blocked for view in steps if view.blocked), ""),
        "timeline": selectors.application_timeline(found, internal=True),
        "failed": failed,
        "error_links": _error_links(failed),
        "live_topic": application_topic(found.reference),
    }
    response = render(request, "staff/application.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


def form_id(action: str, step_id: int | None) -> str:
    """The id of an action's form on the page; its text box is `<form id>-text`, an error `<…>-error`."""
    return f"{action}-{step_id or 'application'}"


def _error_links(failed: Failed | None) -> list[tuple[str, str]]:
    """The error summary: a text box's error links to its box; a refusal has no field to link to."""
    if failed is None:
        return []
    form = form_id(failed.action, failed.step_id)
    box = ACTION_FIELDS.get(failed.action)
    return [(f"{form}-text" if name == box else "", text) for name, text in failed.errors.items()]


@require_safe
@staff_page
def application_file(request: HttpRequest, reference: str, file_id: str) -> HttpResponseBase:
    """A supporting document, to staff who may see its application; streamed as a download."""
    try:
        stored = applications_access.file_for_staff(request.user, reference, file_id)
        response = stored_file_response(
            stored.file.name, content_type=stored.content_type, as_attachment=True, filename=stored.name
        )
    except (NotFound, FileNotFoundError):
        raise Http404 from None
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
