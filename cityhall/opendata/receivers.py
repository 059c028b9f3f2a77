"""Listening to the domain: what changed becomes a re-projection of the requests it touched."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from cityhall.catalogue.models import Service
from cityhall.requests.models import RequestEvent

from .services import projection_rebuild, projection_refresh


def refresh_for_committed_events(sender: Any, *, event_ids: Sequence[int], **kwargs: Any) -> None:
    """Directly, not in a task: a few indexed reads and upserts, so the data is current at once
    (bench/opendata_upkeep.py measures it)."""
    request_ids = RequestEvent.objects.filter(pk__in=list(event_ids)).values_list("request_id", flat=True)
    projection_refresh(set(request_ids))


def refresh_for_service_change(sender: Any, *, instance: Service, created: bool, raw: bool, **kwargs: Any) -> None:
    """A service renamed, made private or sensitive re-projects its requests once the edit commits."""
    if created or raw:
        return
    transaction.on_commit(lambda: projection_rebuild(service_ids=[instance.pk]), robust=True)
