"""Template helpers of the staff pages: labels in the reader's language, SLA badges, distances."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.timesince import timeuntil

from cityhall.accounts.roles import Role
from cityhall.applications.access import may_key_paper
from cityhall.applications.models import ApplicationStep, StepStatus
from cityhall.applications.models import Status as ApplicationStatus
from cityhall.applications.workflow import ACTION_LABELS as APPLICATION_ACTIONS
from cityhall.applications.workflow import STATUSES as APPLICATION_STATUSES
from cityhall.applications.workflow import Action as ApplicationAction
from cityhall.catalogue import selectors as catalogue_selectors
from cityhall.core import clock
from cityhall.dashboards.access import may_see_dashboards
from cityhall.geo import geocoding
from cityhall.requests import access
from cityhall.requests.models import Channel, Priority
from cityhall.requests.queues import AT_RISK_SHARE, Sla, sla_state
from cityhall.requests.workflow import RESOLUTIONS, STATUSES, Resolution, Status

from .. import labels

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return str(STATUSES[Status(status)].for_staff) if status in STATUSES else status


@register.filter
def resolution_label(resolution: str) -> str:
    return str(RESOLUTIONS[Resolution(resolution)].label) if resolution in RESOLUTIONS else resolution


@register.filter
def priority_label(priority: int) -> str:
    return str(Priority(priority).label) if priority in Priority.values else str(priority)


@register.filter
def action_label(action: str) -> str:
    return labels.label(labels.ACTION, action)


@register.filter
def event_label(kind: str) -> str:
    return labels.label(labels.EVENT, kind)


@register.filter
def actor_label(role: str) -> str:
    said = labels.label(labels.ACTOR, role)
    return said % {"city": catalogue_selectors.site_name()} if role == Role.SYSTEM else said


@register.filter
def who_acted(event: Any) -> str:
    """Who made a timeline's event (a request's or an application's): the person, else the role they
    acted in, else the city acting by itself, in the reader's language; never the software's name."""
    if event.actor is not None:
        return str(event.actor)  # their name, else their email
    return actor_label(getattr(event, "actor_role", "") or "system")


@register.filter
def channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else channel


@register.inclusion_tag("staff/_sla.html")
def sla_badge(request: object, now: datetime | None = None) -> dict[str, object]:
    """The SLA clock of a request: on time, at risk (75 %), overdue (100 %), paused or none."""
    moment = now or clock.now()
    state = sla_state(request, moment)  # type: ignore[arg-type]
    expected = getattr(request, "expected_at", None)
    return {
        "state": state.value,
        "label": labels.label(labels.SLA, state),
        "expected_at": expected,
        "left": timeuntil(expected, moment) if expected and state in (Sla.OK, Sla.AT_RISK) else "",
        "remaining_seconds": getattr(request, "sla_remaining_seconds", None) if state is Sla.PAUSED else None,
    }


def step_sla_state(step: ApplicationStep, now: datetime) -> Sla:
    """A review step against its due date, by the requests' rule: paused while the applicant is asked."""
    if step.status != StepStatus.OPEN:
        return Sla.DONE
    if step.application.status == ApplicationStatus.INFO_REQUESTED:
        return Sla.PAUSED
    if step.due_at is None or step.opened_at is None:
        return Sla.NONE
    if step.due_at < now:
        return Sla.OVERDUE
    allowed = (step.due_at - step.opened_at).total_seconds()
    return Sla.AT_RISK if (now - step.opened_at).total_seconds() >= AT_RISK_SHARE * allowed else Sla.OK


@register.inclusion_tag("staff/_sla.html")
def step_sla_badge(step: ApplicationStep, now: datetime | None = None) -> dict[str, object]:
    moment = now or clock.now()
    state = step_sla_state(step, moment)
    due = step.due_at if state is not Sla.DONE else None
    return {
        "state": state.value,
        "label": labels.label(labels.SLA, state),
        "expected_at": due,
        "left": timeuntil(due, moment) if due and state in (Sla.OK, Sla.AT_RISK) else "",
    }


@register.filter
def application_status_label(status: str) -> str:
    found = APPLICATION_STATUSES.get(ApplicationStatus(status)) if status in ApplicationStatus.values else None
    return str(found.label) if found else status


@register.filter
def application_action_label(action: str) -> str:
    known = next((item for item in ApplicationAction if item.value == action), None)
    return str(APPLICATION_ACTIONS[known]) if known in APPLICATION_ACTIONS else action


@register.inclusion_tag("staff/_nav.html", takes_context=True)
def staff_nav(context: template.Context) -> dict[str, object]:
    """The staff menu: each person sees the pages of their role."""
    request = context["request"]
    user = request.user
    role = getattr(user, "role", "")
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match else ""
    current = {"triage_request": "triage", "log_for_caller": "new", "supervisor_of": "supervisor",
               "paper_application": "paper"}.get(name, name)  # fmt: skip
    if name == "data_export":
        current = "data"
    if name in ("memo", "memo_new", "memo_act"):
        current = "memos"
    if name in ("departments", "bulk"):
        current = "department"
    if name in ("applications_of", "application", "application_act"):
        current = "applications"
    return {
        "desk": access.may_triage(user),
        "paper": may_key_paper(user),
        # Field crews have no department queue: their list is My work.
        "department_id": None if role == Role.CREW else getattr(user, "department_id", None),
        "queues": role != Role.CREW,
        "supervises": role == Role.SUPERVISOR,
        "dashboards": may_see_dashboards(user),
        "go_number": request.GET.get("number", "")[:32] if name == "go" else "",
        "current": current,
    }


@register.filter
def metres(distance: float | None) -> str:
    if distance is None or distance == float("inf"):
        return ""
    return f"{distance / 1000:.1f} km" if distance >= 1000 else f"{round(distance)} m"


@register.filter
def values_for(answers: object, code: str) -> list[str]:
    """The answers given to one question, as strings (a form re-shown, or the request's stored answers)."""
    if not isinstance(answers, dict):
        return []
    given = answers.get(code)
    if given is None:
        return []
    return [str(item) for item in given] if isinstance(given, list) else [str(given)]


@register.filter
def department_as_read(written: str, jurisdiction_pk: int) -> str:
    """A department named in an event, in the reader's language (whoever acted wrote it in theirs)."""
    return catalogue_selectors.department_name_as_read(jurisdiction_pk, written)


@register.filter
def near_address(request: Any) -> str:
    """A located request without an address, described by its nearest address (“near 1685 Main St”, in the
    reader's language)."""
    if request.lat is None or request.lng is None:
        return ""
    found = geocoding.reverse(request.jurisdiction, request.lat, request.lng)
    return geocoding.as_read(geocoding.describe(found)) if found else ""
