"""Listening to the domain: what changed becomes a task re-projecting the requests it touched.

A task, not work in the request that made the change: refreshing in place cost a resident's submit
more than the submit itself, enqueuing costs one INSERT (bench/opendata_projection.py). The worker
runs it within a second or so; that is how far open data may trail the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from cityhall.catalogue.models import Service

from .tasks import rebuild_service, refresh_projection


def refresh_for_committed_events(sender: Any, *, request_ids: Sequence[int], **kwargs: Any) -> None:
    # The signal names the requests: looking them up from the events was a query in every submit.
    refresh_projection.enqueue(sorted(set(request_ids)))


def refresh_for_service_change(sender: Any, *, instance: Service, created: bool, raw: bool, **kwargs: Any) -> None:
    """A category renamed, made private or sensitive re-projects its requests once the edit commits."""
    if created or raw:
        return
    service_id = instance.pk
    transaction.on_commit(lambda: rebuild_service.enqueue(service_id), robust=True)
