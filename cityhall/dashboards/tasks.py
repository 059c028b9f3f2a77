"""Task wrappers: idempotent, safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .services import catch_up


@task()
def catch_up_rollups() -> int:
    """Count what the commit listener missed (imports write no commit signal; a listener may fail)."""
    return catch_up()
