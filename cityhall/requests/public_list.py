"""The public request list as one hand-written SQL query: the hottest read of the Open311 API.

The ORM spent more time building this query than PostgreSQL spent answering it, so it is
written once here, in SQL that SQLite and PostgreSQL both run. Every value is a parameter but
the page's limit and offset (integers); only names from the models' metadata go into the text.
Tests of the Open311 filters cover it.

The query reads the requests table alone: service and department names come from the
catalogue kept in memory (`catalogue_labels`), which halves PostgreSQL's planning time.

On PostgreSQL the query is bound on the server and prepared once per connection, so a repeated
shape skips parsing and, once PostgreSQL trusts its generic plan, planning too. A radius search
over a small circle takes each cell's newest matches from the covering cell index, picks the
page's ids from those, then reads only those rows.

On SQLite the page is read in order from an index (requested_at, the service's newest first, or a
radius's cells), never by sorting the table: SQLite plans without statistics, so an index its
planner would misjudge is not kept (the jurisdiction's; models.py, docs/open311.md).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from django.db import connection

from cityhall.catalogue.models import Zone
from cityhall.catalogue.selectors import CatalogueLabels, catalogue_labels
from cityhall.geo.cells import cells_covering, cells_reaching, metres_per_degree

from .models import ServiceRequest
from .public_text import public_row_text
from .row_shape import RowShape, shaped
from .workflow import OPEN


@dataclass(frozen=True)
class PublicFilter:
    """Filters of the public request list (Open311 GET requests and the public map)."""

    ids: Sequence[str] = ()
    service_codes: Sequence[str] = ()
    open311_statuses: Sequence[str] = ()  # "open" / "closed"
    requested_from: datetime | None = None
    requested_to: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    near: tuple[float, float, float] | None = None  # lat, lng, radius in metres
    text: str = ""


R, Z = (m._meta.db_table for m in (ServiceRequest, Zone))
COLUMNS = [
    ("id", "r.id"),
    ("public_id", "r.public_id"),
    ("status", "r.status"),
    ("status_note", "r.status_note"),
    ("resolution", "r.resolution"),
    ("description", "r.description"),
    ("requested_at", "{epoch:r.requested_at}"),
    ("updated_at", "{epoch:r.updated_at}"),
    ("expected_at", "{epoch:r.expected_at}"),
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
# Last in every row and never in it: the service and department, whose names come from the catalogue in
# memory, and the reporter's contacts, read only to hide them from the text above (public_text).
TRAILING = ["r.service_id", "r.department_id", "r.reporter_name", "r.reporter_email", "r.reporter_phone"]
# Statuses are the code's own constants, written into the SQL so the planner can match the
# partial index of open requests.
OPEN_SQL = ", ".join(f"'{status.value}'" for status in sorted(OPEN))
DATETIMES = ("requested_at", "updated_at", "expected_at")
# Up to this radius PostgreSQL reads the cells reaching the circle (request_cell_recent holds each
# cell's rows by time with their position). Beyond it so many rows lie in the circle that walking
# the newest requests until a page is full costs less (figures in docs/geo.md).
CELL_SEARCH_MAX_M = 500
# Moments travel as whole seconds since 1970 (Open311 shows seconds): turning an integer into a
# datetime is one C call, where the drivers' timestamp parsing cost more than the rest of a row.
# SQLite's unixepoch() (3.38 and later) gives the same whole seconds as strftime('%s') at a seventh less
# of the whole query's cost; older libraries, as some distributions still ship, take the long way.
EPOCH_SQL = {
    "postgresql": "CAST(FLOOR(EXTRACT(EPOCH FROM {})) AS BIGINT)",
    "sqlite": "unixepoch({})" if sqlite3.sqlite_version_info >= (3, 38) else "CAST(strftime('%%s', {}) AS INTEGER)",
}


def _in(column: str, values: Sequence[Any], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _conditions(
    labels: CatalogueLabels, where: PublicFilter, params: list[Any], cells: Sequence[int] | None
) -> list[str] | None:
    """The WHERE clauses, or None when nothing can match (e.g. only unknown service codes).

    `cells`: the cells a radius search reads, or None to test the circle alone. On PostgreSQL the
    query scans them one at a time (`c.cell`, see fetch_public_rows); SQLite reads them in one IN.
    """
    found: list[str] = []
    if labels.private_service_ids and not where.service_codes:
        found.append(f"NOT {_in('r.service_id', list(labels.private_service_ids), params)}")
    if where.ids:
        return [*found, _in("r.public_id", list(where.ids), params)]  # ids override every other filter
    if where.service_codes:
        # Ids, not codes: with the service known, PostgreSQL walks the open-by-service index in order.
        known = labels.service_ids
        ids = sorted({known[code] for code in where.service_codes if code in known})
        if not ids:
            return None
        found.append(_in("r.service_id", ids, params))
    wanted = set(where.open311_statuses)
    if wanted == {"open"}:
        found.append(f"r.status IN ({OPEN_SQL})")
    elif wanted == {"closed"}:
        found.append(f"r.status NOT IN ({OPEN_SQL})")
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
        if cells is not None and connection.vendor == "postgresql":
            found.append("r.cell = c.cell")
        elif cells is not None:
            found.append(_in("r.cell", cells, params))  # the index narrows to a few cells
        north, east = metres_per_degree(lat)  # then the exact circle, so a page is never short
        found.append("((r.lat - %s) * %s) * ((r.lat - %s) * %s) + ((r.lng - %s) * %s) * ((r.lng - %s) * %s) <= %s")
        params.extend([lat, north, lat, north, lng, east, lng, east, radius * radius])
    if where.text:
        pattern = "%" + where.text.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        either = ["UPPER(r.description) LIKE %s ESCAPE '\\'"]
        params.append(pattern)
        # Services whose name matches, found in memory: the query needs no join to the catalogue.
        named = [pk for pk, (_, name) in labels.services.items() if where.text.upper() in name.upper()]
        if named:
            either.append(_in("r.service_id", named, params))
        found.append(f"({' OR '.join(either)})")
    return found


def fetch_public_rows(
    jurisdiction_id: int,
    where: PublicFilter,
    *,
    offset: int,
    limit: int,
    extended: bool,
    seconds: bool = False,
    shape: RowShape | None = None,
) -> list[Any]:
    """One page of public rows, newest first. Moments are datetimes in UTC, or with `seconds` the whole
    seconds since 1970 as the query read them (Open311 formats those itself, skipping a datetime a moment).
    With `shape`, each row in the shape's form instead (remembered; see RowShape)."""
    columns = COLUMNS + EXTENDED_COLUMNS if extended else COLUMNS
    labels = catalogue_labels(jurisdiction_id)
    cells = _search_cells(where)
    per_cell = cells is not None and connection.vendor == "postgresql"
    # The cells, one array parameter (cheap to send and parse), come first in the per-cell query's text.
    params: list[Any] = ["{" + ",".join(str(cell) for cell in cells or []) + "}"] if per_cell else []
    params.append(jurisdiction_id)
    wanted = _conditions(labels, where, params, cells)
    if wanted is None:
        return []
    conditions = " AND ".join(["r.jurisdiction_id = %s", *wanted])
    # Integers from the parsed query, written in: a generic plan then knows how few rows are wanted.
    limit, offset = int(limit), int(offset)
    newest = "ORDER BY r.requested_at DESC, r.id DESC"
    joins = []
    if extended:
        joins += [f"LEFT JOIN {Z} z ON z.id = r.zone_id", f"LEFT JOIN {R} p ON p.id = r.duplicate_of_id"]
    selected = _selected(connection.vendor, extended)
    if per_cell:
        # Each cell's newest matches from the covering cell index (it holds position and time), no
        # more per cell than the pages up to this one hold, so a crowded corner costs no more than a
        # quiet one; then the page from those, then only the page's rows.
        sql = (
            f"SELECT {selected} FROM (SELECT n.id, n.requested_at FROM unnest(CAST(%s AS BIGINT[])) AS c(cell) "  # noqa: S608
            f"CROSS JOIN LATERAL (SELECT r.id, r.requested_at FROM {R} r WHERE {conditions} {newest} "
            f"LIMIT {offset + limit}) n ORDER BY n.requested_at DESC, n.id DESC LIMIT {limit} OFFSET {offset}) h "
            f"JOIN {R} r ON r.id = h.id {' '.join(joins)} ORDER BY h.requested_at DESC, h.id DESC"
        )
    else:
        page = f"{newest} LIMIT {limit} OFFSET {offset}"
        sql = f"SELECT {selected} FROM {R} r {' '.join(joins)} WHERE {conditions} {page}"  # noqa: S608
    names = [name for name, _ in columns]
    with _cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    unknown = ("", "")
    services, departments = labels.services, labels.departments

    def row_of(values: tuple[Any, ...], service: tuple[str, str], department: str | None) -> dict[str, Any]:
        row = dict(zip(names, values, strict=False))  # its own columns; the TRAILING values follow them
        row["service__code"], row["service__name"] = service
        row["department__name"] = department
        if not seconds:
            for moment in DATETIMES:
                row[moment] = None if row[moment] is None else datetime.fromtimestamp(row[moment], UTC)
        public_row_text(row, values[-3:])  # the reporter's contacts, the last of TRAILING
        return row

    rows: list[Any] = []
    for values in found:
        service, department = services.get(values[-5], unknown), departments.get(values[-4])
        if shape is None:
            rows.append(row_of(values, service, department))
        else:
            rows.append(
                shaped(shape, (service, department, values), functools.partial(row_of, values, service, department))
            )
    return rows


def _search_cells(where: PublicFilter) -> Sequence[int] | None:
    """The cells a radius search reads, or None when there is no radius or the circle alone does better."""
    if where.near is None or where.ids:
        return None  # ids override every other filter
    lat, lng, radius = where.near
    if radius <= CELL_SEARCH_MAX_M:
        return cells_reaching(lat, lng, radius)  # under half the covering ring's cells: fewer probes
    return None if connection.vendor == "postgresql" else cells_covering(lat, lng, radius)


def _cursor() -> Any:
    """A Django cursor; on PostgreSQL one that binds on the server, so psycopg can prepare the statement.

    Django binds on the client, which makes PostgreSQL parse and plan every list anew. Only this
    cursor prepares: Django's own cursors never do, whatever the connection's threshold. psycopg
    keeps the prepared statements per connection, so a reconnection simply prepares them again.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    cursor: Any = psycopg.Cursor(connection.connection)  # binds on the server; prepares per settings' prepare_threshold
    # Django's wrapper, so its query logging, execute wrappers and error translation still apply.
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


@functools.cache
def _selected(vendor: str, extended: bool) -> str:
    """The SELECT list, written once per database and shape."""
    columns = [expression for _, expression in (COLUMNS + EXTENDED_COLUMNS if extended else COLUMNS)] + TRAILING
    return ", ".join(_select(vendor, expression) for expression in columns)


def _select(vendor: str, expression: str) -> str:
    if expression.startswith("{epoch:"):
        return EPOCH_SQL[vendor].format(expression[len("{epoch:") : -1])
    return expression
