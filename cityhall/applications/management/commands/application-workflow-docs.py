"""`cityhall application-workflow-docs`: rewrite the approval workflow's tables in docs/digital-services.md."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from cityhall.applications.workflow_docs import replace_in


class Command(BaseCommand):
    help = "Regenerate the approval workflow's tables in docs/digital-services.md from applications/workflow.py."

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.BASE_DIR / "docs" / "digital-services.md"
        path.write_text(replace_in(path.read_text()))
        self.stdout.write(f"Wrote {path.relative_to(settings.BASE_DIR)}")
