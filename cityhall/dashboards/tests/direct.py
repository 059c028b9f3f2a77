"""The rollups' definitions, counted directly from requests and events in Python (tests only).

Written independently of the SQL in services/rollups.py, from docs/dashboards.md: if the two
disagree, one of them misreads the definitions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from h3.api import basic_int as h3

from cityhall.dashboards.buckets import bucket_of
from cityhall.dashboards.models import (
    DurationRollup,
    MapRollup,
    MonthlyDurationRollup,
    MonthlyMapRollup,
    MonthlyRollup,
    Rollup,
)
from cityhall.requests.models import Feedback, RequestEvent, ServiceRequest

RESPONDERS = {"agent", "staff", "crew", "supervisor", "admin"}
LA = ZoneInfo("America/Los_Angeles")
Cell = tuple[date, int, int, int, str]
Counts = tuple[dict[Cell, Counter[str]], Counter[tuple[Cell, str, int]], Counter[tuple[Cell, int, str, int]]]


def _day(moment: datetime) -> date:
    return moment.astimezone(LA).date()


def direct_counts() -> Counts:
    """Per day: the sums, the duration histograms, and the hexagon map's counts (per cell, H3 map cell,
    "received" or "close", bucket)."""
    sums: dict[Cell, Counter[str]] = defaultdict(Counter)
    durations: Counter[tuple[Cell, str, int]] = Counter()
    places: Counter[tuple[Cell, int, str, int]] = Counter()
    ratings = {f.request_id: f for f in Feedback.objects.all()}
    for request in ServiceRequest.objects.all():
        events = list(RequestEvent.objects.filter(request=request).order_by("created_at", "id"))
        dims = (request.service_id, request.department_id or 0, request.zone_id or 0, request.channel)

        def cell(moment: datetime, dims: tuple[int, int, int, str] = dims) -> Cell:
            return (_day(moment), *dims)

        received = sums[cell(request.requested_at)]
        # The hexagon map's cell: the stored fine cell's parent at resolution 8 (requests with no place: none).
        map_cell = h3.cell_to_parent(request.cell, 8) if request.cell else None
        if map_cell is not None:
            places[(cell(request.requested_at), map_cell, "received", 0)] += 1
        received["received"] += 1
        received["open_now"] += request.status not in ("resolved", "closed")
        received["reopened"] += any(e.action == "reopen" for e in events)
        done = request.status in ("resolved", "closed")
        received["duplicates"] += done and request.resolution == "duplicate"
        if done and request.resolved_at:
            closed = sums[cell(request.resolved_at)]
            seconds = round((request.resolved_at - request.requested_at).total_seconds())
            closed["closed"] += 1
            closed["close_seconds"] += seconds
            closed["sla_due"] += request.expected_at is not None
            closed["sla_met"] += request.expected_at is not None and request.resolved_at <= request.expected_at
            is_closed = request.status == "closed"
            closed["verified"] += is_closed and any(e.action == "confirm" for e in events)
            closed["auto_closed"] += (
                is_closed
                and not request.import_source
                and any(e.action == "close" and e.actor_role == "system" for e in events)
            )
            durations[(cell(request.resolved_at), "close", bucket_of(seconds))] += 1
            if map_cell is not None:
                places[(cell(request.resolved_at), map_cell, "close", bucket_of(seconds))] += 1
        responses = [e for e in events if e.actor_role in RESPONDERS and e.kind in ("transition", "comment")]
        if responses:
            first = responses[0].created_at
            seconds = round((first - request.requested_at).total_seconds())
            responded = sums[cell(first)]
            responded["responded"] += 1
            responded["response_seconds"] += seconds
            durations[(cell(first), "response", bucket_of(seconds))] += 1
        if request.pk in ratings:
            rated = sums[cell(ratings[request.pk].created_at)]
            rated["rated"] += 1
            rated["rating_sum"] += ratings[request.pk].rating
    # Every map count again under service 0, "every category" (models.EVERY_SERVICE).
    for (key, *rest), n in list(places.items()):
        places[((key[0], 0, *key[2:]), *rest)] += n  # type: ignore[arg-type]
    return {key: +counter for key, counter in sums.items()}, durations, places


def by_month(counts: Counts) -> Counts:
    """Daily counts added up per calendar month (each under its month's first day)."""

    def month(cell: Cell) -> Cell:
        return (cell[0].replace(day=1), *cell[1:])

    sums: dict[Cell, Counter[str]] = defaultdict(Counter)
    for key, counter in counts[0].items():
        sums[month(key)] += counter
    durations: Counter[tuple[Cell, str, int]] = Counter()
    for (key, *rest), n in counts[1].items():
        durations[(month(key), *rest)] += n  # type: ignore[index]
    places: Counter[tuple[Cell, int, str, int]] = Counter()
    for (key, *rest), n in counts[2].items():
        places[(month(key), *rest)] += n  # type: ignore[index]
    return dict(sums), durations, places


MEASURES = [
    field.name
    for field in Rollup._meta.fields
    if field.name not in ("id", "day", "service_id", "department_id", "zone_id", "channel")
]


def stored_counts(monthly: bool = False) -> Counts:
    """What the daily rollup tables hold (monthly: the monthly ones), in direct_counts()'s shape."""
    sums_table, durations_table, places_table = (
        (MonthlyRollup, MonthlyDurationRollup, MonthlyMapRollup) if monthly else (Rollup, DurationRollup, MapRollup)
    )
    sums: dict[Cell, Counter[str]] = {}
    for row in sums_table.objects.all():
        key = (row.day, row.service_id, row.department_id, row.zone_id, row.channel)
        assert key not in sums, f"two rollup rows for {key}"
        sums[key] = +Counter({name: getattr(row, name) for name in MEASURES})
    durations: Counter[tuple[Cell, str, int]] = Counter()
    for d in durations_table.objects.all():
        durations[((d.day, d.service_id, d.department_id, d.zone_id, d.channel), d.measure, d.bucket)] += d.count
    places: Counter[tuple[Cell, int, str, int]] = Counter()
    for p in places_table.objects.all():
        places[((p.day, p.service_id, p.department_id, p.zone_id, p.channel), p.cell, p.measure, p.bucket)] += p.count
    return {key: counter for key, counter in sums.items() if counter}, durations, places
