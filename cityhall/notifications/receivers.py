"""Listening to the domain: committed timeline events (of requests, or of applications) become one notification task."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone

from cityhall.requests.events import is_news

from .tasks import notify_application_events, notify_events


def enqueue_for_committed_events(sender: Any, *, event_ids: Sequence[int], news: bool, **kwargs: Any) -> None:
    if not news:  # history being written (the demo's past), told to nobody: events.is_news
        return
    notify_events.enqueue(list(event_ids))


def enqueue_for_committed_application_events(
    sender: Any, *, event_ids: Sequence[int], at: datetime, **kwargs: Any
) -> None:
    if not is_news(at, timezone.now()):
        return
    notify_application_events.enqueue(list(event_ids))
