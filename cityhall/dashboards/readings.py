"""How numbers read on the dashboards and the scorecard: durations, percents, dates by grain."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

DAY = 86_400


def number(value: float, places: int) -> str:
    """A number rounded to `places` decimals, written the reader's way (Django's number_format cuts
    the digits off instead: 2 of 3 would read "66 %")."""
    return number_format(round(value, places), places)


def duration(seconds: float | None) -> str:
    """ "2.1 days", "5.0 hours", "25 minutes"; "–" when there is nothing to measure."""
    if seconds is None:
        return "–"
    # Rounded first: number_format cuts the digits it drops (1.96 hours would read "1.9").
    if seconds >= DAY:
        return _("%(n)s days") % {"n": number(seconds / DAY, 1)}
    if seconds >= 3600:
        return _("%(n)s hours") % {"n": number(seconds / 3600, 1)}
    return _("%(n)s minutes") % {"n": number(seconds / 60, 0)}


def days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / DAY, 2)


def share(part: float, whole: float) -> float | None:
    """`part` as a percentage of `whole`; None when there is no whole to share."""
    return 100 * part / whole if whole else None


def percent(value: float | None) -> str:
    # English writes "82%", Spanish "82 %": the sign's spacing is the language's.
    return "–" if value is None else _("%(n)s%%") % {"n": number(value, 0)}


def period_label(day: date, grain: str) -> str:
    if grain == "month":
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day, "SHORT_DATE_FORMAT")  # a week is named by its Monday
