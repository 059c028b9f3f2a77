"""Bytes handed to the web server in pieces big enough to be cheap and small enough to stay constant."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

CHUNK_BYTES = 64 * 1024


class ChunkBuffer:
    """Collects small writes and hands them back as one piece once `CHUNK_BYTES` have gathered."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(data)
        self._size += len(data)
        return len(data)

    @property
    def full(self) -> bool:
        return self._size >= CHUNK_BYTES

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self._size = 0
        return data


def gzipped(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The stream gzip-compressed as it goes (a gzip member, as `Content-Encoding: gzip` and .gz expect)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    for piece in pieces:
        compressed = compressor.compress(piece)
        if compressed:
            yield compressed
    yield compressor.flush()
