"""`cityhall prepare`: what a database and the static files need before `serve`, in one process.

`make run` calls it before `cityhall serve`. Each Django command starts Python and Django afresh
(about 4 s on a small machine), so migrating, loading the demo and collecting static files here,
together, is what keeps a second `make run` quick.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, optionally load the demo if the database is empty, and collect static files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--demo", action="store_true", help="load the Santa Monica demo if it is not loaded yet")

    def handle(self, *args: Any, demo: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo:
            call_command("demo", if_empty=True)  # by name: the demo is an app of its own
        call_command("collectstatic", interactive=False, verbosity=0)
