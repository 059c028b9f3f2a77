"""The city's open datasets, defined as code: metadata, data dictionary and the SQL that yields the rows.

Each dataset's `source()` is one SELECT over the public projection (cityhall/opendata/models.py) or
the public part of the catalogue, giving exactly its columns by name; the SODA API, the bulk
downloads and the catalog pages all start from it, so none can reach what the privacy rule drops.
A `point` column is not a column of the SELECT: it names the two number columns holding its
latitude and longitude (`sql_latitude`, `sql_longitude`).

Ids are Socrata "4x4" ids, fixed forever (clients keep them in code); slugs are for people.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from django.db import connection
from django.db.models import Max, Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityhall.catalogue.models import Department, Service, ServiceGroup, Zone

from .models import PublicRequest, PublicRequestUpdate

ColumnType = Literal["text", "number", "calendar_date", "checkbox", "point", "multipolygon"]
DATASET_ID = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}")
LICENSE = "https://opendatacommons.org/licenses/pddl/1-0/"
CONTINUOUSLY = _("Continuously, as requests change")


class UnknownDataset(LookupError):
    """No dataset has this id."""

    def __init__(self, dataset_id: str) -> None:
        super().__init__(f"No dataset with id {dataset_id!r}.")
        self.dataset_id = dataset_id


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    label: str | Promise
    description: str | Promise
    example: str = ""
    sql_latitude: str = ""  # a point column: the SELECT's columns holding its coordinates
    sql_longitude: str = ""
    day: bool = False  # a calendar_date holding a day in the city's time (a date), not an instant

    @property
    def selected(self) -> bool:
        """Whether the column is a column of the SELECT (a point is reached through two others)."""
        return self.type != "point"


@dataclass(frozen=True)
class Dataset:
    id: str
    slug: str
    title: str | Promise
    description: str | Promise
    keywords: tuple[str | Promise, ...]
    columns: tuple[Column, ...]
    query: Callable[[], str] = field(repr=False)
    modified: Callable[[], datetime | None] = field(repr=False)
    # Empty publisher and contact mean the city's own (its name and contact email, from the catalogue).
    publisher: str = ""
    contact: str = ""
    license: str = LICENSE
    frequency: str = "R/P1D"  # ISO 8601 repeat: how often the data changes (DCAT accrualPeriodicity)
    frequency_label: str | Promise = CONTINUOUSLY
    temporal: str = ""  # the column whose first and last values bound the temporal coverage
    spatial: bool = True  # covers the city's area
    order_by: tuple[str, ...] = ()  # a stable order for pages and previews
    # Each row sums many requests (no row is one request's), so its page may show what was read a
    # little earlier: selectors remember its preview, count and span while its data is unchanged.
    aggregate: bool = False

    def source(self) -> tuple[str, list[Any]]:
        """One SELECT yielding exactly the public columns, by name, in no particular order (`order_by`
        gives a stable one); any values are bound parameters."""
        return self.query(), []

    def last_modified(self) -> datetime | None:
        """When its data last changed (None when it has none)."""
        return self.modified()

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def selected_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.selected]

    @property
    def point(self) -> Column | None:
        return next((column for column in self.columns if column.type == "point"), None)


def datasets() -> list[Dataset]:
    return list(_DATASETS)


def dataset(dataset_id: str) -> Dataset:
    for candidate in _DATASETS:
        if candidate.id == dataset_id:
            return candidate
    raise UnknownDataset(dataset_id)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _select(model: type[Model], columns: tuple[Column, ...]) -> Callable[[], str]:
    def query() -> str:
        names = ", ".join(column.name for column in columns if column.selected)
        return f"SELECT {names} FROM {_table(model)}"  # noqa: S608 (names from code)

    return query


def _latest(model: type[Model], column: str) -> Callable[[], datetime | None]:
    def modified() -> datetime | None:
        latest: datetime | None = model.objects.aggregate(latest=Max(column))["latest"]  # type: ignore[attr-defined]
        return latest

    return modified


def _catalogue_query() -> str:
    # Only the public services; their names in both languages, their group and department in English.
    s, g, d = _table(Service), _table(ServiceGroup), _table(Department)
    return (
        "SELECT s.code AS service_code, s.name_en AS service_name, COALESCE(s.name_es, '') AS service_name_es, "  # noqa: S608
        "s.description_en AS description, COALESCE(s.description_es, '') AS description_es, "
        "COALESCE(g.name_en, '') AS category_group, COALESCE(d.name_en, '') AS department, "
        "s.sla_hours AS sla_hours, s.active AS active, s.sensitive AS sensitive, s.type AS service_type "
        f"FROM {s} s LEFT JOIN {g} g ON g.id = s.group_id LEFT JOIN {d} d ON d.id = s.default_department_id "
        "WHERE NOT s.is_private"
    )


def _updates_query() -> str:
    return (
        "SELECT event_id AS update_id, service_request_id, service_code, updated_datetime, update_type, action, "  # noqa: S608
        f"status, status_detail, description FROM {_table(PublicRequestUpdate)}"
    )


def _zones_query() -> str:
    geometry = "CAST(geometry AS TEXT)"
    return f"SELECT slug AS zone_id, name, kind, {geometry} AS the_geom FROM {_table(Zone)}"  # noqa: S608


def _performance_query() -> str:
    closed = "CASE WHEN sla_met THEN 1 ELSE 0 END"
    return (
        "SELECT requested_date AS date, service_code, service_name, neighborhood, COUNT(*) AS requests, "  # noqa: S608
        "COUNT(closed_datetime) AS closed, "
        "ROUND(CAST(AVG(hours_to_close) AS NUMERIC), 1) AS average_hours_to_close, "
        f"SUM({closed}) AS closed_within_sla, COUNT(sla_met) AS closed_with_sla "
        f"FROM {_table(PublicRequest)} "
        "GROUP BY requested_date, service_code, service_name, neighborhood"
    )


SERVICE_CODE = Column(
    "service_code", "text", _("Service code"), _("The category's code (Open311 service_code)."), "potholes"
)
SERVICE_NAME = Column("service_name", "text", _("Service"), _("The category's name in English."), "Potholes")
SERVICE_NAME_ES = Column(
    "service_name_es", "text", _("Service (Spanish)"), _("The category's name in Spanish."), "Baches"
)
NEIGHBORHOOD = Column("neighborhood", "text", _("Neighborhood"), _("The neighborhood the place is in, if any."), "Pico")
REQUEST_ID = Column(
    "service_request_id",
    "text",
    _("Request number"),
    _("The request's public number (Open311 service_request_id)."),
    "20483517",
)
CATEGORY_GROUP = Column(
    "category_group", "text", _("Group"), _("The heading the category is listed under."), "Streets and Sidewalks"
)
DEPARTMENT = Column("department", "text", _("Department"), _("The department in charge."), "Public Works")

REQUEST_COLUMNS = (
    REQUEST_ID,
    SERVICE_CODE,
    SERVICE_NAME,
    SERVICE_NAME_ES,
    CATEGORY_GROUP,
    DEPARTMENT,
    Column("status", "text", _("Status"), _("open or closed, as in Open311."), "open"),
    Column(
        "status_detail",
        "text",
        _("Stage"),
        _("Where it stands: submitted, routed, assigned, in_progress, on_hold, resolved or closed."),
        "in_progress",
    ),
    Column("resolution", "text", _("Resolution"), _("How a finished request ended, e.g. fixed or duplicate."), "fixed"),
    Column(
        "status_notes",
        "text",
        _("Status notes"),
        _("The city's latest public note on it."),
        "Crew scheduled for Tuesday.",
    ),
    Column("requested_datetime", "calendar_date", _("Requested"), _("When it was reported."), "2026-11-30T09:12:00"),
    Column("updated_datetime", "calendar_date", _("Updated"), _("When it last changed."), "2026-12-01T14:03:00"),
    Column(
        "expected_datetime",
        "calendar_date",
        _("Expected by"),
        _("When the city expects to finish, if it says."),
        "2026-12-04T17:00:00",
    ),
    Column(
        "closed_datetime",
        "calendar_date",
        _("Closed"),
        _("When the city finished the work; empty while open."),
        "2026-12-02T10:30:00",
    ),
    Column(
        "address",
        "text",
        _("Address"),
        _("Where it is, as given; empty for sensitive categories."),
        "1685 Main Street",
    ),
    NEIGHBORHOOD,
    Column(
        "latitude",
        "number",
        _("Latitude"),
        _("WGS84; the center of a ~150 m cell for sensitive categories."),
        "34.0119",
    ),
    Column(
        "longitude",
        "number",
        _("Longitude"),
        _("WGS84; the center of a ~150 m cell for sensitive categories."),
        "-118.4916",
    ),
    Column(
        "location",
        "point",
        _("Location"),
        _("The point (latitude, longitude), for maps and spatial queries."),
        "POINT (-118.4916 34.0119)",
        sql_latitude="latitude",
        sql_longitude="longitude",
    ),
    Column(
        "location_generalized",
        "checkbox",
        _("Place generalized"),
        _("True when the category is sensitive: the point is a cell's center and the address is left out."),
        "false",
    ),
    Column(
        "description",
        "text",
        _("Description"),
        _("What the reporter wrote, without emails or phone numbers; empty for sensitive categories."),
        "Deep pothole in the right lane.",
    ),
    Column(
        "channel", "text", _("Channel"), _("How it came in: web, phone, walk_in, open311, device or import."), "web"
    ),
    Column("support_count", "number", _("Supporters"), _("Residents who said they have the same problem."), "3"),
)

UPDATE_COLUMNS = (
    Column("update_id", "number", _("Update number"), _("The update's number (unique)."), "918273"),
    REQUEST_ID,
    SERVICE_CODE,
    Column("updated_datetime", "calendar_date", _("When"), _("When it happened."), "2026-12-01T14:03:00"),
    Column(
        "update_type",
        "text",
        _("Kind"),
        _("What happened, as a code, e.g. submitted, transition (a change of stage) or comment (a public reply)."),
        "transition",
    ),
    Column("action", "text", _("Action"), _("The step taken, e.g. assign, start, resolve."), "resolve"),
    Column("status", "text", _("Status"), _("open or closed after this update; empty if it did not change."), "closed"),
    Column(
        "status_detail", "text", _("Stage"), _("The stage after this update; empty if it did not change."), "resolved"
    ),
    Column(
        "description",
        "text",
        _("Public note"),
        _("The city's public reply, without emails or phone numbers; empty for sensitive categories."),
        "Filled and sealed.",
    ),
)

CATALOGUE_COLUMNS = (
    SERVICE_CODE,
    SERVICE_NAME,
    SERVICE_NAME_ES,
    Column("description", "text", _("Description"), _("What the category is for, in English."), "Holes in the road."),
    Column(
        "description_es",
        "text",
        _("Description (Spanish)"),
        _("What the category is for, in Spanish."),
        "Hoyos en la calle.",
    ),
    CATEGORY_GROUP,
    DEPARTMENT,
    Column(
        "sla_hours",
        "number",
        _("Target hours"),
        _("Business hours the city allows to resolve; empty: no promise."),
        "45",
    ),
    Column("active", "checkbox", _("Active"), _("Whether new requests are taken."), "true"),
    Column(
        "sensitive",
        "checkbox",
        _("Sensitive"),
        _("Published with a generalized place and no description."),
        "false",
    ),
    Column("service_type", "text", _("Type"), _("Open311 type: realtime, batch or blackbox."), "realtime"),
)

ZONE_COLUMNS = (
    Column("zone_id", "text", _("Zone id"), _("A short, fixed name of the area."), "pico"),
    Column("name", "text", _("Name"), _("The area's name."), "Pico"),
    Column(
        "kind",
        "text",
        _("Kind"),
        _("The kind of area, as a code: a neighborhood, a district or another kind."),
        "neighbourhood",
    ),
    Column(
        "the_geom",
        "multipolygon",
        _("Boundary"),
        _("The area's outline: a GeoJSON Polygon or MultiPolygon (WGS84)."),
        '{"type": "Polygon", "coordinates": [[[-118.47, 34.02], …]]}',
    ),
)

PERFORMANCE_COLUMNS = (
    Column(
        "date", "calendar_date", _("Date"), _("The day the requests were made (city time)."), "2026-11-30", day=True
    ),
    SERVICE_CODE,
    SERVICE_NAME,
    NEIGHBORHOOD,
    Column("requests", "number", _("Requests"), _("Requests made that day."), "4"),
    Column("closed", "number", _("Closed"), _("Of those, how many the city has finished."), "3"),
    Column(
        "average_hours_to_close",
        "number",
        _("Average hours to close"),
        _("Mean time from request to finish of those closed, in hours."),
        "26.5",
    ),
    Column(
        "closed_within_sla",
        "number",
        _("Closed on time"),
        _("Of those closed with a target time, how many met it."),
        "2",
    ),
    Column(
        "closed_with_sla",
        "number",
        _("Closed with a target"),
        _("Of those closed, how many had a target time (divide to get the rate)."),
        "3",
    ),
)

_DATASETS = (
    Dataset(
        id="r311-sreq",
        slug="service-requests",
        title=_("311 service requests"),
        description=_(
            "Every public service request residents made to the city, history included, one row each, "
            "kept current as requests change. Sensitive categories are published with a generalized place "
            "and no description; private categories and anything that could identify the reporter are never "
            "published."
        ),
        keywords=(_("311"), _("service requests"), _("streets"), _("city services")),
        columns=REQUEST_COLUMNS,
        query=_select(PublicRequest, REQUEST_COLUMNS),
        modified=_latest(PublicRequest, "updated_datetime"),
        temporal="requested_datetime",
        order_by=("requested_datetime", "service_request_id"),
    ),
    Dataset(
        id="r311-updt",
        slug="request-updates",
        title=_("311 request updates"),
        description=_(
            "The public timeline of every public request: when it was received, moved on, answered and finished, "
            "with the city's public replies. Internal notes are never published."
        ),
        keywords=(_("311"), _("service requests"), _("updates")),
        columns=UPDATE_COLUMNS,
        query=_updates_query,
        modified=_latest(PublicRequestUpdate, "updated_datetime"),
        temporal="updated_datetime",
        order_by=("updated_datetime", "update_id"),
    ),
    Dataset(
        id="r311-svcs",
        slug="service-catalog",
        title=_("311 service catalog"),
        description=_(
            "The categories residents can report, with their group, department and the time the city allows "
            "to resolve them, in English and Spanish."
        ),
        keywords=(_("311"), _("services"), _("catalog")),
        columns=CATALOGUE_COLUMNS,
        query=_catalogue_query,
        modified=_latest(Service, "updated_at"),
        frequency="R/P1M",
        frequency_label=_("When the city changes its categories"),
        spatial=False,
        order_by=("service_code",),
    ),
    Dataset(
        id="city-zone",
        slug="neighborhoods",
        title=_("Neighborhoods and zones"),
        description=_(
            "The city's neighborhoods and districts as used for routing and statistics, with their boundaries."
        ),
        keywords=(_("neighborhoods"), _("boundaries"), _("maps")),
        columns=ZONE_COLUMNS,
        query=_zones_query,
        modified=_latest(Zone, "updated_at"),
        frequency="R/P1Y",
        frequency_label=_("When boundaries change"),
        order_by=("zone_id",),
    ),
    Dataset(
        id="r311-perf",
        slug="service-performance",
        title=_("311 service performance"),
        description=_(
            "For each day, category and neighborhood: how many requests were made, how many are finished, the "
            "average time to finish them and how many met the city's target time."
        ),
        keywords=(_("311"), _("performance"), _("response times")),
        columns=PERFORMANCE_COLUMNS,
        query=_performance_query,
        modified=_latest(PublicRequest, "updated_datetime"),
        temporal="date",
        order_by=("date", "service_code", "neighborhood"),
        aggregate=True,
    ),
)
