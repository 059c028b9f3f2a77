"""Queues: where each role starts, the triage list, department queues (list and map), my work, the SLA board."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from cityhall.accounts.roles import Role
from cityhall.accounts.selectors import assignable_people
from cityhall.applications import selectors as applications
from cityhall.catalogue import selectors as catalogue
from cityhall.core import clock
from cityhall.core.map_tiles import tiles_url
from cityhall.live.topics import applications_queue_topic, department_topic, triage_topic
from cityhall.requests import access, queues
from cityhall.requests.bounds import BOUNDS, MAX_TEXT
from cityhall.requests.workflow import Status

from ..numbers import assignee_ids, int_or_none, typed_request_number
from .common import staff_page
from .maps import map_context, point


@require_safe
@staff_page
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own work: the desk on triage, departments on their queue, crews on their list."""
    user: Any = request.user
    if access.may_triage(user):
        return redirect("staff:triage")
    if user.role == Role.CREW:
        return redirect("staff:my_work")
    if user.department_id is None:
        return redirect("staff:departments")
    return redirect("staff:department", department_id=user.department_id)


@require_safe
@staff_page
def triage(request: HttpRequest) -> HttpResponse:
    access.triage_desk(request.user)
    number = typed_request_number(request.GET.get("number"))
    page = queues.triage_queue_page(offset=offset_of(request), number=number)
    return render(
        request,
        "staff/triage_queue.html",
        {"page": page, "number": number, "live_topic": triage_topic(), **paging(request, len(page.rows), page.total)},
    )


@require_safe
@staff_page
def departments(request: HttpRequest) -> HttpResponse:
    """The desk and admins pick a department's queue; department people go straight to theirs."""
    user: Any = request.user
    if user.role == Role.CREW:
        return redirect("staff:my_work")  # crews have no queue but their own
    if user.department_id is not None:
        return redirect("staff:department", department_id=user.department_id)
    context = {"departments": catalogue.departments(), "sla_boards": user.role == Role.ADMIN}
    return render(request, "staff/departments.html", context)


def queue_filter(request: HttpRequest) -> queues.QueueFilter:
    statuses = tuple(Status(s) for s in request.GET.getlist("status") if s in queues.DEPARTMENT_STATUSES)
    assignee = request.GET.get("assignee", "")
    person_id, crew_id = assignee_ids(assignee)
    sla = request.GET.get("sla", "")
    return queues.QueueFilter(
        statuses=statuses,
        service_id=int_or_none(request.GET.get("service")),
        zone_id=int_or_none(request.GET.get("zone")),
        assignee_id=person_id,
        crew_id=crew_id,
        unassigned=assignee == "none",
        sla=queues.Sla(sla) if sla in (queues.Sla.AT_RISK, queues.Sla.OVERDUE) else None,
        number=typed_request_number(request.GET.get("number")),
    )


@require_safe
@staff_page
def department(request: HttpRequest, department_id: int) -> HttpResponse:
    dept = access.department_for_staff(department_id, user=request.user)
    where = queue_filter(request)
    as_map = request.GET.get("view") == "map"
    context: dict[str, Any] = {
        "department": dept,
        "where": where,
        "as_map": as_map,
        "services": catalogue.active_services_of(dept.jurisdiction_id).filter(default_department=dept),
        "zones": catalogue.zones_of(dept.jurisdiction_id).only("pk", "name"),
        "people": assignable_people(dept.pk),
        "crews": catalogue.assignable_crews(dept.pk),
        "statuses": list(queues.DEPARTMENT_STATUSES),
        "live_topic": department_topic(dept.pk),
        "filter_query": _query_without(request, "view", "offset"),
        "map_tiles": tiles_url(),
        "max_reason": BOUNDS["reason"].max_length,
        "max_text": MAX_TEXT,
    }
    if as_map:
        rows = queues.department_map_points(dept, where)
        context["map_points"] = [
            point(r["public_id"], r["lat"], r["lng"], f"#{r['public_id']} {r['category']}", r["status"]) for r in rows
        ]
        context["page"] = queues.department_queue_page(dept, where, limit=0)
    else:
        context["page"] = queues.department_queue_page(dept, where, offset=offset_of(request))
        context.update(paging(request, len(context["page"].rows), context["page"].total))
    return render(request, "staff/department_queue.html", context)


@require_safe
@staff_page
def my_work(request: HttpRequest) -> HttpResponse:
    """A crew member's list on the phone: nearest first once the phone says where it is, else by due date."""
    near = None
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            near = (lat, lng)
    except (KeyError, ValueError):
        pass
    number = typed_request_number(request.GET.get("number"))
    rows = queues.my_work(request.user, near=near, number=number)  # type: ignore[arg-type]
    # The same requests on a small map above the cards: where the day's jobs lie, at a glance.
    return render(request, "staff/my_work.html", {"rows": rows, "near": near, "number": number, **map_context(rows)})


@require_safe
@staff_page
def supervisor(request: HttpRequest, department_id: int | None = None) -> HttpResponse:
    dept = access.department_for_supervisor(department_id, user=request.user)
    board = queues.sla_board(dept)
    overdue_steps = applications.steps_overdue(clock.now(), department=dept, limit=queues.PAGE_SIZE)
    return render(
        request,
        "staff/supervisor.html",
        {
            "department": dept,
            "board": board,
            "people": assignable_people(dept.pk),
            "crews": catalogue.assignable_crews(dept.pk),
            "overdue_steps": overdue_steps,
            "live_topic": department_topic(dept.pk),
            # Its overdue application reviews follow the applications' events, a stream of their own.
            "applications_topic": applications_queue_topic(dept.pk),
        },
    )


def offset_of(request: HttpRequest) -> int:
    return max(0, int_or_none(request.GET.get("offset")) or 0)


def paging(request: HttpRequest, shown: int, total: int) -> dict[str, Any]:
    """The links and figures of `_paging.html` for a page of `shown` rows out of `total`."""
    offset = offset_of(request)
    base = _query_without(request, "offset")
    joiner = "&" if base else ""
    more = offset + shown < total
    return {
        "next_url": f"?{base}{joiner}offset={offset + queues.PAGE_SIZE}" if more else "",
        "previous_url": f"?{base}{joiner}offset={max(0, offset - queues.PAGE_SIZE)}" if offset else "",
        "first_shown": offset + 1 if shown else 0,
        "last_shown": offset + shown,
    }


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
