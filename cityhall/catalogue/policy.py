"""Reading city policy: which department gets a request, and when it is expected to be done."""

from __future__ import annotations

from datetime import datetime, timedelta

from cityhall.core.business_time import BusinessCalendar
from cityhall.core.ttl_cache import TtlCache

from .models import Department, Jurisdiction, RoutingRule, Service, Zone

_calendars: dict[tuple[int, datetime], BusinessCalendar] = {}
_routing: TtlCache[dict[tuple[int, int], Department]] = TtlCache(seconds=10)


def calendar_for(jurisdiction: Jurisdiction) -> BusinessCalendar:
    """The jurisdiction's business calendar, built once per version of its row."""
    key = (jurisdiction.pk, jurisdiction.updated_at)
    calendar = _calendars.get(key)
    if calendar is None:
        calendar = BusinessCalendar.from_config(
            jurisdiction.timezone, jurisdiction.business_hours, jurisdiction.holidays
        )
        _calendars.clear()  # one live version per process is plenty; old ones are never asked for again
        _calendars[key] = calendar
    return calendar


def department_for(service: Service, zone: Zone | None) -> Department | None:
    """A routing rule for (service, zone) wins; then the service's default; None means the 311 triage queue."""
    if zone is not None:
        rules = _routing.get(service.jurisdiction_id, lambda: _routing_table(service.jurisdiction_id))
        department = rules.get((service.pk, zone.pk))
        if department is not None:
            return department
    return service.default_department


def _routing_table(jurisdiction_pk: int) -> dict[tuple[int, int], Department]:
    """Every routing rule of a jurisdiction, by (service, zone): a few hundred rows at most."""
    rules = RoutingRule.objects.filter(service__jurisdiction_id=jurisdiction_pk).select_related("department").order_by()
    return {(rule.service_id, rule.zone_id): rule.department for rule in rules}


def expected_by(jurisdiction: Jurisdiction, service: Service, start: datetime) -> datetime | None:
    if not service.sla_hours:
        return None
    return calendar_for(jurisdiction).add_business_time(start, timedelta(hours=service.sla_hours))


def expected_by_each(jurisdiction: Jurisdiction, service: Service, starts: list[datetime]) -> list[datetime | None]:
    """`expected_by` of each start, at once (an import's batch)."""
    if not service.sla_hours:
        return [None] * len(starts)
    return list(calendar_for(jurisdiction).add_business_time_to_each(starts, timedelta(hours=service.sla_hours)))
