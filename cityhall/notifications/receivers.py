"""Listening to the domain: committed timeline events become one notification task."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from .tasks import notify_events

# Events recorded further in the past than this are history being written (the demo's believable
# month, a simulation), not news: nobody is told about them.
NEWS_WINDOW = timedelta(hours=1)


def enqueue_for_committed_events(sender: Any, *, event_ids: Sequence[int], at: datetime, **kwargs: Any) -> None:
    if timezone.now() - at > NEWS_WINDOW:
        return
    notify_events.enqueue(list(event_ids))
