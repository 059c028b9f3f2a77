"""Bulk downloads of whole datasets: the formats offered, the rows read from a dataset's source, the bytes.

Rows come from the dataset's own `source()` (the public projection or catalogue, never the request
tables) through a server-side cursor on PostgreSQL and a chunked one on SQLite, so a download of any
size holds one batch at a time. CSV from PostgreSQL skips Python altogether: `COPY … TO STDOUT`
formats the rows on the server (formats/copy.py), several times faster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from .formats import stream_csv, stream_geojson, stream_parquet
from .formats.copy import copy_csv
from .formats.values import POINT
from .registry import Column, Dataset

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
