"""`{{ moment|short_date }}` and `{{ moment|ago }}`: the site's short dates and relative times."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from cityhall.core import moments

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def short_date(value: date | datetime | None, name: str = moments.SHORT_MOMENT) -> str:
    """`{{ x|short_date }}` "Dec 11, 5:00 PM"; `{{ x|short_date:"SHORT_MOMENT_YEAR_FORMAT" }}`, `"SHORT_DAY_FORMAT"`."""
    return moments.short_date(value, name)


@register.filter(expects_localtime=False)
def ago(value: datetime | None) -> str:
    """`{{ x|ago }}`: "just now", "3 hours ago"."""
    return moments.ago(value) if value else ""
