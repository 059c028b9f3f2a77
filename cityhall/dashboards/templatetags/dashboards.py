from __future__ import annotations

from django import template

from .. import readings

register = template.Library()
register.filter("duration", readings.duration)
register.filter("percent", readings.percent)
