"""Daily digests: a resident's held messages in one, and each staff member's open and overdue work.

The digest of day D goes out at CITYHALL_DIGEST_HOUR on D, in the city's time zone (the first
jurisdiction's), and carries what was held before then. One per person and day: its idempotency key
names the day, so a second run of the task finds it instead of making another.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F

from cityhall.accounts.models import STAFF_ROLES, Role, User
from cityhall.catalogue.models import Jurisdiction
from cityhall.requests.models import ServiceRequest
from cityhall.requests.workflow import OPEN, Status

from . import links, rendering
from .models import Channel, Message, MessageStatus, Preference, RecipientKind
from .recipients import Recipient, staff_member
from .storing import store

# A digest lists this many items in full; past that, it says how many more there are.
DIGEST_ITEMS = 30
# Overdue work excludes requests on hold: their clock is stopped.
RUNNING = [status for status in OPEN if status != Status.ON_HOLD]


@dataclass(frozen=True)
class DigestDay:
    day: date
    cut: datetime  # the moment the day's digest is due; what was held before it goes in
    zone: zoneinfo.ZoneInfo


def city_zone() -> zoneinfo.ZoneInfo:
    name = Jurisdiction.objects.order_by("pk").values_list("timezone", flat=True).first()
    return rendering.zone_named(name or settings.TIME_ZONE)


def digest_day(now: datetime) -> DigestDay:
    """The latest digest due at `now`: today's once the hour has come, else yesterday's."""
    zone = city_zone()
    local = now.astimezone(zone)
    day = local.date() if local.hour >= settings.CITYHALL_DIGEST_HOUR else local.date() - timedelta(days=1)
    cut = datetime.combine(day, time(settings.CITYHALL_DIGEST_HOUR), tzinfo=zone)
    return DigestDay(day, cut, zone)


def make_resident_digests(now: datetime) -> list[Message]:
    """One digest per address with held messages, each carrying them; nothing new on a second run."""
    due = digest_day(now)
    held = Message.objects.filter(status=MessageStatus.HELD, digest__isnull=True, created_at__lt=due.cut)
    made = []
    for channel, address in held.values_list("channel", "address").distinct().order_by("channel", "address"):
        latest = held.filter(channel=channel, address=address).order_by("-created_at", "-pk").first()
        if latest is None:
            continue
        # The person behind the address, as their newest held message knew them.
        recipient = Recipient(RecipientKind.RESIDENT, Channel(channel), address, latest.language)
        with transaction.atomic():
            (digest,) = store(
                scope=f"digest:{due.day.isoformat()}",
                template="digest",
                recipient=recipient,
                data={"day": due.day.isoformat()},
            )
            carried = held.filter(channel=channel, address=address, digest__isnull=True)
            if digest.status != MessageStatus.SKIPPED and digest.attempts == 0:
                carried.update(digest=digest)
            else:  # unsubscribed since: the held messages will not go either
                carried.update(status=MessageStatus.SKIPPED, last_error=digest.last_error, digest=digest)
        made.append(digest)
    return made


def make_staff_digests(now: datetime) -> list[Message]:
    """One summary per member of staff with open work (their own, or overdue in the queue they supervise)."""
    due = digest_day(now)
    assigned = dict(
        ServiceRequest.objects.filter(status__in=OPEN, assignee__isnull=False)
        .values_list("assignee")
        .annotate(n=Count("pk"))
        .order_by()
    )
    overdue_by_department = dict(
        ServiceRequest.objects.filter(status__in=RUNNING, department__isnull=False, expected_at__lt=now)
        .values_list("department")
        .annotate(n=Count("pk"))
        .order_by()
    )
    opted_out = set(Preference.objects.filter(staff_digest=False).values_list("user_id", flat=True))
    people = User.objects.filter(is_active=True, role__in=STAFF_ROLES).exclude(pk__in=opted_out).order_by("pk")
    made = []
    for user in people:
        supervises = user.role == Role.SUPERVISOR and overdue_by_department.get(user.department_id, 0) > 0
        if not assigned.get(user.pk) and not supervises:
            continue
        recipient = staff_member(user, RecipientKind.STAFF)
        made += store(
            scope=f"staff-digest:{due.day.isoformat()}",
            template="staff_digest",
            recipient=recipient,
            data={"day": due.day.isoformat(), "user_id": user.pk},
        )
    return made


def digest_context(message: Message) -> dict[str, Any]:
    """What a digest says, read when it is sent."""
    zone = city_zone()
    context = {**rendering.footer_context(message), "timezone": zone, "day": date.fromisoformat(message.data["day"])}
    if message.template == "staff_digest":
        return {**context, **_staff_work(message)}
    items = []
    for carried in message.carried.select_related("request__service", "request__jurisdiction", "event").order_by(
        "created_at", "pk"
    )[:DIGEST_ITEMS]:
        if carried.request is None:
            continue
        content = rendering.render(carried)
        items.append({"subject": content.subject, "link": links.request_link(carried.request, with_token=False)})
    return {
        **context,
        "items": items,
        "more": max(message.carried.count() - DIGEST_ITEMS, 0),
        "link": links.absolute("/my-requests"),
    }


def _staff_work(message: Message) -> dict[str, Any]:
    user = User.objects.get(pk=message.data["user_id"])
    now = message.claimed_at or message.created_at
    mine = ServiceRequest.objects.filter(assignee=user, status__in=OPEN).select_related("service")
    mine = mine.order_by(F("expected_at").asc(nulls_last=True), "requested_at")
    overdue_mine = mine.filter(status__in=RUNNING, expected_at__lt=now)
    queue_overdue = ServiceRequest.objects.none()
    if user.role == Role.SUPERVISOR and user.department_id:
        queue_overdue = (
            ServiceRequest.objects.filter(department_id=user.department_id, status__in=RUNNING, expected_at__lt=now)
            .select_related("service", "assignee")
            .order_by("expected_at")
        )

    def rows(requests: Any) -> list[dict[str, Any]]:
        return [
            {
                "request": request,
                "link": links.staff_request_link(request),
                "overdue": bool(request.expected_at and request.expected_at < now and request.status != Status.ON_HOLD),
            }
            for request in requests[:DIGEST_ITEMS]
        ]

    return {
        "mine": rows(mine),
        "mine_count": mine.count(),
        "mine_overdue_count": overdue_mine.count(),
        "queue_overdue": rows(queue_overdue),
        "queue_overdue_count": queue_overdue.count(),
        "link": links.absolute("/staff/"),
        "is_staff": True,
    }
