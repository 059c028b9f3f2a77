"""`cityhall dashboards rebuild`: recompute every rollup from the requests."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityhall.dashboards.services import catch_up, rebuild


class Command(BaseCommand):
    help = "Rollups behind the dashboards: 'rebuild' recomputes them from scratch, 'catch-up' counts what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "catch-up"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        started = time.perf_counter()
        if action == "rebuild":
            counted = rebuild()
            self.stdout.write(f"Rollups rebuilt from {counted} requests in {time.perf_counter() - started:.1f} s.")
        else:
            refreshed = catch_up()
            self.stdout.write(f"Rollups caught up: {refreshed} requests refreshed.")
