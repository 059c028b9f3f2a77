"""The public scorecard at /performance: aggregates only, small counts suppressed.

Rules, in one place:
- only public categories count (a private category's requests are in no figure, so no total
  minus the listed rows can reveal them);
- a count under SMALL is never shown, nor a median or percent computed from fewer than SMALL
  requests: the page says "fewer than 5" instead, so no single person's report can be picked out;
- a category or neighborhood is listed only with SMALL or more requests this month; category
  and neighborhood are never crossed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from . import selectors
from .filters import Filters

SMALL = 5
TREND_MONTHS = 6


def shown(count: int) -> int | None:
    """The count as it may be published: None when too small to show (1 to SMALL − 1)."""
    return None if 0 < count < SMALL else count


@dataclass(frozen=True)
class Line:
    name: str
    received: int
    close_median: float | None  # None: fewer than SMALL closed
    sla_met_percent: float | None


@dataclass(frozen=True)
class Month:
    period: date
    received: int | None
    closed: int | None


@dataclass(frozen=True)
class Scorecard:
    month: date
    received: int | None
    closed: int | None
    close_median: float | None
    sla_met_percent: float | None
    satisfaction: float | None
    categories: list[Line]
    neighborhoods: list[Line]
    trend: list[Month]


def scorecard(today: date) -> Scorecard:
    month = Filters(start=today.replace(day=1), end=today, grain="month", public_only=True)
    rates = selectors.rates(month)
    everyone = selectors.speed(month, by="department")
    closed = sum(row.closed for row in everyone)
    due = sum(row.sla_due for row in everyone)
    ratings = selectors.satisfaction(month)
    rated = sum(s.rated for s in ratings)
    trend_start = _months_back(month.start, TREND_MONTHS - 1)
    trend = selectors.volume(replace(month, start=trend_start))
    return Scorecard(
        month=month.start,
        received=shown(rates.received),
        closed=shown(rates.closed),
        close_median=_city_median(month) if closed >= SMALL else None,
        sla_met_percent=100 * sum(row.sla_met for row in everyone) / due if due >= SMALL else None,
        satisfaction=sum(s.rated * (s.mean or 0) for s in ratings) / rated if rated >= SMALL else None,
        categories=_lines(month, "service"),
        neighborhoods=_lines(month, "zone"),
        trend=[Month(p.period, shown(p.received), shown(p.closed)) for p in trend],
    )


def _city_median(month: Filters) -> float | None:
    return selectors.close_median(month)


def _lines(month: Filters, by: str) -> list[Line]:
    rows = [row for row in selectors.speed(month, by=by) if row.received >= SMALL and row.key]
    return sorted(
        (
            Line(
                row.name,
                row.received,
                row.close_median if row.closed >= SMALL else None,
                row.sla_met_percent if row.sla_due >= SMALL else None,
            )
            for row in rows
        ),
        key=lambda line: (-line.received, line.name),
    )


def _months_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
