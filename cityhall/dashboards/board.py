"""The staff dashboard's charts, built from the metrics for one set of (validated, scoped) filters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cityhall.catalogue.selectors import default_departments_of

from . import selectors
from .charts import Bar, Chart
from .filters import Filters
from .readings import days, duration, period_label


@dataclass(frozen=True)
class Board:
    charts: list[Chart]
    rates: selectors.Rates
    departments: list[selectors.Speed]
    oldest: list[Any]
    workload: selectors.Workload
    anomalies: list[selectors.Anomaly]


def board(filters: Filters, today: date) -> Board:
    return Board(
        charts=[chart(slug, filters, today) for slug in CHARTS],
        rates=selectors.rates(filters),
        departments=selectors.speed(filters, by="department"),
        oldest=selectors.oldest_open(filters),
        workload=selectors.workload(filters),
        anomalies=selectors.anomalies(filters, today),
    )


def chart(slug: str, filters: Filters, today: date) -> Chart:
    return CHARTS[slug](filters, today)


def _queue(department_id: int | None, **query: int) -> str:
    if not department_id:
        return ""
    url = reverse("staff:department", args=[department_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _volume(filters: Filters, which: str) -> Chart:
    points = selectors.volume(filters)
    now = [getattr(p, which) for p in points]
    before = [getattr(p, f"{which}_last_year") for p in points]
    total, total_before = sum(now), sum(before)
    if which == "received":
        # "number of requests": a count is plural in Spanish ("Cerradas 8"), a request's state is not.
        title, this_year = _("Requests received"), pgettext("number of requests", "Received")
    else:
        title, this_year = _("Requests closed"), pgettext("number of requests", "Closed")
    if total_before:
        change = 100 * (total - total_before) / total_before
        reading = _("%(total)s in this period, %(change)s than the same period last year.") % {
            "total": total,
            "change": (_("%(n)s%% more") if change >= 0 else _("%(n)s%% fewer")) % {"n": number_format(abs(change), 0)},
        }
    else:
        reading = _("%(total)s in this period; none in the same period last year.") % {"total": total}
    return Chart(
        slug=which,
        title=title,
        description=_(
            "Bars per period (a week is named by its Monday): this year (solid) and the same period a year before "
            "(hatched)."
        ),
        reading=reading,
        label_heading=_("Period"),
        series=(this_year, _("A year before")),
        bars=[
            Bar(period_label(p.period, filters.grain), (a, b), (str(a), str(b)))
            for p, a, b in zip(points, now, before, strict=True)
        ],
    )


def _backlog(filters: Filters, today: date) -> Chart:
    backlog = selectors.backlog(filters, today)
    oldest_bucket = backlog.buckets[-1][1]
    department_id = filters.department.pk if filters.department else None
    return Chart(
        slug="backlog",
        title=_("Open requests by age"),
        description=_("Bars: open requests now, by days since they were received."),
        reading=_("%(total)s open now; %(old)s waiting more than 90 days.")
        % {"total": backlog.total, "old": oldest_bucket},
        label_heading=_("Days waiting"),
        series=(_("Open"),),
        bars=[Bar(label, (n,), (str(n),), _queue(department_id)) for label, n in backlog.buckets],
    )


def _speed(filters: Filters, today: date) -> Chart:
    medians = selectors.close_medians(filters, by="service")
    names = selectors.names_of("service", medians)
    rows = sorted(
        (ServiceClose(key, names.get(key, ""), median) for key, median in medians.items()),
        key=lambda r: (-r.close_median, r.name),
    )
    span = filters.end - filters.start
    before = replace(filters, start=filters.start - span, end=filters.start)
    earlier = selectors.close_medians(before, by="service")
    departments = default_departments_of([row.key for row in rows]) if filters.department is None else {}
    if rows:
        slowest = rows[0]
        was = earlier.get(slowest.key)
        if was is not None and slowest.close_median is not None:
            longer = slowest.close_median >= was
            reading = (
                _("%(name)s took %(took)s, %(diff)s longer than the period before.")
                if longer
                else _("%(name)s took %(took)s, %(diff)s shorter than the period before.")
            ) % {
                "name": slowest.name,
                "took": duration(slowest.close_median),
                "diff": duration(abs(slowest.close_median - was)),
            }
        else:
            reading = _("%(name)s took longest: %(took)s.") % {
                "name": slowest.name,
                "took": duration(slowest.close_median),
            }
    else:
        reading = _("Nothing was closed in this period.")
    return Chart(
        slug="close-time",
        title=_("Median time to close, per category"),
        description=_("Bars: median days from report to closing, per category, slowest first."),
        reading=reading,
        label_heading=_("Category"),
        series=(_("Median days to close"),),
        bars=[
            Bar(
                row.name,
                (days(row.close_median),),
                (duration(row.close_median),),
                _queue(filters.department.pk if filters.department else departments.get(row.key), service=row.key),
            )
            for row in rows
        ],
    )


@dataclass(frozen=True)
class ServiceClose:
    key: int
    name: str
    close_median: float


def _zones(filters: Filters, today: date) -> Chart:
    rows = selectors.close_time_by_zone(filters)
    department_id = filters.department.pk if filters.department else None
    reading = (
        _("%(name)s waits longest: %(took)s.") % {"name": rows[0].name, "took": duration(rows[0].close_median)}
        if rows
        else _("Nothing was closed in this period.")
    )
    return Chart(
        slug="neighborhoods",
        title=_("Median time to close, per neighborhood"),
        description=_("Bars: median days from report to closing, per neighborhood, slowest first."),
        reading=reading,
        label_heading=_("Neighborhood"),
        series=(_("Median days to close"),),
        bars=[
            Bar(row.name, (days(row.close_median),), (duration(row.close_median),), _queue(department_id, zone=row.key))
            for row in rows
        ],
    )


def _satisfaction(filters: Filters, today: date) -> Chart:
    trend = selectors.satisfaction(filters)
    rated = sum(s.rated for s in trend)
    mean = sum(s.rated * (s.mean or 0) for s in trend) / rated if rated else None
    reading = (
        ngettext(
            "Mean rating %(mean)s out of 5, from %(n)s rating.",
            "Mean rating %(mean)s out of 5, from %(n)s ratings.",
            rated,
        )
        % {"mean": number_format(mean, 1), "n": rated}
        if mean is not None
        else _("No ratings in this period.")
    )
    return Chart(
        slug="satisfaction",
        title=_("Resident satisfaction"),
        description=_("Bars: the mean rating (1 to 5) per period."),
        reading=reading,
        label_heading=_("Period"),
        series=(_("Mean rating"),),
        bars=[
            Bar(period_label(s.period, filters.grain), (round(s.mean or 0, 2),), (number_format(s.mean or 0, 1),))
            for s in trend
        ],
    )


CHARTS = {
    "received": lambda filters, today: _volume(filters, "received"),
    "closed": lambda filters, today: _volume(filters, "closed"),
    "backlog": _backlog,
    "close-time": _speed,
    "neighborhoods": _zones,
    "satisfaction": _satisfaction,
}
