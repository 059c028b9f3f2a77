"""The JSON API's request list at realistic size: its first page and a deep page by cursor, beside
Open311's list of the same size (the yardstick), through the full middleware chain in one process.

    python -m bench.api_pages [--requests 100000] [--calls 200] [--limit 100]

Uses the configured database (DATABASE_URL, or SQLite in CITYHALL_DATA_DIR). Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from .seed import bench_key, prepared_city

    prepared_city(args.requests)
    key = bench_key("bench-api")
    client = Client()
    auth = {"Authorization": f"Bearer {key}"}

    # A cursor halfway down the list: walk to it once, then time that page.
    cursor, walked = None, 0
    while walked < args.requests // 2:
        page = json.loads(client.get("/api/v1/requests", {"limit": "200", **_at(cursor)}, headers=auth).content)
        cursor, walked = page["next_cursor"], walked + len(page["items"])
        if cursor is None:
            break

    calls: dict[str, Callable[[], object]] = {
        # Its default window (the last 90 days), newest first: the list partners poll today.
        "Open311 requests.json, page 1": lambda: client.get("/open311/v2/requests.json", {"page_size": args.limit}),
        "API GET /requests, page 1": lambda: client.get("/api/v1/requests", {"limit": str(args.limit)}, headers=auth),
        f"API GET /requests, after {walked:,}": lambda: client.get(
            "/api/v1/requests", {"limit": str(args.limit), **_at(cursor)}, headers=auth
        ),
    }
    print(f"{args.requests:,} requests on {connection.vendor}, {args.limit} a page, median of {args.calls} calls")
    yardstick = 0.0
    for name, call in calls.items():
        assert call().status_code == 200, name  # type: ignore[attr-defined]
        laps = []
        for _ in range(args.calls):
            began = time.perf_counter()
            call()
            laps.append((time.perf_counter() - began) * 1000)
        median = statistics.median(laps)
        yardstick = yardstick or median
        print(f"  {name:<36} {median:7.2f} ms  ({median / yardstick:.2f}x)")


def _at(cursor: str | None) -> dict[str, str]:
    return {"cursor": cursor} if cursor else {}


if __name__ == "__main__":
    main()
