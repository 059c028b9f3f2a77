"""`cityhall workflow-docs`: rewrite docs/workflow.md from the workflow tables."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from cityhall.requests.workflow_docs import render_workflow_markdown


class Command(BaseCommand):
    help = "Regenerate docs/workflow.md from cityhall/requests/workflow.py."

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.BASE_DIR / "docs" / "workflow.md"
        path.write_text(render_workflow_markdown())
        self.stdout.write(f"Wrote {path.relative_to(settings.BASE_DIR)}")
