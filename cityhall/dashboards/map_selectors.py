"""What the dashboards' maps show: per neighborhood and per H3 cell, requests received and median time to close.

Neighborhoods read the rollups (zone is one of their keys). Hexagons read a rollup of their own
keyed by map cell (geo.cells.MAP_RESOLUTION) as well, `MapRollup`: putting the cell in the main
rollups' key would multiply the rows every other chart reads. Both read whole months by month. Definitions as in
docs/dashboards.md; filters and department pinning apply as everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum

from .buckets import percentile
from .filters import Filters
from .models import EVERY_SERVICE, MapRollup, Rollup
from .selectors import summed, zone_close_histograms


@dataclass(frozen=True)
class Place:
    key: int  # a zone id or an H3 cell
    received: int
    closed: int
    close_median: float | None  # seconds


def by_zone(filters: Filters) -> dict[int, Place]:
    """Per neighborhood (zone id): received and closed in the period, and the median time to close."""
    counts = {
        zone: (received, closed)
        for (zone,), (received, closed) in summed(
            Rollup,
            filters,
            ["zone_id"],
            {"r": Sum("received"), "c": Sum("closed")},
            lambda rows: rows.exclude(zone_id=0),
        ).items()
    }
    return _places(counts, zone_close_histograms(filters))


def by_cell(filters: Filters) -> dict[int, Place]:
    """Per H3 map cell: received and closed in the period, and the median time to close (placed requests only)."""
    received: dict[int, int] = defaultdict(int)
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for (cell, measure, bucket), (n,) in summed(
        MapRollup, filters, ["cell", "measure", "bucket"], {"n": Sum("count")}, _categories(filters)
    ).items():
        if measure == MapRollup.Measure.RECEIVED:
            received[cell] += n
        else:
            histograms[cell][bucket] = n
    counts = {cell: (received.get(cell, 0), sum(histograms.get(cell, {}).values())) for cell in received | histograms}
    return _places(counts, histograms)


def _categories(filters: Filters) -> Callable[[QuerySet[Any]], QuerySet[Any]]:
    """The map rows to read: those of every category at once when no filter narrows the categories,
    else those of single categories (the filters pick them)."""
    if filters.service is None and filters.group is None and not filters.public_only:
        return lambda rows: rows.filter(service_id=EVERY_SERVICE)
    return lambda rows: rows.exclude(service_id=EVERY_SERVICE)


def _places(counts: dict[int, tuple[int, int]], histograms: dict[int, dict[int, int]]) -> dict[int, Place]:
    keys = set(counts) | set(histograms)
    return {
        key: Place(
            key, counts.get(key, (0, 0))[0], counts.get(key, (0, 0))[1], percentile(histograms.get(key, {}), 0.5)
        )
        for key in keys
    }
