"""What the dashboards' maps show: per neighborhood and per H3 cell, requests received and median time to close.

Neighborhoods read the rollups (zone is one of their keys). Hexagons read the facts, one row per
request, which carry each request's map cell (geo.cells.MAP_RESOLUTION): putting the cell in
the rollup key as well would multiply the rollup rows every other chart reads. Definitions as in
docs/dashboards.md; filters and department pinning apply as everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum

from .buckets import percentile
from .filters import Filters
from .models import RequestFact, Rollup
from .selectors import _cells, zone_close_histograms


@dataclass(frozen=True)
class Place:
    key: int  # a zone id or an H3 cell
    received: int
    closed: int
    close_median: float | None  # seconds


def by_zone(filters: Filters) -> dict[int, Place]:
    """Per neighborhood (zone id): received and closed in the period, and the median time to close."""
    counts = {
        row["zone_id"]: (row["r"] or 0, row["c"] or 0)
        for row in _cells(Rollup, filters)
        .exclude(zone_id=0)
        .values("zone_id")
        .annotate(r=Sum("received"), c=Sum("closed"))
    }
    return _places(counts, zone_close_histograms(filters))


def by_cell(filters: Filters) -> dict[int, Place]:
    """Per H3 map cell: received and closed in the period, and the median time to close (placed requests only)."""
    received = dict(
        _cells(RequestFact, filters, day="received_day").exclude(cell=0).values_list("cell").annotate(n=Count("*"))
    )
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for cell, bucket, n in (
        _cells(RequestFact, filters, day="closed_day")
        .exclude(cell=0)
        .values_list("cell", "close_bucket")
        .annotate(n=Count("*"))
    ):
        histograms[cell][bucket] = n
    counts = {cell: (received.get(cell, 0), sum(histograms.get(cell, {}).values())) for cell in received | histograms}
    return _places(counts, histograms)


def _places(counts: dict[int, tuple[int, int]], histograms: dict[int, dict[int, int]]) -> dict[int, Place]:
    keys = set(counts) | set(histograms)
    return {
        key: Place(
            key, counts.get(key, (0, 0))[0], counts.get(key, (0, 0))[1], percentile(histograms.get(key, {}), 0.5)
        )
        for key in keys
    }
