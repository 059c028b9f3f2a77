"""Keeping the rollups current: facts per request, then sums per cell, all in set-based SQL.

`refresh(request_ids)` rewrites the facts of those requests and recomputes every rollup cell they
touched before or after (a superset: the touched days × the touched services), from the facts,
then folds those days' months again from the daily rows; so an incremental change and `rebuild()`
run the very same statements and cannot disagree.
Every change takes one row lock first (RollupLock), so two commits never recompute a cell at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F, Func, IntegerField, Value
from django.db.models.functions import Coalesce, TruncDate

from cityhall.catalogue.selectors import site_city
from cityhall.geo.cells import MAP_RESOLUTION, parent_arithmetic
from cityhall.requests.selectors import dashboard_facts, newest_events_by_request, request_ids_of_events

from ..buckets import bucket_sql
from ..models import (
    EVERY_SERVICE,
    MONTHLY,
    DurationRollup,
    MapRollup,
    MonthlyMapRollup,
    RequestFact,
    Rollup,
    RollupLock,
)

# Events may commit out of id order; the catch-up looks this far behind its mark for late ones.
LATE_COMMIT_SLACK = 10_000
_CHUNK = 1_000
# The hexagon map's cell of each request, computed in SQL from the stored finer cell.
_MAP_MASK, _MAP_OFFSET = parent_arithmetic(MAP_RESOLUTION)


class SecondsBetween(Func):
    """Whole seconds from the first timestamp to the second (NULL if either is NULL)."""

    output_field = IntegerField()

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(end, start)  # the SQL below reads "end minus start"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(ROUND((julianday(%(expressions)s)) * 86400) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(ROUND(EXTRACT(EPOCH FROM (%(expressions)s))) AS BIGINT)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)


def city_timezone() -> ZoneInfo:
    city = site_city()
    return ZoneInfo(city.timezone if city else "UTC")


def refresh(request_ids: Iterable[int]) -> None:
    """Bring the facts of these requests, and every rollup cell they count in, up to date."""
    ids = sorted(set(request_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        with transaction.atomic():
            _lock()
            days, services, departments = _touched(chunk)
            RequestFact.objects.filter(request_id__in=chunk).delete()
            _insert_facts(chunk)
            more_days, more_services, more_departments = _touched(chunk)
            days, services, departments = days | more_days, services | more_services, departments | more_departments
            if days:
                for daily in MONTHLY:
                    daily.objects.filter(day__in=days, service_id__in=services).delete()
                _insert_rollups(sorted(days), sorted(services))
                _fold_months(days, sorted(services))
                _map_every_service(days, sorted(departments))


def rebuild() -> int:
    """Recompute every fact and rollup from the requests; returns how many requests were counted."""
    with transaction.atomic():
        lock = _lock()
        RequestFact.objects.all().delete()
        for daily, monthly in MONTHLY.items():
            daily.objects.all().delete()
            monthly.objects.all().delete()
        _insert_facts(None)
        _insert_rollups(None, None)
        with connection.cursor() as cursor:
            cursor.execute(every_service_sql(MapRollup._meta.db_table))
        _fold_months(None, None)
        lock.caught_up_to = max(RequestFact.objects.values_list("last_event_id", flat=True), default=0) or 0
        lock.save(update_fields=["caught_up_to"])
        return RequestFact.objects.count()


def refresh_for_events(event_ids: Sequence[int]) -> None:
    refresh(request_ids_of_events(event_ids))


def catch_up() -> int:
    """Refresh requests whose newest events the facts do not include yet (imports, a lost signal).

    Returns how many requests it refreshed. Safe to run at any time, and twice.
    """
    mark = _lock_row().caught_up_to
    newest, top = newest_events_by_request(max(0, mark - LATE_COMMIT_SLACK))
    counted = dict(RequestFact.objects.filter(request_id__in=list(newest)).values_list("request_id", "last_event_id"))
    stale = [request_id for request_id, event_id in newest.items() if counted.get(request_id, -1) < event_id]
    refresh(stale)
    RollupLock.objects.filter(name=_LOCK, caught_up_to__lt=top).update(caught_up_to=top)
    return len(stale)


_LOCK = "rollups"


def _lock_row() -> RollupLock:
    return RollupLock.objects.get_or_create(name=_LOCK)[0]


def _lock() -> RollupLock:
    _lock_row()
    return RollupLock.objects.select_for_update().get(name=_LOCK)


def _touched(request_ids: Sequence[int]) -> tuple[set[date], set[int], set[int]]:
    """The days, services and departments these requests' facts count in."""
    days: set[date] = set()
    services: set[int] = set()
    departments: set[int] = set()
    day_fields = ("received_day", "closed_day", "response_day", "rated_day")
    for service, department, *row_days in RequestFact.objects.filter(request_id__in=request_ids).values_list(
        "service_id", "department_id", *day_fields
    ):
        services.add(service)
        departments.add(department)
        days.update(day for day in row_days if day is not None)
    return days, services, departments


# RequestFact column ← the name of the expression that computes it.
_FACT_COLUMNS = {
    "request_id": "f_request",
    "service_id": "f_service",
    "department_id": "f_department",
    "zone_id": "f_zone",
    "channel": "f_channel",
    "received_day": "f_received_day",
    "open_now": "f_open_now",
    "reopened": "f_reopened",
    "duplicate": "f_duplicate",
    "closed_day": "f_closed_day",
    "close_seconds": "f_close_seconds",
    "sla_due": "f_sla_due",
    "sla_met": "f_sla_met",
    "verified": "f_verified",
    "auto_closed": "f_auto_closed",
    "response_day": "f_response_day",
    "response_seconds": "f_response_seconds",
    "rated_day": "f_rated_day",
    "rating": "f_rating",
    "last_event_id": "f_last_event",
    "cell": "f_map_cell",
    "closed_by": "f_closed_by_or_0",
    "closed_crew": "f_closed_crew_or_0",
}


def _insert_facts(request_ids: Sequence[int] | None) -> None:
    tz = city_timezone()
    rows = dashboard_facts(tz, request_ids).annotate(
        f_request=F("id"),
        f_service=F("service_id"),
        f_department=Coalesce("department_id", Value(0)),
        f_zone=Coalesce("zone_id", Value(0)),
        f_channel=F("channel"),
        f_closed_day=TruncDate("f_closed_at", tzinfo=tz),
        f_close_seconds=SecondsBetween("requested_at", "f_closed_at"),
        f_response_day=TruncDate("f_responded_at", tzinfo=tz),
        f_response_seconds=SecondsBetween("requested_at", "f_responded_at"),
        f_rated_day=TruncDate("f_rated_at", tzinfo=tz),
        f_last_event=Coalesce("f_last_event_id", Value(0)),
        f_closed_by_or_0=Coalesce("f_closed_by", Value(0), output_field=IntegerField()),
        f_closed_crew_or_0=Coalesce("f_closed_crew", Value(0), output_field=IntegerField()),
        f_map_cell=Coalesce(F("cell").bitor(_MAP_MASK) - Value(_MAP_OFFSET), Value(0)),
    )
    select, params = rows.values(*_FACT_COLUMNS.values()).query.sql_with_params()
    table = RequestFact._meta.db_table
    columns = ", ".join([*_FACT_COLUMNS, "close_bucket"])
    # The close time's bucket, kept so the hexagon map groups by it instead of bucketing every row.
    bucket = f"CASE WHEN f_close_seconds IS NULL THEN NULL ELSE {bucket_sql('f_close_seconds')} END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {', '.join(_FACT_COLUMNS.values())}, {bucket} FROM ({select}) src",  # noqa: S608 -- names are ours; values are bound
            params,
        )


_CELL = "day, service_id, department_id, zone_id, channel"
_DIMENSIONS = "service_id, department_id, zone_id, channel"
_SUMS = (
    "received",
    "open_now",
    "reopened",
    "duplicates",
    "closed",
    "sla_due",
    "sla_met",
    "close_seconds",
    "verified",
    "auto_closed",
    "responded",
    "response_seconds",
    "rated",
    "rating_sum",
)


def _flag(column: str) -> str:
    return f"CASE WHEN {column} THEN 1 ELSE 0 END"


# Each fact counts on up to four days: each part below is one of them, with the measures that
# belong to that day and zeros for the rest (in _SUMS order).
_PARTS = {
    "received_day": {
        "received": "1",
        "open_now": _flag("open_now"),
        "reopened": _flag("reopened"),
        "duplicates": _flag("duplicate"),
    },
    "closed_day": {
        "closed": "1",
        "sla_due": _flag("sla_due"),
        "sla_met": _flag("sla_met"),
        "close_seconds": "close_seconds",
        "verified": _flag("verified"),
        "auto_closed": _flag("auto_closed"),
    },
    "response_day": {"responded": "1", "response_seconds": "response_seconds"},
    "rated_day": {"rated": "1", "rating_sum": "rating"},
}

_DURATIONS = {"closed_day": ("close", "close_seconds"), "response_day": ("response", "response_seconds")}


def _where(day_column: str, days: Sequence[date] | None, services: Sequence[int] | None) -> tuple[str, list[Any]]:
    if days is None or services is None:
        return f"{day_column} IS NOT NULL", []
    day_marks, service_marks = ", ".join(["%s"] * len(days)), ", ".join(["%s"] * len(services))
    return f"{day_column} IN ({day_marks}) AND service_id IN ({service_marks})", [*days, *services]


def _insert_rollups(days: Sequence[date] | None, services: Sequence[int] | None) -> None:
    facts = RequestFact._meta.db_table
    parts, params = [], []
    for day_column, measures in _PARTS.items():
        where, where_params = _where(day_column, days, services)
        values = ", ".join(f"{measures.get(name, '0')} AS {name}" for name in _SUMS)
        parts.append(f"SELECT {day_column} AS day, {_DIMENSIONS}, {values} FROM {facts} WHERE {where}")  # noqa: S608 -- table and column names are ours; every value is bound
        params += where_params
    sums = ", ".join(f"SUM({name})" for name in _SUMS)
    rollup_sql = (
        f"INSERT INTO {Rollup._meta.db_table} ({_CELL}, {', '.join(_SUMS)}) "  # noqa: S608 -- table and column names are ours; every value is bound
        f"SELECT {_CELL}, {sums} FROM ({' UNION ALL '.join(parts)}) parts GROUP BY {_CELL}"
    )
    duration_parts, duration_params = [], []
    for day_column, (measure, seconds) in _DURATIONS.items():
        where, where_params = _where(day_column, days, services)
        duration_parts.append(
            f"SELECT {day_column} AS day, {_DIMENSIONS}, '{measure}' AS measure, {bucket_sql(seconds)} AS bucket "  # noqa: S608 -- table and column names are ours; every value is bound
            f"FROM {facts} WHERE {where}"
        )
        duration_params += where_params
    duration_sql = (
        f"INSERT INTO {DurationRollup._meta.db_table} ({_CELL}, measure, bucket, count) "  # noqa: S608 -- table and column names are ours; every value is bound
        f"SELECT {_CELL}, measure, bucket, COUNT(*) FROM ({' UNION ALL '.join(duration_parts)}) parts "
        f"GROUP BY {_CELL}, measure, bucket"
    )
    received_where, received_params = _where("received_day", days, services)
    closed_where, closed_params = _where("closed_day", days, services)
    place_sql = places_sql(facts, MapRollup._meta.db_table, received_where, closed_where)
    place_params = [*received_params, *closed_params]
    with connection.cursor() as cursor:
        cursor.execute(rollup_sql, params)
        cursor.execute(duration_sql, duration_params)
        cursor.execute(place_sql, place_params)


def places_sql(facts: str, places: str, received_where: str, closed_where: str) -> str:
    """The statement that counts facts into the hexagon map's daily rollup (the migration that made
    the table fills it with this too): received on their received day, closes per bucket on their
    closed day, placed requests only."""
    parts = [
        f"SELECT {day} AS day, {_DIMENSIONS}, cell, '{measure}' AS measure, {bucket} AS bucket "  # noqa: S608 -- table and column names are ours; every value is bound
        f"FROM {facts} WHERE {where} AND cell <> 0"
        for day, measure, bucket, where in (
            ("received_day", "received", "0", received_where),
            ("closed_day", "close", "close_bucket", closed_where),
        )
    ]
    return (
        f"INSERT INTO {places} ({_CELL}, cell, measure, bucket, count) "  # noqa: S608 -- table and column names are ours
        f"SELECT {_CELL}, cell, measure, bucket, COUNT(*) FROM ({' UNION ALL '.join(parts)}) parts "
        f"GROUP BY {_CELL}, cell, measure, bucket"
    )


# What each daily table keys a row by beside the cell, and what it sums, to fold it into months.
FOLDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rollup": ((), _SUMS),
    "durationrollup": (("measure", "bucket"), ("count",)),
    "maprollup": (("cell", "measure", "bucket"), ("count",)),
}


def fold_sql(vendor: str, daily: str, monthly: str, fold: str, where: str = "") -> str:
    """The statement that sums a daily table's rows (those `where` selects) into its monthly table
    (the migration that made the monthly tables fills them with this too)."""
    keys, sums = FOLDS[fold]
    # The first day of the day's month, with each database's own date functions.
    month = "date(day, 'start of month')" if vendor == "sqlite" else "CAST(date_trunc('month', day) AS date)"
    columns = ", ".join([_DIMENSIONS, *keys])
    return (
        f"INSERT INTO {monthly} (day, {columns}, {', '.join(sums)}) "  # noqa: S608 -- table and column names are ours; every value is bound
        f"SELECT {month}, {columns}, {', '.join(f'SUM({name})' for name in sums)} "
        f"FROM {daily} {where} GROUP BY {month}, {columns}"
    )


def every_service_sql(table: str, where: str = "") -> str:
    """The statement that sums a map table's rows of single categories (those `where` selects, an
    `AND …` clause) into its rows for every category (service_id EVERY_SERVICE), which a map with no
    category filter reads: about a tenth of the rows a month at a big city's density (the
    migration that made these rows fills them with this too)."""
    others = "department_id, zone_id, channel, cell, measure, bucket"
    return (
        f"INSERT INTO {table} (day, service_id, {others}, count) "  # noqa: S608 -- table and column names are ours; every value is bound
        f"SELECT day, {EVERY_SERVICE}, {others}, SUM(count) FROM {table} "
        f"WHERE service_id <> {EVERY_SERVICE} {where} GROUP BY day, {others}"
    )


def _map_every_service(days: set[date], departments: Sequence[int]) -> None:
    """Recompute the map's every-category rows of these days, and of their months, for these departments."""
    day_list = sorted(days)
    months = {day.replace(day=1) for day in days}
    department_marks = ", ".join(["%s"] * len(departments))
    MapRollup.objects.filter(service_id=EVERY_SERVICE, day__in=day_list, department_id__in=departments).delete()
    MonthlyMapRollup.objects.filter(service_id=EVERY_SERVICE, day__in=months, department_id__in=departments).delete()
    with connection.cursor() as cursor:
        day_marks = ", ".join(["%s"] * len(day_list))
        cursor.execute(
            every_service_sql(
                MapRollup._meta.db_table, f"AND day IN ({day_marks}) AND department_id IN ({department_marks})"
            ),
            [*day_list, *departments],
        )
        # The months from the days' every-category rows (each a probe of the index by day and service).
        month_days = _days_of(months)
        month_marks = ", ".join(["%s"] * len(month_days))
        where = (
            f"WHERE day IN ({month_marks}) AND service_id = {EVERY_SERVICE} AND department_id IN ({department_marks})"
        )
        sql = fold_sql(connection.vendor, MapRollup._meta.db_table, MonthlyMapRollup._meta.db_table, "maprollup", where)
        cursor.execute(sql, [*month_days, *departments])


def _days_of(months: set[date]) -> list[date]:
    days = []
    for month in sorted(months):
        day = month
        while day.month == month.month:
            days.append(day)
            day += timedelta(days=1)
    return days


def _fold_months(days: set[date] | None, services: Sequence[int] | None) -> None:
    """Recompute the monthly rows of the months holding these days (None: all) from the daily rows."""
    months = {day.replace(day=1) for day in days} if days is not None else None
    with connection.cursor() as cursor:
        for daily, monthly in MONTHLY.items():
            where = ""
            params: list[Any] = []
            if months is not None and services is not None:
                monthly.objects.filter(day__in=months, service_id__in=services).delete()
                # Every day of those months, named: each is a probe of the daily table's index on day.
                where, params = _where("day", _days_of(months), services)
                where = f"WHERE {where}"
            sql = fold_sql(
                connection.vendor, daily._meta.db_table, monthly._meta.db_table, daily._meta.model_name, where
            )
            cursor.execute(sql, params)
