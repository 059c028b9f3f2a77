"""What differs between SQLite and PostgreSQL for SoQL: time zones, case-insensitive matching, dates.

Calendar dates are stored as instants (PostgreSQL `timestamptz`; SQLite text in UTC, as Django
writes it) and shown as Socrata's floating timestamps in the city's own time zone. Truncations
(`date_trunc_ym`) are taken in that zone, so a month is the city's month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

TRUNC_UNITS = {"date_trunc_y": "year", "date_trunc_ym": "month", "date_trunc_ymd": "day"}


@dataclass(frozen=True)
class Dialect:
    vendor: str  # "sqlite" or "postgresql"
    tzname: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tzname)

    @property
    def postgres(self) -> bool:
        return self.vendor == "postgresql"

    def trunc(self, function: str, sql: str, *, floating: bool = False) -> tuple[str, list[Any]]:
        """A calendar date truncated in the city's zone: a floating (zone-less) timestamp."""
        unit = TRUNC_UNITS[function]
        if floating:  # already the city's time: no zone to convert from
            if self.postgres:
                return f"date_trunc('{unit}', {sql})", []
            return f"django_datetime_trunc('{unit}', {sql}, NULL, NULL)", []
        if self.postgres:
            return f"date_trunc('{unit}', ({sql}) AT TIME ZONE %s)", [self.tzname]
        return f"django_datetime_trunc('{unit}', {sql}, %s, 'UTC')", [self.tzname]

    def floating(self, sql: str) -> tuple[str, list[Any]]:
        """A stored instant as the city's floating timestamp (to compare it with a truncated one)."""
        if self.postgres:
            return f"(({sql}) AT TIME ZONE %s)", [self.tzname]
        return f"django_datetime_trunc('second', {sql}, %s, 'UTC')", [self.tzname]

    def floating_column(self, sql: str) -> str:
        """A stored day in the city's time (a date column) as a floating timestamp at its midnight."""
        if self.postgres:
            return f"CAST({sql} AS TIMESTAMP)"
        return f"({sql} || ' 00:00:00')"  # SQLite keeps dates as text; compare like the truncations

    def like(self) -> str:
        """Case-insensitive LIKE on both: SQLite's LIKE already folds ASCII case."""
        return "ILIKE" if self.postgres else "LIKE"

    def instant_param(self, moment: datetime) -> Any:
        """A value compared with a stored instant: a floating timestamp read in the city's zone."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=self.zone)
        utc = aware.astimezone(UTC)
        return utc if self.postgres else utc.replace(tzinfo=None).isoformat(" ")

    def floating_param(self, moment: datetime) -> Any:
        """A value compared with a floating timestamp (a truncation)."""
        local = moment.astimezone(self.zone).replace(tzinfo=None) if moment.tzinfo else moment
        return local if self.postgres else local.isoformat(" ")

    def read_instant(self, value: Any) -> datetime | None:
        """A stored instant as read back, in the city's zone without its offset."""
        if value is None:
            return None
        moment = _as_datetime(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # SQLite keeps UTC without an offset
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def read_floating(self, value: Any) -> datetime | None:
        if value is None:
            return None
        moment = _as_datetime(value)
        return moment.astimezone(self.zone).replace(tzinfo=None) if moment.tzinfo else moment


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))
