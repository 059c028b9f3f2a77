"""The public request list as one hand-written SQL query: the hottest read of the Open311 API.

The ORM spent more time building this query than PostgreSQL spent answering it, so it is
written once here, in SQL that SQLite and PostgreSQL both run. Every value is a parameter;
only names from the models' metadata go into the text. Tests of the Open311 filters cover it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from cityhall.catalogue.models import Department, Service, Zone
from cityhall.geo.cells import cells_covering

from .models import ServiceRequest
from .workflow import OPEN

if TYPE_CHECKING:
    from .selectors import PublicFilter  # selectors imports this module: a cycle at import time only

R, S, D, Z = (m._meta.db_table for m in (ServiceRequest, Service, Department, Zone))
COLUMNS = [
    ("id", "r.id"),
    ("public_id", "r.public_id"),
    ("status", "r.status"),
    ("status_note", "r.status_note"),
    ("resolution", "r.resolution"),
    ("service__code", "s.code"),
    ("service__name", "s.name"),
    ("description", "r.description"),
    ("department__name", "d.name"),
    ("requested_at", "r.requested_at"),
    ("updated_at", "r.updated_at"),
    ("expected_at", "r.expected_at"),
    ("address", "r.address"),
    ("address_id", "r.address_id"),
    ("location_description", "r.location_description"),
    ("zipcode", "r.zipcode"),
    ("lat", "r.lat"),
    ("lng", "r.lng"),
    ("media_url", "r.media_url"),
    ("report_photo", "r.report_photo"),
]
EXTENDED_COLUMNS = [
    ("channel", "r.channel"),
    ("api_client", "r.api_client"),
    ("zone__name", "z.name"),
    ("referred_to", "r.referred_to"),
    ("referral_url", "r.referral_url"),
    ("duplicate_of__public_id", "p.public_id"),
    ("support_count", "r.support_count"),
]
DATETIMES = ("requested_at", "updated_at", "expected_at")


def _in(column: str, values: list[Any], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _conditions(where: PublicFilter, params: list[Any]) -> list[str]:
    found: list[str] = []
    if where.ids:
        return [_in("r.public_id", list(where.ids), params)]  # ids override every other filter
    if where.service_codes:
        found.append(_in("s.code", list(where.service_codes), params))
    wanted = set(where.open311_statuses)
    if wanted == {"open"}:
        found.append(_in("r.status", [s.value for s in OPEN], params))
    elif wanted == {"closed"}:
        found.append("NOT " + _in("r.status", [s.value for s in OPEN], params))
    for column, operator, moment in (
        ("r.requested_at", ">=", where.requested_from),
        ("r.requested_at", "<=", where.requested_to),
        ("r.updated_at", ">", where.updated_after),
        ("r.updated_at", "<", where.updated_before),
    ):
        if moment is not None:
            found.append(f"{column} {operator} %s")
            params.append(_when(moment))
    if where.bbox is not None:
        west, south, east, north = where.bbox
        found.append("r.lat >= %s AND r.lat <= %s AND r.lng >= %s AND r.lng <= %s")
        params.extend([south, north, west, east])
    if where.near is not None:
        lat, lng, radius = where.near
        found.append(_in("r.cell", cells_covering(lat, lng, radius), params))
    if where.text:
        pattern = "%" + where.text.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found.append("(UPPER(r.description) LIKE %s ESCAPE '\\' OR UPPER(s.name) LIKE %s ESCAPE '\\')")
        params.extend([pattern, pattern])
    return found


def fetch_public_rows(
    jurisdiction_id: int, where: PublicFilter, *, offset: int, limit: int, extended: bool
) -> list[dict[str, Any]]:
    columns = COLUMNS + EXTENDED_COLUMNS if extended else COLUMNS
    params: list[Any] = [jurisdiction_id, False]
    conditions = ["r.jurisdiction_id = %s", "s.is_private = %s", *_conditions(where, params)]
    joins = [f"JOIN {S} s ON s.id = r.service_id", f"LEFT JOIN {D} d ON d.id = r.department_id"]
    if extended:
        joins += [f"LEFT JOIN {Z} z ON z.id = r.zone_id", f"LEFT JOIN {R} p ON p.id = r.duplicate_of_id"]
    sql = (
        f"SELECT {', '.join(expression for _, expression in columns)} FROM {R} r {' '.join(joins)} "  # noqa: S608
        f"WHERE {' AND '.join(conditions)} ORDER BY r.requested_at DESC, r.id DESC LIMIT %s OFFSET %s"
    )
    params += [limit, offset]
    names = [name for name, _ in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    if connection.vendor == "sqlite":
        for row in rows:  # SQLite hands back text; the ORM would have converted it
            for name in DATETIMES:
                row[name] = _aware(row[name])
    return rows


def _aware(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
