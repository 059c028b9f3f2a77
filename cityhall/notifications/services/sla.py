"""SLA warnings: a periodic sweep finds requests at 75% of their time allowed, and overdue ones.

Cheap at any size: per department, one range scan of the `request_queue` index (department, status,
expected_at) for each threshold, bounded on expected_at, minus the requests already warned (a unique
index on SlaWarning). "75% of the time allowed" is in business time: the request is warned once the
business time left before expected-by is a quarter of its category's SLA hours or less, i.e. once
expected_at <= (now + a quarter of the SLA, in business time) — one moment per distinct SLA length.
Requests on hold are skipped (their clock is stopped; expected_at moves when they resume).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from cityhall.catalogue import policy
from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Jurisdiction
from cityhall.requests import selectors

from ..models import Message, RecipientKind, SlaWarning
from ..recipients import Recipient, staff_member, supervisors_of, unique
from .storing import message_store

Threshold = SlaWarning.Threshold
WARN_AT_FRACTION_LEFT = 0.25  # 75% of the time allowed has gone
# A request that went overdue longer ago than this is history, not news (the first sweep after an
# import or a long outage must not page everyone): the staff digest lists it as overdue.
LOOKBACK = timedelta(days=7)


def sla_warnings_sweep(now: datetime) -> list[SlaWarning]:
    """Record each threshold newly crossed, once per request and threshold; return the new rows."""
    found: list[SlaWarning] = []
    for jurisdiction in catalogue.jurisdictions():
        found += _sweep_jurisdiction(jurisdiction, now)
    if not found:
        return []
    SlaWarning.objects.bulk_create(found, ignore_conflicts=True)  # a racing sweep may have written some
    return list(
        SlaWarning.objects.filter(created_at=now).order_by("pk")  # this sweep's moment: its rows
    )


def _sweep_jurisdiction(jurisdiction: Jurisdiction, now: datetime) -> list[SlaWarning]:
    calendar = policy.calendar_for(jurisdiction)
    by_hours: dict[int, list[int]] = defaultdict(list)
    for service_id, hours in catalogue.sla_hours_by_service(jurisdiction).items():
        by_hours[hours].append(service_id)
    if not by_hours:
        return []
    cutoffs: dict[datetime, list[int]] = defaultdict(list)
    for hours, service_ids in by_hours.items():
        cutoff = calendar.add_business_time(now, timedelta(hours=hours * WARN_AT_FRACTION_LEFT))
        cutoffs[cutoff] += service_ids
    quarter_left = selectors.due_by(cutoffs)
    departments: list[int | None] = [None, *catalogue.department_ids(jurisdiction)]
    found = []
    for department_id in departments:
        queue = selectors.running_in_queue(jurisdiction, department_id)
        nearly_due = (
            queue.filter(expected_at__gt=now, expected_at__lte=max(cutoffs))
            .filter(quarter_left)
            .exclude(_warned(Threshold.WARNING))
        )
        overdue = queue.filter(expected_at__gt=now - LOOKBACK, expected_at__lte=now).exclude(_warned(Threshold.BREACH))
        for threshold, rows in ((Threshold.WARNING, nearly_due), (Threshold.BREACH, overdue)):
            found += [
                SlaWarning(request_id=pk, threshold=threshold, expected_at=expected_at, created_at=now)
                for pk, expected_at in rows.order_by().values_list("pk", "expected_at")
                if expected_at is not None
            ]
    return found


def _warned(threshold: str) -> Exists:
    return Exists(SlaWarning.objects.filter(request_id=OuterRef("pk"), threshold=threshold))


def sla_warnings_plan(warnings: list[SlaWarning]) -> list[Message]:
    """The messages of new warnings: at 75% the assignee (the supervisors when nobody is assigned);
    when overdue, the assignee and the supervisors too (the escalation)."""
    stored: list[Message] = []
    service_requests = selectors.requests_by_ids([warning.request_id for warning in warnings])
    for warning in warnings:
        service_request = service_requests.get(warning.request_id)
        if service_request is None:
            continue
        person = service_request.assignee
        assignee = [staff_member(person, RecipientKind.ASSIGNEE)] if person is not None and person.is_active else []
        if warning.threshold == Threshold.WARNING:
            audience = assignee or supervisors_of(service_request)
        else:
            audience = unique(assignee + supervisors_of(service_request))
        for recipient in audience:
            stored += _store(warning, recipient)
    return stored


def _store(warning: SlaWarning, recipient: Recipient) -> list[Message]:
    with transaction.atomic():
        return message_store(
            scope=f"sla:{warning.pk}",
            template=f"sla_{warning.threshold}",
            recipient=recipient,
            request_id=warning.request_id,
            data={"threshold": warning.threshold},
        )
