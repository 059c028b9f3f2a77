"""Apache Parquet of any dataset, written one row group (10,000 rows) at a time so memory stays constant.

Types map from Socrata's: text → string, number → float64 (Socrata's numbers are decimals, so an
integer column may hold fractions in another dataset version), checkbox → bool, calendar_date →
UTC timestamp (µs) or date (decided by the column's first value), point → WKT text as in the CSV,
polygons → GeoJSON text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .chunks import ChunkBuffer
from .values import GEOMETRY_TYPES, POINT, ColumnLike, as_text, normalized_rows

ROWS_PER_GROUP = 10_000

_ARROW_TYPES = {"number": pa.float64(), "checkbox": pa.bool_(), "text": pa.string()}


def write_parquet(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]], sink: Any) -> int:
    """Write the rows to `sink` (a path or a binary file) as Parquet; returns how many were written."""
    return sum(_row_groups(columns, rows, sink))


def stream_parquet(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The Parquet file in pieces, each row group handed on as soon as it is written."""
    sink = _Sink()
    for _ in _row_groups(columns, rows, sink):
        yield sink.take()
    yield sink.take()


def _row_groups(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]], sink: Any) -> Iterator[int]:
    """Write the file group by group, yielding each group's row count; the file is complete at the end."""
    batches = _batches(normalized_rows(columns, rows))
    first = next(batches, [])
    schema = _schema(columns, first)
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        if not first:
            writer.write_table(schema.empty_table())
        for batch in _chain(first, batches):
            writer.write_table(_table(schema, columns, batch))
            yield len(batch)


class _Sink(ChunkBuffer):
    """A write-only binary file for pyarrow that gives back what was written since the last take."""

    closed = False

    def __init__(self) -> None:
        super().__init__()
        self._position = 0

    def write(self, data: bytes) -> int:
        self._position += len(data)
        return super().write(bytes(data))

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    while batch := list(islice(rows, ROWS_PER_GROUP)):
        yield batch


def _chain(first: list[tuple[Any, ...]], rest: Iterator[list[tuple[Any, ...]]]) -> Iterator[list[tuple[Any, ...]]]:
    if first:
        yield first
    yield from rest


def _schema(columns: Sequence[ColumnLike], first: list[tuple[Any, ...]]) -> pa.Schema:
    fields = []
    for index, column in enumerate(columns):
        if column.type == "calendar_date":
            sample = next((row[index] for row in first if row[index] is not None), None)
            arrow = (
                pa.date32() if sample is not None and not isinstance(sample, datetime) else pa.timestamp("us", "UTC")
            )
        else:
            arrow = _ARROW_TYPES.get(column.type, pa.string())
        fields.append(pa.field(column.name, arrow))
    return pa.schema(fields)


def _table(schema: pa.Schema, columns: Sequence[ColumnLike], batch: list[tuple[Any, ...]]) -> pa.Table:
    arrays = []
    for index, column in enumerate(columns):
        values = [row[index] for row in batch]
        if column.type == POINT or column.type in GEOMETRY_TYPES:
            values = [None if value is None else as_text(value) for value in values]
        arrays.append(pa.array(values, type=schema.field(index).type))
    return pa.Table.from_arrays(arrays, schema=schema)
