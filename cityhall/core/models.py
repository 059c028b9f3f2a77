"""The kernel's one table of its own: when each periodic task was last enqueued, by any process."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """One row per periodic task. Every `cityhall serve` (one per machine) offers to enqueue each task
    when its period has passed; the one whose conditional UPDATE moves `enqueued_at` enqueues it, the
    others find the period already taken (cityhall/core/periodic.py)."""

    task = models.CharField(max_length=200, primary_key=True)
    enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.task} at {self.enqueued_at:%Y-%m-%d %H:%M:%S}"
