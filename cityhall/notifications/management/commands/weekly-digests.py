"""`cityhall weekly-digests [--week YYYY-MM-DD]`: the supervisors' weekly digests, by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.notifications.tasks import send_weekly_digests


class Command(BaseCommand):
    help = (
        "Send each supervisor the weekly digest of their department: the latest week due, or the week holding "
        "--week. Once per person and week, like the periodic task: a second run sends nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="Any day of the week to send (YYYY-MM-DD); default: the latest week due.")

    def handle(self, *args: Any, week: str | None = None, **options: Any) -> None:
        try:
            day = date.fromisoformat(week) if week else None
        except ValueError:
            raise CommandError("Write the week as a date, YYYY-MM-DD.") from None
        counts = send_weekly_digests.call(week=day.isoformat() if day else None)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nobody to send to"
        self.stdout.write(f"Weekly digests: {summary}.")
