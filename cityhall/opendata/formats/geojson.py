"""GeoJSON (RFC 7946) of any dataset: a FeatureCollection, one Feature per row, streamed in pieces.

The geometry is the dataset's first `point` column (a Point at its longitude, latitude) or geometry
column (a zone's polygon); every other column is a typed property. Rows without a place have a null
geometry, which RFC 7946 allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson

from .chunks import ChunkBuffer
from .values import GEOMETRY_TYPES, POINT, ColumnLike, converted_rows, json_cell, normalize

HEAD = b'{"type":"FeatureCollection","features":[\n'
TAIL = b"\n]}\n"


def geometry_index(columns: Sequence[ColumnLike]) -> int | None:
    """Which column holds each row's geometry, if any."""
    for index, column in enumerate(columns):
        if column.type == POINT or column.type in GEOMETRY_TYPES:
            return index
    return None


def stream_geojson(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The rows as a GeoJSON FeatureCollection, in UTF-8 pieces."""
    where = geometry_index(columns)
    names = [column.name for index, column in enumerate(columns) if index != where]
    buffer = ChunkBuffer()
    buffer.write(HEAD)
    separator = b""
    cells = [json_cell(column.type) for column in columns]
    geometry_type = columns[where].type if where is not None else ""
    if where is not None:
        cells[where] = None
    for row in converted_rows(cells, rows):
        geometry = _geometry(normalize(geometry_type, row.pop(where))) if where is not None else None
        properties = dict(zip(names, row, strict=True))
        buffer.write(separator)
        buffer.write(orjson.dumps({"type": "Feature", "geometry": geometry, "properties": properties}))
        separator = b",\n"
        if buffer.full:
            yield buffer.take()
    buffer.write(TAIL)
    yield buffer.take()


def _geometry(value: Any) -> Any:
    if isinstance(value, tuple):
        latitude, longitude = value
        return {"type": "Point", "coordinates": [longitude, latitude]}
    return None if value is None else orjson.Fragment(value)
