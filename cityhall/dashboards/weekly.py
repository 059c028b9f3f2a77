"""A department's week in figures: what the supervisors' weekly digest says (notifications sends it).

A week runs Monday to Sunday in the city's time zone. Every figure comes from the same metrics as
the staff dashboards (selectors.py), for the department alone, so the digest's numbers are the
ones its link opens: the dashboard for that week, by day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from cityhall.catalogue.models import Department

from . import selectors
from .filters import Filters
from .readings import share

# "What changed most" names at most this many categories or neighborhoods per measure.
MOVES = 3


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Figures:
    """One week's headline figures."""

    received: int
    closed: int
    close_median: float | None  # seconds (the dashboards' bucketed median)
    sla_due: int
    sla_met: int
    rated: int
    rating_sum: float

    @property
    def sla_met_percent(self) -> float | None:
        return share(self.sla_met, self.sla_due)

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None


@dataclass(frozen=True)
class Move:
    """A category or neighborhood whose volume or time to close moved between the two weeks."""

    kind: str  # "service" or "zone"
    key: int
    name: str
    now: float  # last week: requests received, or the median seconds to close
    before: float  # the week before

    @property
    def change(self) -> float:
        return self.now - self.before


@dataclass(frozen=True)
class Week:
    department: Department
    start: date  # Monday
    this: Figures
    before: Figures  # the week before
    open_now: int
    open_a_week_earlier: int
    volume_moves: list[Move] = field(default_factory=list)
    close_moves: list[Move] = field(default_factory=list)
    anomalies: list[selectors.Anomaly] = field(default_factory=list)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def dashboard_query(self) -> dict[str, str]:
        """The staff dashboard's filters for this week and department, by day."""
        return _filters(self.department, self.start, grain="day").as_query()

    @property
    def is_quiet(self) -> bool:
        """Nothing received, closed or rated in either week, and nothing open: nothing to tell."""
        this, before = self.this, self.before
        return (
            not any((this.received, this.closed, this.rated, before.received, before.closed, before.rated))
            and not self.open_now
        )


def _filters(department: Department, monday: date, grain: str = "week") -> Filters:
    return Filters(start=monday, end=monday + timedelta(days=6), grain=grain, department=department)


def week(department: Department, monday: date, now: datetime, today: date) -> Week:
    """The department's week starting `monday` beside the week before; the backlog at `now` and 7 days earlier.

    `today` is `now`'s date in the city. Anomalies are those of the week itself (its 7 days against the
    8 weeks before), so a digest read later says the same.
    """
    this, before = _filters(department, monday), _filters(department, monday - timedelta(days=7))
    return Week(
        department=department,
        start=monday,
        this=figures(this),
        before=figures(before),
        open_now=selectors.backlog(this, today).total,
        open_a_week_earlier=selectors.open_at(this, now - timedelta(days=7)),
        volume_moves=_moves(this, before, volume=True),
        close_moves=_moves(this, before, volume=False),
        anomalies=selectors.anomalies(this, this.end),
    )


def figures(filters: Filters) -> Figures:
    rates = selectors.rates(filters)
    sla = selectors.speed(filters, by="department")  # the filters name one department: one row, or none
    ratings = selectors.satisfaction(filters)
    return Figures(
        received=rates.received,
        closed=rates.closed,
        close_median=selectors.close_median(filters),
        sla_due=sum(row.sla_due for row in sla),
        sla_met=sum(row.sla_met for row in sla),
        rated=sum(r.rated for r in ratings),
        rating_sum=sum(r.rated * (r.mean or 0) for r in ratings),
    )


def _moves(this: Filters, before: Filters, *, volume: bool) -> list[Move]:
    """The categories and neighborhoods whose received count (volume) or median time to close moved most.

    Volume: every one with requests in either week, by how many more or fewer. Time to close: those
    with closings in both weeks, by how much longer or shorter. Largest change first, then by name.
    """
    found = []
    for kind in ("service", "zone"):
        now = {row.key: row for row in selectors.speed(this, by=kind) if row.key}
        earlier = {row.key: row for row in selectors.speed(before, by=kind) if row.key}
        for key in set(now) | set(earlier):
            a, b = now.get(key), earlier.get(key)
            name = (a or b).name  # type: ignore[union-attr]
            if volume:
                found.append(Move(kind, key, name, a.received if a else 0, b.received if b else 0))
            elif a and b and a.close_median is not None and b.close_median is not None:
                found.append(Move(kind, key, name, a.close_median, b.close_median))
    moved = [move for move in found if move.change]
    return sorted(moved, key=lambda m: (-abs(m.change), m.name, m.kind))[:MOVES]
