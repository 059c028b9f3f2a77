"""CSV of any dataset: a header of column names, then one line per row, streamed in pieces."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .chunks import ChunkBuffer
from .values import ColumnLike, converted_rows, text_cell


def stream_csv(columns: Sequence[ColumnLike], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180 quoting, `\\n` line ends, as PostgreSQL's COPY writes it) of the rows."""
    buffer = ChunkBuffer()
    text = _TextSink(buffer)
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([column.name for column in columns])
    for row in converted_rows([text_cell(column.type) for column in columns], rows):
        writer.writerow(row)
        if buffer.full:
            yield buffer.take()
    yield buffer.take()


class _TextSink:
    """The file the csv module writes to: encodes each line into the buffer."""

    def __init__(self, buffer: ChunkBuffer) -> None:
        self._buffer = buffer

    def write(self, line: str) -> int:
        return self._buffer.write(line.encode())
