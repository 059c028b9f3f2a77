"""Bulk assign and bulk status change from a department queue or the supervisor's board."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cityhall.accounts.selectors import assignable_people
from cityhall.catalogue.selectors import assignable_crews
from cityhall.requests import access, services
from cityhall.requests.workflow import Action, Resolution

from ..forms import parse_assignee
from .common import safe_next, staff_page

BULK_ACTIONS = (Action.ASSIGN, Action.START, Action.HOLD, Action.RESUME, Action.RESOLVE)


@require_POST
@staff_page
def bulk(request: HttpRequest, department_id: int) -> HttpResponse:
    """The same action on every ticked request; each is checked on its own and refusals are listed."""
    dept = access.department_for_staff(department_id, user=request.user)
    back = safe_next(request, reverse("staff:department", args=[dept.pk]))
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        action = None
    picked = request.POST.getlist("requests")
    if action not in BULK_ACTIONS or not picked:
        messages.error(request, _("Tick at least one request and choose an action."))
        return redirect(back)
    targets = [
        (row, actor)
        for row, actor in access.requests_for_staff(picked, user=request.user)
        if row.department_id == dept.pk
    ]
    assignee = crew = None
    if action is Action.ASSIGN:
        assignee, crew = parse_assignee(
            request.POST.get("assignee", ""), assignable_people(dept.pk), assignable_crews(dept.pk)
        )
        if assignee is None and crew is None:
            messages.error(request, _("Choose who to assign the requests to."))
            return redirect(back)
    resolution = request.POST.get("resolution", "")
    change = services.Change(
        assignee=assignee,
        crew=crew,
        # Not cut to fit: the service refuses an over-long note, and the refusal is listed per request.
        reason=request.POST.get("reason", ""),
        public_note=request.POST.get("public_note", ""),
        resolution=Resolution(resolution) if resolution in {r.value for r in Resolution} else None,
    )
    result = services.service_requests_bulk(targets=targets, action=action, change=change)
    _report(request, result, missing=len(set(picked)) - len(targets))
    return redirect(back)


def _report(request: HttpRequest, result: services.BulkResult, *, missing: int) -> None:
    if result.done:
        count = len(result.done)
        messages.success(request, ngettext("%(n)d request changed.", "%(n)d requests changed.", count) % {"n": count})
    for row, reason in result.refused:
        messages.error(request, _("#%(id)s not changed: %(reason)s") % {"id": row.public_id, "reason": _(reason)})
    if missing > 0:
        messages.error(
            request,
            ngettext(
                "%(n)d request is not in this queue and was left alone.",
                "%(n)d requests are not in this queue and were left alone.",
                missing,
            )
            % {"n": missing},
        )
