"""Daily digests: a resident's held messages in one, and each staff member's open and overdue work.

The digest of day D goes out at CITYHALL_DIGEST_HOUR on D, in the city's time zone (the first
jurisdiction's), and carries what was held before then. One per person and day: its idempotency key
names the day, so a second run of the task finds it instead of making another.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction

from cityhall.accounts.models import Role
from cityhall.accounts.selectors import active_staff
from cityhall.requests import selectors

from ..models import Channel, Message, MessageStatus, Preference, RecipientKind
from ..recipients import Recipient, staff_member
from ..rendering.frame import city_zone
from .storing import message_store


@dataclass(frozen=True)
class DigestDay:
    day: date
    cut: datetime  # the moment the day's digest is due; what was held before it goes in
    zone: zoneinfo.ZoneInfo


def digest_day(now: datetime) -> DigestDay:
    """The latest digest due at `now`: today's once the hour has come, else yesterday's."""
    zone = city_zone()
    local = now.astimezone(zone)
    day = local.date() if local.hour >= settings.CITYHALL_DIGEST_HOUR else local.date() - timedelta(days=1)
    cut = datetime.combine(day, time(settings.CITYHALL_DIGEST_HOUR), tzinfo=zone)
    return DigestDay(day, cut, zone)


def resident_digests_make(now: datetime) -> list[Message]:
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
            (digest,) = message_store(
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


def staff_digests_make(now: datetime) -> list[Message]:
    """One summary per member of staff with open work (their own, or overdue in the queue they supervise)."""
    due = digest_day(now)
    assigned = selectors.open_count_by_assignee()
    overdue_by_department = selectors.overdue_count_by_department(now)
    opted_out = set(Preference.objects.filter(staff_digest=False).values_list("user_id", flat=True))
    people = active_staff(excluding=opted_out)
    made = []
    for user in people:
        supervises = (
            user.role == Role.SUPERVISOR
            and user.department_id is not None
            and overdue_by_department.get(user.department_id, 0) > 0
        )
        if not assigned.get(user.pk) and not supervises:
            continue
        recipient = staff_member(user, RecipientKind.STAFF)
        made += message_store(
            scope=f"staff-digest:{due.day.isoformat()}",
            template="staff_digest",
            recipient=recipient,
            data={"day": due.day.isoformat(), "user_id": user.pk},
        )
    return made
