"""Short dates and "how long ago", in the reader's language: the one home of both.

Django looks up only its own format names (DATE_FORMAT, DATETIME_FORMAT…), so the short forms
that lists and badges use live beside them in `config/formats/<language>/formats.py` under names
of our own, and are read here: "Dec 11, 5:00 PM" in English, "11 dic, 17:00" in Spanish.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import dateformat, formats, timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext

from cityhall.core import clock

# The short forms each language's format module gives, beside Django's own.
SHORT_DAY = "SHORT_DAY_FORMAT"  # Dec 11 · 11 dic
SHORT_MOMENT = "SHORT_MOMENT_FORMAT"  # Dec 11, 5:00 PM · 11 dic, 17:00
SHORT_MOMENT_YEAR = "SHORT_MOMENT_YEAR_FORMAT"  # Dec 11, 2026, 5:00 PM · 11 dic 2026, 17:00
SHORT_FORMATS = (SHORT_DAY, SHORT_MOMENT, SHORT_MOMENT_YEAR)

# Under this, "0 minutes ago" says nothing: it was just now.
JUST_NOW = timedelta(minutes=1)


def short_format(name: str = SHORT_MOMENT) -> str:
    """The pattern of a short form in the active language (English's where a language has none)."""
    if name not in SHORT_FORMATS:
        raise ValueError(f"{name!r} is not a short form; use one of {', '.join(SHORT_FORMATS)}")
    for language in (translation.get_language() or "en", "en"):
        for module in formats.get_format_modules(language):
            pattern = getattr(module, name, None)
            if pattern:
                return str(pattern)
    raise LookupError(f"no format module gives {name}")  # config/formats/en must


def short_date(value: date | datetime | None, name: str = SHORT_MOMENT) -> str:
    """A date or moment in a short form of the active language, a moment in the site's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, short_format(name))


def ago(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in words: "just now" under a minute, else "3 hours ago" (its largest unit)."""
    now = now or clock.now()
    if now - moment < JUST_NOW:
        return gettext("just now")
    return gettext("%(age)s ago") % {"age": timesince(moment, now=now, depth=1)}
