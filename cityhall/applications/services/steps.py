"""An application's review steps: created from its version's snapshot, opened a stage at a time.

Due dates are business time on the city's calendar (the one the requests' SLAs use,
`catalogue.policy.calendar_for`): a step of N business days is due after N average opening days of
business time, so pausing and resuming (the applicant's answer) move it by exactly the time paused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from cityhall.catalogue.models import Jurisdiction
from cityhall.catalogue.policy import calendar_for
from cityhall.catalogue.selectors import site_city
from cityhall.core.business_time import BusinessCalendar

from .. import schema
from ..events import EventDraft
from ..models import Application, ApplicationEvent, ApplicationStep, DigitalService, StepStatus

_MIDNIGHT_DAY = timedelta(days=1)


def jurisdiction_of(service: DigitalService) -> Jurisdiction | None:
    return service.department.jurisdiction if service.department else site_city()


def calendar_of(application: Application) -> BusinessCalendar | None:
    jurisdiction = jurisdiction_of(application.service)
    return calendar_for(jurisdiction) if jurisdiction is not None else None


def business_day(calendar: BusinessCalendar) -> timedelta:
    """One business day of this calendar: its open days' average length (a 24/7 calendar: 24 hours)."""
    lengths = []
    for opening, closing in calendar.hours.values():
        start = timedelta(hours=opening.hour, minutes=opening.minute, seconds=opening.second)
        end = timedelta(hours=closing.hour, minutes=closing.minute, seconds=closing.second) or _MIDNIGHT_DAY
        lengths.append(end - start)
    return sum(lengths, timedelta()) / len(lengths) if lengths else _MIDNIGHT_DAY


def due_after(calendar: BusinessCalendar | None, start: datetime, business_days: int) -> datetime:
    if calendar is None:
        return start + business_days * _MIDNIGHT_DAY
    return calendar.add_business_time(start, business_days * business_day(calendar))


def steps_create(application: Application) -> list[ApplicationStep]:
    """One step per step of the application's version (none for a version without a workflow), all waiting."""
    specs = schema.steps_of(application.form_version.schema)
    return ApplicationStep.objects.bulk_create(
        ApplicationStep(
            application=application,
            position=position,
            stage=spec.stage,
            name=spec.name,
            instructions=spec.instructions,
            department_id=spec.department_id,
            role=spec.role,
            sla_business_days=spec.sla_business_days,
        )
        for position, spec in enumerate(specs)
    )


def stage_open(application: Application, steps: Sequence[ApplicationStep], now: datetime) -> list[EventDraft]:
    """Opens the earliest stage still waiting among `steps`; its events (none when nothing waits)."""
    waiting = [step for step in steps if step.status == StepStatus.WAITING]
    if not waiting:
        return []
    stage = min(step.stage for step in waiting)
    calendar = calendar_of(application)
    drafts = []
    for step in waiting:
        if step.stage != stage:
            continue
        step.status = StepStatus.OPEN
        step.opened_at = now
        step.due_at = due_after(calendar, now, step.sla_business_days)
        step.save(update_fields=["status", "opened_at", "due_at"])
        drafts.append(
            EventDraft(ApplicationEvent.Kind.STEP_OPENED, step=step, data={"due_at": step.due_at.isoformat()})
        )
    return drafts
