from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from cityhall.core import numbers

from .. import readings

register = template.Library()
register.filter("duration", readings.duration)
register.filter("percent", readings.percent)


@register.filter
def small(count: int | None) -> str:
    """A published count, grouped as the reader writes thousands ("61,100", "61 100"); None is one the
    scorecard suppressed (scorecard.shown)."""
    return _("fewer than 5") if count is None else numbers.grouped(count)


@register.filter
def duration_or_small(seconds: float | None) -> str:
    """A median the scorecard did not compute: it would rest on fewer than 5 requests."""
    return _("too few to show") if seconds is None else readings.duration(seconds)


@register.filter
def percent_or_small(value: float | None) -> str:
    return _("too few to show") if value is None else readings.percent(value)
