"""Listening to the domain: each commit's requests are brought up to date in the rollups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .tasks import refresh_rollups


def refresh_for_committed_events(sender: Any, *, event_ids: Sequence[int], at: datetime, **kwargs: Any) -> None:
    # Handed to the worker, not run in the request that made the change: on SQLite the refresh was
    # half the time of an Open311 POST (docs/open311.md). The dashboards are then as fresh as the
    # worker (seconds); what a lost task misses, the periodic catch-up mends.
    refresh_rollups.enqueue(list(event_ids))
