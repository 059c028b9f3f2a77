"""Listening to the domain: committed timeline events become one notification task."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .tasks import notify_events


def enqueue_for_committed_events(sender: Any, *, event_ids: Sequence[int], news: bool, **kwargs: Any) -> None:
    if not news:  # history being written (the demo's past), told to nobody: events.is_news
        return
    notify_events.enqueue(list(event_ids))
