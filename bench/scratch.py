"""What several benches share: a throwaway Django set-up, and the percentiles they print."""

from __future__ import annotations

import os
import tempfile


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of them lie (nearest rank; the largest for share 1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def django_in_scratch(prefix: str) -> str:
    """Django on a throwaway data directory (its own SQLite database unless DATABASE_URL is set, its own
    signing authority), tasks queued nowhere (a bench runs the work itself), migrated; the directory."""
    scratch = tempfile.mkdtemp(prefix=prefix)
    os.environ["CITYHALL_DATA_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CITYHALL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch
