"""`cityhall opendata rebuild`: re-project every request into the public open-data tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityhall.opendata.services import projection_rebuild


class Command(BaseCommand):
    help = "Open data upkeep. rebuild: re-project every request and update through the privacy rule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        report = projection_rebuild()
        self.stdout.write(
            f"Open data: {report.requests} requests and {report.updates} updates published in {report.seconds:.1f} s."
        )
