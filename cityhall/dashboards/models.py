"""Rollups: what the dashboards read instead of scanning every request.

Each table is rebuilt from the one before it (services/rollups.py):

- `RequestFact`: one row per request, its dimensions and measures as of its last change (the days
  it was received, closed, first answered and rated, in the city's time zone);
- `Rollup`: the facts summed per day × service × department × zone × channel;
- `DurationRollup`: per the same cell, how many closes (or first responses) fell in each
  log-scale duration bucket (buckets.py), so medians and percentiles can be read from sums;
- `MapRollup`: per the same cell and H3 map cell, the requests received and the closes per bucket
  (the hexagon map);
- `MonthlyRollup`, `MonthlyDurationRollup`, `MonthlyMapRollup`: the three above folded into
  calendar months (`day` is the month's first day). A period reads its whole months from these
  and only its first and last partial months day by day (selectors.py), so a year is a few
  thousand rows instead of a hundred thousand.

Dimensions are plain integers (0 for "none"), not foreign keys: a rollup outlives a zone or a
department being deleted, and equality works on both databases without NULL handling.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class RequestFact(models.Model):
    request_id = models.BigIntegerField(primary_key=True)
    service_id = models.BigIntegerField()
    department_id = models.BigIntegerField()
    zone_id = models.BigIntegerField()
    channel = models.CharField(max_length=16)
    received_day = models.DateField()
    open_now = models.BooleanField()
    reopened = models.BooleanField()
    duplicate = models.BooleanField()
    closed_day = models.DateField(null=True)
    close_seconds = models.BigIntegerField(null=True)
    close_bucket = models.SmallIntegerField(null=True, help_text="The duration bucket of close_seconds (buckets.py).")
    sla_due = models.BooleanField()
    sla_met = models.BooleanField()
    verified = models.BooleanField()
    auto_closed = models.BooleanField()
    response_day = models.DateField(null=True)
    response_seconds = models.BigIntegerField(null=True)
    rated_day = models.DateField(null=True)
    rating = models.SmallIntegerField(null=True)
    last_event_id = models.BigIntegerField(help_text="The newest timeline event these figures include.")
    cell = models.BigIntegerField(
        default=0, help_text="The request's H3 cell at the maps' resolution (geo.cells.MAP_RESOLUTION); 0: no place."
    )
    closed_by = models.BigIntegerField(
        default=0, help_text="Done now: the person who took the latest resolve step (0: none, or not done)."
    )
    closed_crew = models.BigIntegerField(default=0, help_text="Done now: the crew it was with (0: none, or not done).")

    class Meta:
        indexes = [
            models.Index(fields=["received_day", "service_id"], name="fact_received"),
            models.Index(fields=["closed_day", "service_id"], name="fact_closed"),
            models.Index(fields=["response_day", "service_id"], name="fact_response"),
            models.Index(fields=["rated_day", "service_id"], name="fact_rated"),
            # The workload's closures in a period, credited to a person or a crew, from the index alone.
            models.Index(
                fields=[
                    "closed_day",
                    "department_id",
                    "service_id",
                    "zone_id",
                    "channel",
                    "closed_by",
                    "closed_crew",
                    "close_seconds",
                ],
                condition=models.Q(closed_by__gt=0) | models.Q(closed_crew__gt=0),
                name="fact_closed_work",
            ),
        ]

    def __str__(self) -> str:
        return f"facts of request {self.request_id}"


class Cell(models.Model):
    """The rollup key: one day of one service, department, zone and channel."""

    day = models.DateField()
    service_id = models.BigIntegerField()
    department_id = models.BigIntegerField()
    zone_id = models.BigIntegerField()
    channel = models.CharField(max_length=16)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return (
            f"{self.day} service {self.service_id} department {self.department_id} zone {self.zone_id} {self.channel}"
        )


class Sums(Cell):
    """What a cell counts (a day's or a month's)."""

    received = models.IntegerField(default=0)
    open_now = models.IntegerField(default=0, help_text="Of those received that day, how many are open now.")
    reopened = models.IntegerField(default=0, help_text="Of those received that day, reopened at least once.")
    duplicates = models.IntegerField(default=0, help_text="Of those received that day, closed as duplicates.")
    closed = models.IntegerField(default=0, help_text="Marked done that day (and done still).")
    sla_due = models.IntegerField(default=0, help_text="Of those closed, how many had an SLA.")
    sla_met = models.IntegerField(default=0)
    close_seconds = models.BigIntegerField(default=0, help_text="Sum of received-to-done times of those closed.")
    verified = models.IntegerField(default=0, help_text="Closed as the resident confirmed.")
    auto_closed = models.IntegerField(default=0, help_text="Closed by the system after the confirmation window.")
    responded = models.IntegerField(default=0, help_text="First answered by staff that day.")
    response_seconds = models.BigIntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)

    class Meta:
        abstract = True


# The sums a page reads (per day, per department, per zone) from the index alone, whatever the
# filters: without it each of a five-year view's ~35,000 cells is a lookup in the table.
_PAGE_SUMS = [
    "day",
    "department_id",
    "service_id",
    "zone_id",
    "channel",
    "received",
    "closed",
    "reopened",
    "duplicates",
    "verified",
    "auto_closed",
    "rated",
    "rating_sum",
    "sla_due",
    "sla_met",
]
_CELL_KEY = ["day", "service_id", "department_id", "zone_id", "channel"]


class Rollup(Sums):
    class Meta:
        constraints = [models.UniqueConstraint(fields=_CELL_KEY, name="rollup_cell_unique")]
        indexes = [
            models.Index(fields=["day", "department_id"], name="rollup_day_department"),
            # The backlog reads the recent days that still have open requests (older ones from the
            # months): covering, so found and counted without visiting the table.
            models.Index(
                fields=["day", "department_id", "service_id", "zone_id", "channel", "open_now"],
                condition=models.Q(open_now__gt=0),
                name="rollup_open_day",
            ),
            models.Index(fields=_PAGE_SUMS, name="rollup_day_sums"),
        ]


class MonthlyRollup(Sums):
    """`Rollup` folded into months: `day` is the month's first day."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=_CELL_KEY, name="monthly_cell_unique")]
        indexes = [
            models.Index(fields=_PAGE_SUMS, name="monthly_sums"),
            # The backlog's months older than its last age bucket, read with their open counts.
            models.Index(
                fields=["day", "department_id", "service_id", "zone_id", "channel", "open_now"],
                condition=models.Q(open_now__gt=0),
                name="monthly_open",
            ),
        ]


class Durations(Cell):
    class Measure(models.TextChoices):
        CLOSE = "close", "Time to close"
        RESPONSE = "response", "Time to first response"

    measure = models.CharField(max_length=8, choices=Measure.choices)
    bucket = models.SmallIntegerField()
    count = models.IntegerField()

    class Meta:
        abstract = True


# The cell's key first, in its order: a refresh finds a day's rows of a service by both, exactly.
_DURATION_COLUMNS = [*_CELL_KEY, "measure", "bucket", "count"]


class DurationRollup(Durations):
    class Meta:
        # Covering: the histograms of a period are read from the index alone, whatever the filters.
        indexes = [models.Index(fields=_DURATION_COLUMNS, name="duration_covering")]


class MonthlyDurationRollup(Durations):
    """`DurationRollup` folded into months: `day` is the month's first day."""

    class Meta:
        indexes = [models.Index(fields=_DURATION_COLUMNS, name="monthly_duration_covering")]


# The service of a map row that counts every category of its other keys (a map with no category
# filter reads these: a day's ~200 categories folded into one row per cell and department).
EVERY_SERVICE = 0


class Places(Cell):
    """The hexagon map's counts: per cell and H3 map cell, requests received (measure "received",
    bucket 0) and closes per duration bucket (measure "close"). Each row of one category is also
    counted in a row of service EVERY_SERVICE with the same other keys."""

    class Measure(models.TextChoices):
        RECEIVED = "received", "Received"
        CLOSE = "close", "Time to close"

    cell = models.BigIntegerField(help_text="The H3 cell at the maps' resolution (geo.cells.MAP_RESOLUTION).")
    measure = models.CharField(max_length=8, choices=Measure.choices)
    bucket = models.SmallIntegerField()
    count = models.IntegerField()

    class Meta:
        abstract = True


_PLACE_COLUMNS = [*_CELL_KEY, "cell", "measure", "bucket", "count"]


# The every-category rows alone, by day: the covering index above starts with the day and then the
# service, so a city-wide map read every category's rows of its period to find service 0's.
_EVERY_SERVICE_COLUMNS = [name for name in _PLACE_COLUMNS if name != "service_id"]


class MapRollup(Places):
    class Meta:
        # Covering, as the others: the map of a period's partial months reads the index alone.
        indexes = [
            models.Index(fields=_PLACE_COLUMNS, name="map_covering"),
            models.Index(
                fields=_EVERY_SERVICE_COLUMNS, condition=models.Q(service_id=EVERY_SERVICE), name="map_every_service"
            ),
        ]


class MonthlyMapRollup(Places):
    """`MapRollup` folded into months: `day` is the month's first day."""

    class Meta:
        indexes = [
            models.Index(fields=_PLACE_COLUMNS, name="monthly_map_covering"),
            models.Index(
                fields=_EVERY_SERVICE_COLUMNS,
                condition=models.Q(service_id=EVERY_SERVICE),
                name="monthly_map_every_service",
            ),
        ]


# Each daily rollup and the table of its months (selectors read both; services/rollups.py folds one into the other).
MONTHLY: dict[type[Any], type[Any]] = {
    Rollup: MonthlyRollup,
    DurationRollup: MonthlyDurationRollup,
    MapRollup: MonthlyMapRollup,
}


class RollupLock(models.Model):
    """One row, locked by every rollup change so two never recompute the same cell at once."""

    name = models.CharField(max_length=16, unique=True)
    caught_up_to = models.BigIntegerField(default=0, help_text="The newest event id the catch-up has looked at.")

    def __str__(self) -> str:
        return self.name
