"""A daily digest's words: a resident's held messages (each rendered as a line), or a member of
staff's open and overdue work, read when it is sent so it is current."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from cityhall.accounts.models import Role
from cityhall.accounts.selectors import person
from cityhall.requests import selectors
from cityhall.requests.models import ServiceRequest

from .. import links
from ..models import Message
from .frame import Rendered, city_zone, footer_context, render_with
from .request_message import render_request_message

DIGEST_TEMPLATES = frozenset({"digest", "staff_digest"})
# A digest lists this many items in full; past that, it says how many more there are.
DIGEST_ITEMS = 30


def render_digest(message: Message) -> Rendered:
    context = digest_context(message)
    return render_with(message, context, context["timezone"])


def digest_context(message: Message) -> dict[str, Any]:
    """What a digest says, read when it is sent."""
    zone = city_zone()
    context = {**footer_context(message), "timezone": zone, "day": date.fromisoformat(message.data["day"])}
    if message.template == "staff_digest":
        return {**context, **_staff_work(message)}
    items = []
    # The city fetched once for all items, not joined: its boundary would be decoded again for each.
    carried_items = (
        message.carried.select_related("request__service", "event")
        .prefetch_related("request__jurisdiction")
        .order_by("created_at", "pk")
    )
    for carried in carried_items[:DIGEST_ITEMS]:
        if carried.request is None:
            continue
        content = render_request_message(carried)
        items.append({"subject": content.subject, "link": links.request_link(carried.request, with_token=False)})
    return {
        **context,
        "items": items,
        "more": max(message.carried.count() - DIGEST_ITEMS, 0),
        "link": links.absolute("/my-requests"),
    }


def _staff_work(message: Message) -> dict[str, Any]:
    user = person(message.data["user_id"])
    now = message.claimed_at or message.created_at
    mine = selectors.open_work_of(user)
    supervises = user.role == Role.SUPERVISOR and user.department_id
    queue_overdue = selectors.overdue_in_department(user.department_id if supervises else None, now)

    def rows(service_requests: QuerySet[ServiceRequest]) -> list[dict[str, Any]]:
        return [
            {
                "request": service_request,
                "link": links.staff_request_link(service_request),
                "overdue": selectors.is_overdue(service_request, now),
            }
            for service_request in service_requests[:DIGEST_ITEMS]
        ]

    return {
        "mine": rows(mine),
        "mine_count": mine.count(),
        "mine_overdue_count": selectors.overdue_work_of(user, now).count(),
        "queue_overdue": rows(queue_overdue),
        "queue_overdue_count": queue_overdue.count(),
        "link": links.absolute("/staff/"),
        "is_staff": True,
    }
