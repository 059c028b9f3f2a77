"""How each Socrata column type reads from a database row and is written as text: one rule for every format.

Rows reach the writers as tuples in the dataset's column order. A `point` column's value is a
`(latitude, longitude)` pair (or None); a `polygon`/`multipolygon` column's value a GeoJSON geometry,
as its JSON text (or a mapping). SQLite hands back booleans as 0/1 and times as text, PostgreSQL as
Python objects; `normalize` makes them the same, so every format writes the same file from both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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


Cell = Callable[[Any], Any]


def converted_rows(cells: Sequence[Cell | None], rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """Each row as a list with `cells[i]` applied to column i (None: the value passes as it is).

    The hot loop of every download: only the columns that need it are touched.
    """
    converting = [(index, cell) for index, cell in enumerate(cells) if cell is not None]
    for row in rows:
        values = list(row)
        for index, cell in converting:
            values[index] = cell(values[index])
        yield values


def text_cell(type_: str) -> Cell | None:
    """How a value of the type becomes CSV text (`as_text`), or None when the csv module's own is it."""
    if type_ == "text":
        return None  # the csv module writes None as nothing
    if type_ == "calendar_date":
        return moment_text
    if type_ == "number":
        return _number_cell
    if type_ == "checkbox":
        return _checkbox_text
    return as_text


def _checkbox_text(value: Any) -> str | None:
    return None if value is None else ("true" if value else "false")


def json_cell(type_: str) -> Cell | None:
    """How a value of the type becomes a typed JSON property (times as their CSV text)."""
    if type_ == "checkbox":
        return _checkbox_cell
    if type_ == "calendar_date":
        return moment_text
    if type_ == "number":
        return _json_number_cell
    if type_ == POINT:
        return as_text
    return None


def moment_text(value: Any) -> str | None:
    """A time as ISO 8601 to the second in UTC (`2026-12-04T08:30:00+00:00`), a date as `2026-12-04`.

    SQLite's text (`2026-12-04 08:30:00.250000`, UTC) is cut rather than parsed: it is the hot path.
    """
    if value is None:
        return None
    if type(value) is str and len(value) >= 19 and value[10] == " " and len(value) in (19, 26):
        return f"{value[:10]}T{value[11:19]}+00:00"
    moment = _moment(value)
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds")
    return None if moment is None else moment.isoformat()


def _number_cell(value: Any) -> Any:
    if type(value) is float:
        return number_text(value)
    return number_text(float(value)) if isinstance(value, Decimal) else value


def _json_number_cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _checkbox_cell(value: Any) -> bool | None:
    return None if value is None else bool(value)


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
    if isinstance(value, datetime | date):
        return moment_text(value) or ""
    if isinstance(value, tuple):
        return "" if None in value else point_wkt(*value)
    return str(value)


def point_wkt(latitude: float, longitude: float) -> str:
    return f"POINT ({number_text(longitude)} {number_text(latitude)})"


def number_text(number: float) -> str:
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text
