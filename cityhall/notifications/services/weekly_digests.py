"""The supervisors' weekly digest: their department's last week in figures, once per person and week.

A week runs Monday to Sunday in the city's time zone (the first jurisdiction's, as for the daily
digests); its digest is due on the Monday after, at CITYHALL_DIGEST_HOUR. The figures are the
dashboards' (`cityhall.dashboards.weekly`), read when the message is sent. The idempotency key names
the week's Monday, so a second run of the task, or of `cityhall weekly-digests`, finds the first
run's row and sends nothing more. A week with nothing to tell (no request received, closed or rated
in it or the week before, nothing open) is stored as skipped, with the reason.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from cityhall.accounts.models import Role, User
from cityhall.accounts.selectors import active_supervisors
from cityhall.dashboards import weekly

from ..models import Message, MessageStatus, Preference, RecipientKind
from ..recipients import staff_member
from ..rendering.frame import city_zone
from .storing import idempotency_key, message_store

TEMPLATE = "weekly_digest"
QUIET = "Nothing happened in the department that week or the week before, and nothing is open."


def is_supervisor(user: User) -> bool:
    """Who gets the weekly digest: a supervisor of a department (the department heads of the roles model)."""
    return user.role == Role.SUPERVISOR and user.department_id is not None


def due_week(now: datetime) -> date:
    """The Monday of the latest week whose digest is due at `now`: last week's once Monday's hour has come."""
    zone = city_zone()
    local = now.astimezone(zone)
    this_monday = weekly.week_start(local.date())
    due = datetime.combine(this_monday, time(settings.CITYHALL_DIGEST_HOUR), tzinfo=zone)
    return this_monday - timedelta(days=7 if local >= due else 14)


def weekly_digests_make(now: datetime, *, monday: date | None = None) -> list[Message]:
    """One digest per supervisor who has not turned it off, for the week due at `now` (or the week of `monday`)."""
    monday = weekly.week_start(monday) if monday is not None else due_week(now)
    scope = f"weekly-digest:{monday.isoformat()}"
    opted_out = set(Preference.objects.filter(weekly_digest=False).values_list("user_id", flat=True))
    today = now.astimezone(city_zone()).date()
    quiet: dict[int, bool] = {}
    made = []
    for user in active_supervisors(excluding=opted_out):
        recipient = staff_member(user, RecipientKind.SUPERVISOR)
        stored = Message.objects.filter(idempotency_key=idempotency_key(scope, TEMPLATE, recipient)).first()
        if stored is not None:  # an earlier run's: left to it (or to the pick-up of stranded rows)
            made.append(stored)
            continue
        department = user.department
        assert department is not None  # active_supervisors: each has one
        if department.pk not in quiet:
            quiet[department.pk] = weekly.week(department, monday, now, today).is_quiet
        data: dict[str, Any] = {"week": monday.isoformat(), "user_id": user.pk, "department_id": department.pk}
        with transaction.atomic():
            (message,) = message_store(scope=scope, template=TEMPLATE, recipient=recipient, data=data)
            if quiet[department.pk]:
                Message.objects.filter(pk=message.pk, status=MessageStatus.PENDING, attempts=0).update(
                    status=MessageStatus.SKIPPED, last_error=QUIET
                )
                message.refresh_from_db()
        made.append(message)
    return made
