"""Bulk downloads of whole datasets or of any SODA query: the formats offered, the rows read, the bytes.

Rows come from the dataset's own `source()` (the public projection or catalogue, never the request
tables) through a server-side cursor on PostgreSQL and a chunked one on SQLite, so a download of any
size holds one batch at a time. CSV from PostgreSQL skips Python altogether: `COPY … TO STDOUT`
formats the rows on the server (formats/copy.py), several times faster.

A query's file (`query_pieces`) is written by the same writers, so its values read as the whole
file's do: a query without clauses gives the whole file, and a filter gives the whole file's lines
that match. Days and `date_trunc_*` results (floating dates in the city's time) are written as dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.db import connection

from .formats import stream_csv, stream_geojson, stream_parquet
from .formats.copy import copy_csv
from .formats.values import POINT
from .registry import Column, Dataset
from .soda.run import Stream

FETCH_ROWS = 2_000


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    write: Callable[[Sequence[Any], Iterable[Sequence[Any]]], Iterator[bytes]]


FORMATS = {
    "csv": Format("csv", "text/csv; charset=utf-8", stream_csv),
    "geojson": Format("geojson", "application/geo+json", stream_geojson),
    "parquet": Format("parquet", "application/vnd.apache.parquet", stream_parquet),
}


class UnknownFormat(LookupError):
    def __init__(self, extension: str) -> None:
        super().__init__(f"No download format {extension!r}; offered: {', '.join(FORMATS)}.")


def download_format(extension: str) -> Format:
    try:
        return FORMATS[extension]
    except KeyError:
        raise UnknownFormat(extension) from None


def pieces(dataset: Dataset, file_format: Format) -> Iterator[bytes]:
    """The whole dataset in the format, in pieces (the fast COPY path for CSV on PostgreSQL)."""
    if file_format.extension == "csv" and connection.vendor == "postgresql":
        return copy_csv(connection, dataset.columns, dataset.source(), point_parts(dataset.columns), dataset.order_by)
    return file_format.write(dataset.columns, rows(dataset))


@dataclass(frozen=True)
class QueryColumn:
    name: str
    type: str


def query_pieces(found: Stream, file_format: Format) -> Iterator[bytes]:
    """The query's answer in the format, in pieces, as it is read."""
    columns = [QueryColumn(output.name, _file_type(output.type)) for output in found.outputs]
    return file_format.write(columns, _query_rows(found))


def _file_type(soql_type: str) -> str:
    return {"floating": "calendar_date", "null": "text"}.get(soql_type, soql_type)


def _query_rows(found: Stream) -> Iterator[tuple[Any, ...]]:
    """Each row with a point's two columns as one (latitude, longitude) pair and floating dates as dates."""
    plan = [(output.width, output.type == "floating") for output in found.outputs]
    read_floating = found.dialect.read_floating
    for raw in found.rows:
        values: list[Any] = []
        position = 0
        for width, floating in plan:
            value = raw[position : position + 2] if width == 2 else raw[position]
            if floating and value is not None:
                value = _floating_day(read_floating(value))
            values.append(value)
            position += width
        yield tuple(values)


def _floating_day(moment: Any) -> Any:
    """A floating value at midnight (a day, a truncated date) as that date; anything else as its text."""
    return moment.date() if moment.time() == time() else moment.isoformat()


def point_parts(columns: Sequence[Column]) -> dict[str, tuple[str, str]]:
    return {column.name: (column.sql_latitude, column.sql_longitude) for column in columns if column.type == POINT}


def rows(dataset: Dataset) -> Iterator[tuple[Any, ...]]:
    """The dataset's rows in column order and its stable row order, a point column as its (latitude,
    longitude) pair."""
    query, params = dataset.source()
    selected: list[str] = []
    for column in dataset.columns:
        selected += [column.sql_latitude, column.sql_longitude] if column.type == POINT else [column.name]
    points = [column.type == POINT for column in dataset.columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in selected)
    order = f" ORDER BY {', '.join(quote(name) for name in dataset.order_by)}" if dataset.order_by else ""
    with connection.chunked_cursor() as cursor:
        # Names from the registry, values bound.
        cursor.execute(f"SELECT {names} FROM ({query}) AS source{order}", list[Any](params))  # noqa: S608
        while batch := cursor.fetchmany(FETCH_ROWS):
            if any(points):
                yield from (_with_points(raw, points) for raw in batch)
            else:
                yield from batch


def _with_points(raw: Sequence[Any], points: list[bool]) -> tuple[Any, ...]:
    values: list[Any] = []
    position = 0
    for is_point in points:
        if is_point:
            values.append((raw[position], raw[position + 1]))
            position += 2
        else:
            values.append(raw[position])
            position += 1
    return tuple(values)
