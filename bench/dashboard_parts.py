"""Each part of the staff dashboard timed alone (best of five), to see where a slow page spends its time.

    python -m bench.dashboard_parts [grain=month from=2025-12-01 department=public-works …]   # the demo
    ./tools/with-postgres .venv/bin/python -m bench.dashboard_parts --requests 100000 grain=month from=2025-12-01

With --requests N, seeds up to N requests first (bench/seed.py), rebuilds the rollups and, on
PostgreSQL, runs VACUUM ANALYZE. Takes the page's filters as name=value. Parts run without the page's shared read
(selectors.one_page), so received, closed, the rates and the ratings each pay for their day
sums here; on the page they share them. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from functools import partial
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=0)
    parser.add_argument("filters", nargs="*", help="name=value, as in the page's query string")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    if args.requests:
        from cityhall.dashboards.services import rebuild

        from .seed import prepared_city

        prepared_city(args.requests)
        rebuild()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as autovacuum would have (bench/dashboards.py says why)
                cursor.execute("VACUUM ANALYZE")
    from django.utils import translation

    from cityhall.core import clock
    from cityhall.dashboards import board, mapboard, selectors
    from cityhall.dashboards.filters import parse_filters
    from cityhall.dashboards.scorecard import scorecard
    from cityhall.dashboards.services.rollups import city_timezone

    translation.activate("en")
    today = clock.now().astimezone(city_timezone()).date()
    filters = parse_filters(dict(arg.split("=", 1) for arg in args.filters), today=today)
    parts: dict[str, Callable[[], Any]] = {
        **{f"chart {slug}": partial(board.chart, slug, filters, today) for slug in board.CHARTS},
        "rates": lambda: selectors.rates(filters),
        "speed per department": lambda: selectors.speed(filters, by="department"),
        "oldest open": lambda: selectors.oldest_open(filters),
        "anomalies": lambda: selectors.anomalies(filters, today),
        "workload": lambda: selectors.workload(filters),
        "comments": lambda: selectors.comments(filters),
        **{f"map {slug}": partial(_drawn, mapboard.MAPS[slug], filters) for slug in mapboard.MAPS},
        "public scorecard": lambda: scorecard(today),
    }
    total = 0.0
    for name, part in parts.items():
        part()  # warm
        best = min(_timed(part) for _ in range(5))
        total += best
        print(f"{name:28s} {best:7.1f} ms")
    print(f"{'sum of the parts':28s} {total:7.1f} ms")


def _drawn(build: Callable[[Any, str], Any], filters: Any) -> str:
    return str(build(filters, "close").svg)


def _timed(part: Callable[[], Any]) -> float:
    began = time.perf_counter()
    part()
    return (time.perf_counter() - began) * 1000


if __name__ == "__main__":
    main()
