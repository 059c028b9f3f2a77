"""The supervisors' weekly digest in words: the department's week beside the week before, what moved
most, what was unusual, and a link to the dashboard for that week. Read when it is sent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cityhall.catalogue.selectors import department_or_none
from cityhall.dashboards import weekly
from cityhall.dashboards.readings import duration, number, percent

from .. import links
from ..models import Message
from .frame import Rendered, city_zone, footer_context, render_with

WEEKLY_TEMPLATES = frozenset({"weekly_digest"})


def render_weekly(message: Message) -> Rendered:
    context = weekly_context(message)
    return render_with(message, context, context["timezone"])


def weekly_context(message: Message) -> dict[str, Any]:
    zone = city_zone()
    now = message.claimed_at or message.created_at
    department = department_or_none(int(message.data["department_id"]))
    if department is None:
        raise LookupError("The digest's department no longer exists.")
    week = weekly.week(department, date.fromisoformat(message.data["week"]), now, now.astimezone(zone).date())
    this, before = week.this, week.before
    kinds = {"service": pgettext("weekly digest", "category"), "zone": pgettext("weekly digest", "neighborhood")}
    return {
        **footer_context(message),
        "timezone": zone,
        "because": _("You receive this weekly digest as a supervisor of %(department)s.") % {"department": department},
        "department": department.name,
        "start": date_format(week.start, "DATE_FORMAT"),
        "end": date_format(week.end, "DATE_FORMAT"),
        "received": this.received,
        "closed": this.closed,
        "headline": [
            (pgettext("weekly digest", "Received"), str(this.received), str(before.received)),
            (pgettext("weekly digest", "Closed"), str(this.closed), str(before.closed)),
            (
                pgettext("weekly digest", "Median time to close"),
                duration(this.close_median),
                duration(before.close_median),
            ),
            (pgettext("weekly digest", "SLA met"), percent(this.sla_met_percent), percent(before.sla_met_percent)),
            (pgettext("weekly digest", "Resident satisfaction"), _rating(this), _rating(before)),
        ],
        "open_now": week.open_now,
        "open_before": week.open_a_week_earlier,
        "volume_moves": [
            {"name": m.name, "kind": kinds[m.kind], "now": int(m.now), "before": int(m.before)}
            for m in week.volume_moves
        ],
        "close_moves": [
            {"name": m.name, "kind": kinds[m.kind], "now": duration(m.now), "before": duration(m.before)}
            for m in week.close_moves
        ],
        "anomalies": [
            {
                "name": a.name,
                "kind": kinds[a.kind],
                "count": a.this_week,
                "usual": number(a.usual, _places(a.usual)),
            }
            for a in week.anomalies
        ],
        "link": links.absolute(reverse("dashboards:dashboards") + "?" + urlencode(week.dashboard_query)),
    }


def _rating(figures: weekly.Figures) -> str:
    mean = figures.mean_rating
    if mean is None:
        return "–"
    text = ngettext("%(mean)s out of 5 (%(n)s rating)", "%(mean)s out of 5 (%(n)s ratings)", figures.rated)
    return text % {"mean": number(mean, 1), "n": figures.rated}


def _places(value: float) -> int:
    return 0 if float(value).is_integer() else 1
