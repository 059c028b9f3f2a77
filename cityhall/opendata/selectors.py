"""Reads of open data, always through a dataset's `source()` (the projection or the public catalogue)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection

from .registry import Dataset
from .values import as_python

PREVIEW_ROWS = 10
MAP_POINTS = 300


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def preview(dataset: Dataset, limit: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The first rows in the dataset's stable order, each {column name: Python value}."""
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
    source, params = dataset.source()
    return int(_fetch(f"SELECT COUNT(*) FROM ({source}) t", params)[0][0])  # noqa: S608 (the registry's SQL)


def coverage(dataset: Dataset) -> tuple[date, date] | None:
    """The first and last day of its temporal column, or None (no temporal column, or no rows)."""
    if not dataset.temporal:
        return None
    source, params = dataset.source()
    column = dataset.column(dataset.temporal)
    sql = f"SELECT MIN({column.name}), MAX({column.name}) FROM ({source}) t"  # noqa: S608 (names from code)
    first, last = (as_python(column, value) for value in _fetch(sql, params)[0])
    if first is None or last is None:
        return None
    return _day(first), _day(last)


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
