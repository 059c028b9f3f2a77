"""How each Socrata column type reads from a database row and is written as text: one rule for every format.

Rows reach the writers as tuples in the dataset's column order. A `point` column's value is a
`(latitude, longitude)` pair (or None); a `polygon`/`multipolygon` column's value a GeoJSON geometry,
as its JSON text (or a mapping). SQLite hands back booleans as 0/1 and times as text, PostgreSQL as
Python objects; `normalize` makes them the same, so every format writes the same file from both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

import orjson
from django.utils.dateparse import parse_date, parse_datetime

POINT = "point"
GEOMETRY_TYPES = frozenset({"polygon", "multipolygon", "line", "multiline", "multipoint"})


class ColumnLike(Protocol):
    """What the writers need of a dataset column (the registry's `Column` has both)."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...


def normalize(type_: str, value: Any) -> Any:
    """The value as Python gives it on every database: bool, float/int, aware UTC datetime or date, str."""
    if value is None:
        return None
    if type_ == "checkbox":
        return bool(value)
    if type_ == "calendar_date":
        return _moment(value)
    if type_ == "number":
        return float(value) if isinstance(value, Decimal) else value
    if type_ in GEOMETRY_TYPES:
        # Kept as the database's GeoJSON text, so every format writes it as stored (and COPY's text).
        return orjson.dumps(value).decode() if isinstance(value, Mapping) else str(value)
    if type_ == POINT:
        latitude, longitude = value
        return None if latitude is None or longitude is None else (float(latitude), float(longitude))
    return value


def _moment(value: Any) -> datetime | date | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 10:
        return parse_date(text)
    moment = parse_datetime(text)
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def normalized_rows(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """Each row with every value normalized for its column's type."""
    types = [column.type for column in columns]
    for row in rows:
        yield tuple(normalize(type_, value) for type_, value in zip(types, row, strict=True))


def as_text(value: Any) -> str:
    """A normalized value as it reads in a CSV cell (and as PostgreSQL's `COPY` path writes it).

    Times are ISO 8601 to the second in UTC with their offset (`2026-12-04T08:30:00+00:00`), dates
    `2026-12-04`, booleans `true`/`false`, numbers in their shortest exact form without a trailing
    `.0` (as PostgreSQL prints them), points WKT `POINT (longitude latitude)` as Socrata's CSV has them.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return point_wkt(*value)
    return str(value)


def point_wkt(latitude: float, longitude: float) -> str:
    return f"POINT ({number_text(longitude)} {number_text(latitude)})"


def number_text(number: float) -> str:
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text


def json_ready(value: Any) -> Any:
    """A normalized value as a JSON property: numbers and booleans stay typed, times are ISO text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return point_wkt(*value)
    return value
