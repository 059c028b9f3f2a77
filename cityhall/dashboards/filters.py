"""The one place a dashboard's filters are read and checked: period, department, service, group, zone, channel.

Anything unknown, reversed or absurd is refused with a message naming it (FilterError), in the
reader's language; nothing is guessed. Whether the person may see what they asked for is
access.py's question, asked after this one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from django.utils.translation import gettext as _

from cityhall.catalogue import selectors as catalogue
from cityhall.catalogue.models import Department, Service, ServiceGroup, Zone
from cityhall.requests.models import Channel

_Row = TypeVar("_Row")

GRAINS = ("day", "week", "month")
KNOWN = frozenset({"from", "to", "grain", "department", "service", "group", "zone", "channel", "view", "map"})
EARLIEST = date(2000, 1, 1)
LONGEST = timedelta(days=5 * 366)  # five years at most in one view
LONGEST_BY_DAY = timedelta(days=366)
DEFAULT_SPAN = timedelta(days=89)  # the last 90 days


class FilterError(ValueError):
    """A filter the dashboards cannot answer; the message says which and why."""


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    grain: str = "week"
    department: Department | None = None
    service: Service | None = None
    group: ServiceGroup | None = None
    zone: Zone | None = None
    channel: str = ""
    public_only: bool = False  # the public scorecard: private categories never count

    def shifted_a_year_back(self) -> Filters:
        return replace(self, start=_a_year_before(self.start), end=_a_year_before(self.end))

    def as_query(self) -> dict[str, str]:
        """The filters as the query string that asks for them again (for CSV links and grain switches)."""
        query = {"from": self.start.isoformat(), "to": self.end.isoformat(), "grain": self.grain}
        for name, row, key in (
            ("department", self.department, "slug"),
            ("service", self.service, "code"),
            ("group", self.group, "pk"),
            ("zone", self.zone, "slug"),
        ):
            if row is not None:
                query[name] = str(getattr(row, key))
        if self.channel:
            query["channel"] = self.channel
        return query


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_filters(params: Mapping[str, str], *, today: date) -> Filters:
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise FilterError(_("Unknown filter: %(name)s.") % {"name": unknown[0]})
    end = _date(params, "to") or today
    start = _date(params, "from") or end - DEFAULT_SPAN
    if start > end:
        raise FilterError(_("The period starts after it ends."))
    if start < EARLIEST or end > today + timedelta(days=1):
        raise FilterError(_("Choose a period between 2000 and today."))
    if end - start > LONGEST:
        raise FilterError(_("Choose a period of five years or less."))
    grain = params.get("grain") or "week"
    if grain not in GRAINS:
        raise FilterError(_("Show the period by day, week or month."))
    if grain == "day" and end - start > LONGEST_BY_DAY:
        # A bar a day over years is thousands of bars: a page of megabytes that nobody can read.
        raise FilterError(_("Show a period longer than a year by week or month."))
    channel = params.get("channel") or ""
    if channel and channel not in Channel.values:
        raise FilterError(_("Unknown channel: %(value)s.") % {"value": channel})
    return Filters(
        start=start,
        end=end,
        grain=grain,
        department=_row(params, "department", catalogue.department_with_slug),
        service=_row(params, "service", catalogue.service_with_code),
        group=_row(params, "group", lambda value: catalogue.service_group_or_none(_int(value))),
        zone=_row(params, "zone", catalogue.zone_with_slug),
        channel=channel,
    )


def _date(params: Mapping[str, str], name: str) -> date | None:
    text = params.get(name) or ""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(_("Write dates as YYYY-MM-DD.")) from None


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 12 else 0


def _row(params: Mapping[str, str], name: str, find: Callable[[str], _Row | None]) -> _Row | None:
    """The row a filter names (None when it names none); a name that matches nothing is refused."""
    value = params.get(name)
    if not value:
        return None
    found = find(value)
    if found is None:
        raise FilterError(_("Nothing matches the %(name)s filter.") % {"name": name})
    return found
