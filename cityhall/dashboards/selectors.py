"""The dashboards' reads: metrics from the rollups (definitions in docs/dashboards.md)."""

from __future__ import annotations

from .models import Rollup


def has_data() -> bool:
    return Rollup.objects.exists()
