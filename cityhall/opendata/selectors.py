"""Reads of open data, always through a dataset's `source()` (the projection or the public catalogue)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, cast

from django.core.files.storage import default_storage
from django.db import connection

from cityhall.core.ttl_cache import TtlCache

from .registry import Dataset
from .values import as_python

T = TypeVar("T")
PREVIEW_ROWS = 10
MAP_POINTS = 300


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# An aggregate dataset's preview, count and time span each read its whole source, an aggregate of every
# request (~200 ms each on the demo, on every view of its page and of /data.json). So they are remembered
# per process while its data is unchanged (its `last_modified`, an indexed MAX, asked on every read), and
# an hour at most, so that a request removed without a newer change (an erasure) counts within the hour.
# A dataset of single requests is always read afresh: an erased request's row must leave at once.
_remembered: TtlCache[tuple[datetime | None, Any]] = TtlCache(seconds=3600)


def _while_unchanged(key: tuple[str, ...], dataset: Dataset, read: Callable[[], T]) -> T:
    if not dataset.aggregate:
        return read()
    modified = dataset.last_modified()
    known, value = _remembered.get(key, lambda: (modified, read()))
    if known != modified:
        _remembered.forget(key)
        known, value = _remembered.get(key, lambda: (modified, read()))
    return cast(T, value)


def preview(dataset: Dataset, limit: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The first rows in the dataset's stable order, each {column name: Python value}."""
    return _while_unchanged(("preview", dataset.id, str(limit)), dataset, lambda: _first_rows(dataset, limit))


def _first_rows(dataset: Dataset, limit: int) -> list[dict[str, Any]]:
    source, params = dataset.source()
    names = dataset.selected_columns
    order = ", ".join(dataset.order_by) or "1"
    sql = f"SELECT {', '.join(names)} FROM ({source}) t ORDER BY {order} LIMIT %s"  # noqa: S608 (names from code)
    columns = [dataset.column(name) for name in names]
    return [
        {column.name: as_python(column, value) for column, value in zip(columns, row, strict=True)}
        for row in _fetch(sql, [*params, limit])
    ]


def row_count(dataset: Dataset) -> int:
    return _while_unchanged(("count", dataset.id), dataset, lambda: _count(dataset))


def _count(dataset: Dataset) -> int:
    source, params = dataset.source()
    return int(_fetch(f"SELECT COUNT(*) FROM ({source}) t", params)[0][0])  # noqa: S608 (the registry's SQL)


def coverage(dataset: Dataset) -> tuple[date, date] | None:
    """The first and last day of its temporal column, or None (no temporal column, or no rows)."""
    temporal = dataset.temporal
    if not temporal:
        return None
    return _while_unchanged(("coverage", dataset.id), dataset, lambda: _first_and_last_day(dataset, temporal))


def _first_and_last_day(dataset: Dataset, temporal: str) -> tuple[date, date] | None:
    source, params = dataset.source()
    column = dataset.column(temporal)
    # Each end as the first row of an ordered read, not MIN/MAX over the subquery: the planners then walk
    # the column's index from either end (0.2 ms on the demo's requests, where MIN/MAX scanned: 12 ms).
    ends = []
    for direction in ("ASC", "DESC"):
        sql = (
            f"SELECT {column.name} FROM ({source}) t WHERE {column.name} IS NOT NULL "  # noqa: S608 (names from code)
            f"ORDER BY {column.name} {direction} LIMIT 1"
        )
        rows = _fetch(sql, params)
        if not rows:
            return None
        ends.append(_day(as_python(column, rows[0][0])))
    return ends[0], ends[1]


def map_points(dataset: Dataset, limit: int = MAP_POINTS) -> list[tuple[float, float]]:
    """The latest points of a dataset with a point column, for a small map."""
    point = dataset.point
    if point is None:
        return []
    source, params = dataset.source()
    lat, lng = point.sql_latitude, point.sql_longitude
    latest = f"{dataset.temporal} DESC" if dataset.temporal else "1"
    sql = (
        f"SELECT {lat}, {lng} FROM ({source}) t WHERE {lat} IS NOT NULL AND {lng} IS NOT NULL "  # noqa: S608
        f"ORDER BY {latest} LIMIT %s"
    )
    return [(float(row[0]), float(row[1])) for row in _fetch(sql, [*params, limit])]


def shapes(dataset: Dataset) -> list[dict[str, Any]]:
    """GeoJSON features of a dataset with a boundary column (its other text columns as properties)."""
    geometry = next((column for column in dataset.columns if column.type == "multipolygon"), None)
    if geometry is None:
        return []
    return [
        {
            "type": "Feature",
            "geometry": row[geometry.name],
            "properties": {name: value for name, value in row.items() if name != geometry.name},
        }
        for row in preview(dataset, limit=1000)
    ]


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


# Where the nightly snapshots live in the default storage (written by services/snapshots.py).
SNAPSHOTS_ROOT = "opendata/snapshots"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Snapshot:
    """One nightly file of a dataset (services/snapshots.py), as its checksum file lists it."""

    day: date
    name: str  # <dataset-id>.<format>
    extension: str
    sha256: str

    @property
    def storage_name(self) -> str:
        return f"{SNAPSHOTS_ROOT}/{self.day.isoformat()}/{self.name}"

    @property
    def path(self) -> str:
        """Where it downloads from (views/downloads.py, `snapshot_file`)."""
        return f"/data/snapshots/{self.day.isoformat()}/{self.name}"


def snapshot_days() -> list[str]:
    """The folders under the snapshots' root (one a day), unsorted; none before the first snapshot.

    Asked by listing, not `exists`: a bucket has no folders to ask about, only names that share a prefix.
    """
    try:
        return list(default_storage.listdir(SNAPSHOTS_ROOT)[0])
    except FileNotFoundError:  # the local disk, before the first snapshot
        return []


def snapshots(dataset: Dataset) -> list[Snapshot]:
    """The dataset's complete nightly snapshots still kept, newest day first."""
    found = []
    for folder in sorted(snapshot_days(), reverse=True):
        try:
            day = date.fromisoformat(folder)
        except ValueError:
            continue
        listing = f"{SNAPSHOTS_ROOT}/{folder}/{CHECKSUMS}"
        if not default_storage.exists(listing):
            continue  # being written, or pruned
        with default_storage.open(listing) as sums:
            for line in sums.read().decode().splitlines():
                sha256, name = line.split("  ", 1)
                if name.startswith(f"{dataset.id}."):
                    found.append(Snapshot(day, name, name.removeprefix(f"{dataset.id}."), sha256))
    return found
