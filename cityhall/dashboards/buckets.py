"""Durations in fixed log-scale buckets, so medians and percentiles can be read from rollup sums.

Medians do not add up, but histograms do: each rollup cell counts how many closes (and first
responses) fell in each bucket, a period's histogram is the sum of its cells', and a percentile
is read from it. Bucket 0 holds everything under a minute; bucket k ≥ 1 holds
[60·R^(k−1), 60·R^k) seconds with R = 2^(1/4), the last one open-ended (over about two years).

A percentile is reported as the geometric middle of the bucket that holds it, so it is within a
factor √R ≈ 1.09 of the exact value (±9 %); under a minute it is reported as 30 s (±30 s).
docs/dashboards.md gives the percentile definition itself.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping

RATIO = 2 ** (1 / 4)
FIRST = 60  # seconds: the upper edge of bucket 0
COUNT = 82  # buckets 0…81; the last one's lower edge is about 2.1 years

# Upper edges of buckets 0…COUNT−2, in whole seconds (the last bucket has none).
EDGES: tuple[int, ...] = tuple(round(FIRST * RATIO**k) for k in range(COUNT - 1))


def bucket_of(seconds: int) -> int:
    """The bucket a duration falls in (what bucket_sql computes in the database): the first whose
    upper edge is above it. A search, not a scan: the workload buckets a year's closures per page."""
    return bisect.bisect_right(EDGES, seconds)


def bucket_sql(column: str) -> str:
    """A CASE expression giving the bucket of `column`, the same on SQLite and PostgreSQL."""
    whens = " ".join(f"WHEN {column} < {edge} THEN {index}" for index, edge in enumerate(EDGES))
    return f"CASE {whens} ELSE {COUNT - 1} END"


def representative(bucket: int) -> float:
    """The value a bucket stands for: its geometric middle (30 s for bucket 0)."""
    if bucket == 0:
        return FIRST / 2
    low = FIRST * RATIO ** (bucket - 1)
    return low * math.sqrt(RATIO)


def percentile(histogram: Mapping[int, int], fraction: float) -> float | None:
    """The nearest-rank percentile (fraction 0.5 for the median) of a bucket histogram; None if empty.

    Nearest rank: with n values sorted, the value at position ⌈fraction·n⌉ (1-based).
    """
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return representative(bucket)
    raise AssertionError("unreachable: the ranks add up to the total")
